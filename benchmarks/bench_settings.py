"""Settings for the latency benchmark: the dev settings plus a URL for Oscar's own,
unmodified catalogue view, so both can be measured in the same run on the same data."""

from config.settings.dev import *  # noqa: F403

ROOT_URLCONF = "benchmarks.bench_urls"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
# The load benchmark places orders: their confirmation mails go nowhere.
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
# Persistent database connections, as production serves (config/settings/production.py): a
# new PostgreSQL connection per request would be measured otherwise.
DATABASES["default"]["CONN_MAX_AGE"] = 60  # noqa: F405
