#!/usr/bin/env python3
"""Set up and run the platform on the embedded default, or run its tests.

    python3 dev.py run    # venv, install, migrate, demo data, serve at http://127.0.0.1:8000
    python3 dev.py test   # venv, install, the whole test suite (extra arguments go to pytest)

Needs only Python 3.11+. Without configuration the site uses a SQLite file, runs Celery
tasks eagerly and searches the database; set the variables of .env.example to change that.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".installed"


def step(message: str) -> None:
    print(f"\n==> {message}", flush=True)


def run(*args: str | Path, **kwargs) -> None:
    subprocess.run([str(a) for a in args], cwd=ROOT, check=True, **kwargs)


def install() -> None:
    """Create the venv and install the pinned dependencies, unless they already are."""
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may be started by an older system Python
        sys.exit(f"Python 3.11 or newer is needed (found {sys.version.split()[0]}).")
    if not PYTHON.exists():
        step("Creating the virtual environment in .venv")
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = hashlib.sha256(
        (ROOT / "pyproject.toml").read_bytes() + (ROOT / "requirements.lock").read_bytes()
    )
    if STAMP.exists() and STAMP.read_text() == wanted.hexdigest():
        return
    step("Installing dependencies (pinned by requirements.lock)")
    run(
        PYTHON,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "-c",
        "requirements.lock",
        "-e",
        ".[dev]",
    )
    STAMP.write_text(wanted.hexdigest())


def manage(*args: str) -> None:
    run(PYTHON, "manage.py", *args)


def cmd_run(args: list[str]) -> None:
    started = time.monotonic()
    install()
    step("Migrating the database")
    manage("migrate", "--no-input", "-v", "0")
    step("Loading the demo data")
    manage("load_demo")
    address = args[0] if args else "127.0.0.1:8000"
    elapsed = time.monotonic() - started
    print(f"\nReady in {elapsed:.0f} s. Serving http://{address} (Ctrl+C stops).", flush=True)
    os.execv(PYTHON, [str(PYTHON), "manage.py", "runserver", address])


def cmd_test(args: list[str]) -> None:
    install()
    os.chdir(ROOT)
    result = subprocess.run([str(PYTHON), "-m", "pytest", *args])
    sys.exit(result.returncode)


def main() -> None:
    commands = {"run": cmd_run, "test": cmd_test, "install": lambda _args: install()}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print(__doc__)
        sys.exit(2)
    commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
