"""A local Stripe (localstripe) for the tests, and settings pointing at it.

The server starts once per test session on a free port, from scratch, and stops at the end.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

WEBHOOK_SECRET = "whsec_test_foodexpo"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(url: str, process: subprocess.Popen, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"localstripe exited with status {process.returncode}")
        try:
            urllib.request.urlopen(f"{url}/v1/customers", timeout=1)
            return
        except urllib.error.HTTPError:
            return  # it answers (401 without a key): it is up
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"localstripe did not answer at {url} within {timeout:.0f} s")


@pytest.fixture(scope="session")
def localstripe_url():
    """The base URL of a localstripe server started for this test session."""
    executable = Path(sys.executable).parent / "localstripe"
    if not executable.exists():
        pytest.skip(f"needs localstripe at {executable} (pip install localstripe)")
    port = _free_port()
    log = tempfile.NamedTemporaryFile(prefix="localstripe-", suffix=".log", delete=False)
    process = subprocess.Popen(
        [str(executable), "--port", str(port), "--from-scratch"], stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        Path(log.name).unlink(missing_ok=True)


@pytest.fixture
def stripe_settings(settings, localstripe_url):
    """Settings that send every Stripe call to the local server."""
    settings.STRIPE_API_BASE = localstripe_url
    settings.STRIPE_SECRET_KEY = "sk_test_foodexpo"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_foodexpo"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_JS_URL = f"{localstripe_url}/js.stripe.com/v3/"
    return settings
