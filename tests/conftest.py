"""Shared fixtures: baseline data, the Chromium browser, PostgreSQL and Celery markers."""

import os
from pathlib import Path

import pytest

pytest_plugins = ["tests.fixtures_stripe"]

# Playwright's sync API runs an event loop in the test thread; Django must allow ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    """Run browser tests last: their live server flushes the database afterwards. Without
    Chromium they are skipped here, before the session's browser would fail to launch."""
    no_chromium = pytest.mark.skip(reason=f"needs Chromium at {CHROMIUM} (apt-get install chromium)")
    for item in items:
        if "browser" in item.nodeid.split("/"):
            item.add_marker(pytest.mark.browser)
        if item.get_closest_marker("browser") and not Path(CHROMIUM).exists():
            item.add_marker(no_chromium)
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """A reused test database may have been flushed by a previous run's browser tests."""
    from expo.baseline import ensure_baseline

    with django_db_blocker.unblock():
        ensure_baseline()


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test ends by flushing the database: put the baseline (category tree,
    site, root pages, beat schedules) back before the next test runs."""
    yield
    skipped = any(marker.name == "skip" for marker in item.iter_markers())
    if nextitem is not None and _is_transactional(item) and not skipped:
        from pytest_django.plugin import blocking_manager_key

        from expo.baseline import ensure_baseline

        with item.config.stash[blocking_manager_key].unblock():
            ensure_baseline()


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """Messages built outside a request (services, tasks) come in English in tests, whatever
    language an earlier request left active; requests still choose theirs by URL."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _skip_by_marker(request):
    from django.db import connection

    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL=postgres://...)")
    if request.node.get_closest_marker("browser") and not Path(CHROMIUM).exists():
        pytest.skip(f"needs Chromium at {CHROMIUM} (apt-get install chromium)")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, browser_name):
    if browser_name == "chromium":
        return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}
    return browser_type_launch_args


@pytest.fixture
def site_data(transactional_db):
    """Baseline plus demo data for journeys against the live server."""
    from django.core.management import call_command

    from expo.baseline import ensure_baseline

    ensure_baseline()
    call_command("load_demo", verbosity=0)


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def staff_user(django_user_model):
    return django_user_model.objects.create_user(
        username="staff@foodexpo.example",
        email="staff@foodexpo.example",
        password="staff-pass-2026",
        is_staff=True,
        is_superuser=True,
    )
