"""Tests: fast password hashing, in-memory cache and mail, tasks run eagerly unless a
test starts a real worker (``CELERY_BROKER_URL`` set)."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-secret-key-long-enough-for-token-signing"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
ALLOWED_HOSTS = ["*"]
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
# A test's rows are invisible to other connections: the statistics sections run one by one.
STATS_PARALLEL_QUERIES = 1

from .demo_values import DEMO_BANK_TRANSFER_ACCOUNT

if not BANK_TRANSFER_ACCOUNT["account_number"]:  # noqa: F405
    BANK_TRANSFER_ACCOUNT = DEMO_BANK_TRANSFER_ACCOUNT
