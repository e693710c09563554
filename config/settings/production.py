"""Production: every secret must come from the environment; nothing insecure by default.

A missing secret, bank account or mail server stops start-up with a system check error
naming the variable (``config/checks.py``); demo values do not exist here.
"""

from config.env import UNSET_SECRET_KEY, boolean, database, env, require

from .base import *  # noqa: F403

DEBUG = False
EXPO_PRODUCTION = True
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="").strip() or UNSET_SECRET_KEY
ALLOWED_HOSTS = [h.strip() for h in env.str("DJANGO_ALLOWED_HOSTS", default="").split(",") if h.strip()]
DATABASES = {"default": database("DATABASE_URL", default=require("DATABASE_URL"))}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)

# https://docs.djangoproject.com/en/5.2/howto/deployment/checklist/
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = boolean("DJANGO_SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"  # Wagtail marks its own preview views as same-origin
OSCAR_BASKET_COOKIE_SECURE = True
OSCAR_RECENTLY_VIEWED_COOKIE_SECURE = True
