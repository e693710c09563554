"""Local development: debug on unless told otherwise, e-mail to the console."""

from config.env import boolean

from .base import *  # noqa: F403

DEBUG = boolean("DJANGO_DEBUG", default=True)
INTERNAL_IPS = ["127.0.0.1"]

try:
    from .local import *  # noqa: F403 - untracked per-developer overrides
except ImportError:
    pass
