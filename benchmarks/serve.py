"""Serving the site for the HTTP benchmarks: a free loopback port and gunicorn on it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(port: int, *, workers: int) -> subprocess.Popen:
    """gunicorn on ``127.0.0.1:port`` with the benchmark settings (no debug, mail nowhere)."""
    env = {**os.environ, "DJANGO_DEBUG": "false", "DJANGO_LOG_LEVEL": "WARNING"}
    env["DJANGO_SETTINGS_MODULE"] = "benchmarks.bench_settings"
    command = [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--workers", str(workers)]
    command += ["--bind", f"127.0.0.1:{port}", "--log-level", "warning"]
    return subprocess.Popen(command, cwd=ROOT, env=env)
