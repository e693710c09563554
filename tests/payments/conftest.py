import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    """Messages are checked in English whatever the Chinese catalogue holds."""
    with translation.override("en"):
        yield
