"""ASGI entry point."""

import os
import sys

from django.core.asgi import get_asgi_application

from config.env import ConfigurationError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

try:
    application = get_asgi_application()
    from config.checks import refuse_to_start_on_errors

    refuse_to_start_on_errors()
except ConfigurationError as exc:
    sys.stderr.write(f"Configuration error: {exc}\n")
    raise SystemExit(2) from None
