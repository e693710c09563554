"""Reading configuration from the environment, with errors a person can act on.

A bad value stops start-up with one line naming the variable (``manage.py`` and
``wsgi.py`` print :class:`ConfigurationError` as a single line), never a traceback.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from urllib.parse import urlsplit

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
env_file = BASE_DIR / ".env"
if env_file.exists():
    environ.Env.read_env(str(env_file))

DATABASE_SCHEMES = {"sqlite", "postgres", "postgresql", "pgsql", "psql"}
BROKER_SCHEMES = {"redis", "rediss", "amqp", "amqps", "memory"}


class ConfigurationError(Exception):
    """A setting read from the environment is missing or malformed."""


def require(name: str) -> str:
    """A value that has no default (production secrets)."""
    value = env.str(name, default="").strip()
    if not value:
        raise ConfigurationError(f"{name} is not set; production needs it (see .env.example).")
    return value


def database(name: str = "DATABASE_URL", default: str = "") -> dict:
    raw = env.str(name, default=default).strip()
    scheme = urlsplit(raw).scheme
    if scheme not in DATABASE_SCHEMES:
        raise ConfigurationError(
            f"{name} is malformed ({raw!r}): use postgres://user@host:port/name or sqlite:///path/to/file.db"
        )
    try:
        config = environ.Env.db_url_config(raw)
    except Exception as exc:  # environ raises several types for bad URLs
        raise ConfigurationError(f"{name} is malformed ({raw!r}): {exc}") from None
    if not config.get("NAME"):
        raise ConfigurationError(f"{name} is malformed ({raw!r}): it names no database")
    if scheme != "sqlite":
        try:
            urlsplit(raw).port  # noqa: B018 - raises on a non-numeric port
        except ValueError:
            raise ConfigurationError(f"{name} is malformed ({raw!r}): the port is not a number") from None
    return config


def url(name: str, default: str = "", schemes: set[str] | None = None) -> str:
    raw = env.str(name, default=default).strip()
    if raw and schemes and urlsplit(raw).scheme not in schemes:
        allowed = ", ".join(sorted(schemes))
        raise ConfigurationError(
            f"{name} is malformed ({raw!r}): expected a URL starting with one of {allowed}"
        )
    return raw


def boolean(name: str, default: bool = False) -> bool:
    raw = env.str(name, default="").strip().lower()
    if not raw:
        return default
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    raise ConfigurationError(f"{name} must be true or false, not {raw!r}")


def email(name: str = "EMAIL_URL", default: str = "consolemail://") -> dict:
    raw = env.str(name, default=default).strip()
    try:
        return environ.Env.email_url_config(raw)
    except Exception:
        raise ConfigurationError(
            f"{name} is malformed ({raw!r}): use smtp://user:password@host:port or consolemail://"
        ) from None


def decimal(name: str, default: str) -> Decimal:
    """A non-negative amount of money, such as a refund approval threshold."""
    raw = env.str(name, default=default).strip()
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ConfigurationError(f"{name} must be an amount such as 1000 or 1000.00, not {raw!r}") from None
    if not value.is_finite() or value < 0:
        raise ConfigurationError(f"{name} must be an amount of zero or more, not {raw!r}")
    return value


# Production's SECRET_KEY while DJANGO_SECRET_KEY is unset: Django (and the token library,
# which reads it on import) would stop with a traceback on an empty one; this value lets
# start-up reach the system checks, which refuse it and name the variable.
UNSET_SECRET_KEY = "unset: set DJANGO_SECRET_KEY"
