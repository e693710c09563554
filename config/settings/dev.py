"""Local development: debug on unless told otherwise, e-mail to the console."""

from config.env import boolean

from .base import *  # noqa: F403

DEBUG = boolean("DJANGO_DEBUG", default=True)
INTERNAL_IPS = ["127.0.0.1"]

from .demo_values import DEMO_BANK_TRANSFER_ACCOUNT

if not BANK_TRANSFER_ACCOUNT["account_number"]:  # noqa: F405
    BANK_TRANSFER_ACCOUNT = DEMO_BANK_TRANSFER_ACCOUNT

try:
    from .local import *  # noqa: F403 - untracked per-developer overrides
except ImportError:
    pass
