"""Settings shared by every environment; values come from the environment (django-environ).

Every variable read here is listed in ``.env.example``. With nothing set, the site runs
on a SQLite file, Celery runs tasks eagerly and search uses the database backend.
"""

from datetime import timedelta

from django.utils.translation import gettext_lazy as _
from oscar.defaults import *  # noqa: F403 - Oscar's settings first, ours override them

from config.env import BASE_DIR, boolean, database, decimal, email, env, url
from order.statuses import LineStatus, OrderStatus

# https://docs.djangoproject.com/en/5.2/ref/settings/#core-settings
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="dev-only-insecure-key-change-me-before-going-live")
DEBUG = boolean("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
# Oscar's migrations read this when they run: it must be set before the first migrate.
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
SITE_ID = 1

# https://django-environ.readthedocs.io/en/latest/types.html#environ-env-db-url
DATABASES = {"default": database("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DJANGO_CONN_MAX_AGE", default=0))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the dev server read while the worker or a test writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The planner's default cost of a random read (4) is for spinning disks; on SSD or a
    # cached database an index lookup per search hit beats a scan of the whole text table.
    # Measured in benchmarks/search_bench.py; DJANGO_PG_RANDOM_PAGE_COST=4 restores the default.
    _page_cost = env.float("DJANGO_PG_RANDOM_PAGE_COST", default=1.1)
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c random_page_cost={_page_cost}".strip()

DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.flatpages",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]

THIRD_PARTY_APPS = [
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.locales",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "widget_tweaks",
    "haystack",
    "treebeard",
    "sorl.thumbnail",
    "django_tables2",
    "django_celery_beat",
    "rest_framework",
    "drf_spectacular",
    "django_filters",
    "rest_framework_simplejwt.token_blacklist",
    "mobile",
]

# https://django-oscar.readthedocs.io/en/stable/internals/getting_started.html
# Forked apps replace Oscar's entry; the rest stay Oscar's own.
OSCAR_APPS = [
    "config.apps.ExpoShopConfig",
    "oscar.apps.analytics.apps.AnalyticsConfig",
    "checkout.apps.CheckoutConfig",
    "oscar.apps.address.apps.AddressConfig",
    "shipping.apps.ShippingConfig",
    "catalogue.apps.CatalogueConfig",
    "oscar.apps.catalogue.reviews.apps.CatalogueReviewsConfig",
    "oscar.apps.communication.apps.CommunicationConfig",
    "partner.apps.PartnerConfig",
    "basket.apps.BasketConfig",
    "oscar.apps.payment.apps.PaymentConfig",
    "oscar.apps.offer.apps.OfferConfig",
    "order.apps.OrderConfig",
    "oscar.apps.customer.apps.CustomerConfig",
    "search.apps.SearchConfig",
    "oscar.apps.voucher.apps.VoucherConfig",
    "oscar.apps.wishlists.apps.WishlistsConfig",
    "oscar.apps.dashboard.apps.DashboardConfig",
    "oscar.apps.dashboard.reports.apps.ReportsDashboardConfig",
    "oscar.apps.dashboard.users.apps.UsersDashboardConfig",
    "oscar.apps.dashboard.orders.apps.OrdersDashboardConfig",
    "oscar.apps.dashboard.catalogue.apps.CatalogueDashboardConfig",
    "oscar.apps.dashboard.offers.apps.OffersDashboardConfig",
    "oscar.apps.dashboard.partners.apps.PartnersDashboardConfig",
    "oscar.apps.dashboard.pages.apps.PagesDashboardConfig",
    "oscar.apps.dashboard.ranges.apps.RangesDashboardConfig",
    "oscar.apps.dashboard.reviews.apps.ReviewsDashboardConfig",
    "oscar.apps.dashboard.vouchers.apps.VouchersDashboardConfig",
    "oscar.apps.dashboard.communications.apps.CommunicationsDashboardConfig",
    "oscar.apps.dashboard.shipping.apps.ShippingDashboardConfig",
]

LOCAL_APPS = [
    "expo.apps.ExpoConfig",
    "exhibitors.apps.ExhibitorsConfig",
    "buyers.apps.BuyersConfig",
    "payments.apps.PaymentsConfig",
    "negotiation.apps.NegotiationConfig",
    "credit.apps.CreditConfig",
    "stats.apps.StatsConfig",
    "notifications.apps.NotificationsConfig",
]

INSTALLED_APPS = DJANGO_APPS + LOCAL_APPS + THIRD_PARTY_APPS + OSCAR_APPS

# Order established for Oscar + Wagtail: Locale before Common, Oscar's basket after auth.
# ServiceUnavailable turns a view's database, broker or search outage into a 503 (config/faults.py).
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.faults.ServiceUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "oscar.apps.basket.middleware.BasketMiddleware",
    "django.contrib.flatpages.middleware.FlatpageFallbackMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "oscar.apps.search.context_processors.search_form",
                "oscar.apps.checkout.context_processors.checkout",
                "oscar.apps.communication.notifications.context_processors.notifications",
                "oscar.core.context_processors.metadata",
                "expo.context_processors.site_chrome",
                "negotiation.context_processors.unread",
            ],
        },
    }
]

AUTHENTICATION_BACKENDS = [
    "oscar.apps.customer.auth_backends.EmailBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "config.passwords.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "customer:login"
LOGIN_REDIRECT_URL = "/"

# https://docs.djangoproject.com/en/5.2/topics/i18n/
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

# https://docs.djangoproject.com/en/5.2/howto/static-files/
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# https://docs.wagtail.org/en/stable/reference/settings.html
WAGTAIL_SITE_NAME = "中国（漯河）食品博览会 · China Food Expo"
WAGTAILADMIN_BASE_URL = env.str("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILIMAGES_IMAGE_MODEL = "wagtailimages.Image"

# https://django-oscar.readthedocs.io/en/stable/ref/settings.html
OSCAR_SHOP_NAME = _("China Food Expo")
OSCAR_SHOP_TAGLINE = _("The food expo that never closes")
OSCAR_DEFAULT_CURRENCY = "CNY"
# The currencies products may be priced and paid in (ISO 4217; config/currencies.py reads it).
EXPO_CURRENCIES = env.list(
    "EXPO_CURRENCIES", default=["CNY", "USD", "EUR", "HKD", "JPY", "KRW", "GBP", "RUB", "KZT", "SGD"]
)
OSCAR_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="noreply@foodexpo.example")
OSCAR_REQUIRED_ADDRESS_FIELDS = ("first_name", "line1", "line4", "country")
# Oscar 4.2 still needs haystack for its internals; browsing and search belong to our
# search/ app, so haystack stays on the simple engine.
OSCAR_MAX_BASKET_QUANTITY_THRESHOLD = 100_000  # wholesale baskets hold many cartons
HAYSTACK_CONNECTIONS = {"default": {"ENGINE": "haystack.backends.simple_backend.SimpleEngine"}}
OSCAR_DASHBOARD_NAVIGATION = OSCAR_DASHBOARD_NAVIGATION  # noqa: F405 - from oscar.defaults
# One order per checkout; each exhibitor moves its own lines along the line pipeline.
OSCAR_INITIAL_ORDER_STATUS = OrderStatus.INITIAL
OSCAR_ORDER_STATUS_PIPELINE = OrderStatus.PIPELINE
OSCAR_INITIAL_LINE_STATUS = LineStatus.INITIAL
OSCAR_LINE_STATUS_PIPELINE = LineStatus.PIPELINE

# https://docs.celeryq.dev/en/stable/userguide/configuration.html
CELERY_BROKER_URL = url("CELERY_BROKER_URL", schemes={"redis", "rediss", "amqp", "amqps", "memory"})
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = url("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or "") or None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# Search: an empty ELASTICSEARCH_URL selects the database backend.
ELASTICSEARCH_URL = url("ELASTICSEARCH_URL", schemes={"http", "https"})
ELASTICSEARCH_INDEX_PREFIX = env.str("ELASTICSEARCH_INDEX_PREFIX", default="foodexpo")

# Negotiation: per-company daily limits on new requests, and how long a thread waits before
# its one notice e-mail (a busy thread sends one mail, not fifty).
NEGOTIATION_DAILY_LIMITS = {
    "inquiry": env.int("NEGOTIATION_DAILY_INQUIRIES", default=30),
    "meeting": env.int("NEGOTIATION_DAILY_MEETINGS", default=15),
    "sample": env.int("NEGOTIATION_DAILY_SAMPLES", default=15),
}
NEGOTIATION_MAIL_DELAY_SECONDS = env.int("NEGOTIATION_MAIL_DELAY_SECONDS", default=300)
NEGOTIATION_STAFF_EMAILS = env.list("NEGOTIATION_STAFF_EMAILS", default=[])

# Credit: a line counts as delivered on time when delivered within this many days of the order.
CREDIT_ON_TIME_DAYS = 14
# https://docs.djangoproject.com/en/5.2/topics/cache/ - one cache per process unless CACHE_URL
# names a shared one (redis://...); the statistics dashboard's beat refresh reaches the web
# processes only through a shared cache.
CACHES = {"default": env.cache_url_config(env.str("CACHE_URL", default="") or "locmemcache://")}

# Statistics: how long search log rows are kept (days) and how long computed figures are
# cached (seconds; the beat task refreshes them every 10 minutes).
STATS_SEARCH_LOG_DAYS = env.int("STATS_SEARCH_LOG_DAYS", default=180)
STATS_CACHE_SECONDS = env.int("STATS_CACHE_SECONDS", default=900)
# On PostgreSQL the dashboard's sections run on this many connections at once (1: one by one).
STATS_PARALLEL_QUERIES = env.int("STATS_PARALLEL_QUERIES", default=4)

# https://docs.stripe.com/keys
STRIPE_SECRET_KEY = env.str("STRIPE_SECRET_KEY", default="")
STRIPE_PUBLISHABLE_KEY = env.str("STRIPE_PUBLISHABLE_KEY", default="")
STRIPE_WEBHOOK_SECRET = env.str("STRIPE_WEBHOOK_SECRET", default="")
STRIPE_API_BASE = url("STRIPE_API_BASE", schemes={"http", "https"})

# The account buyers pay bank transfers (对公转账) to. Production must set it (config/checks.py);
# dev and test fall back to a labelled demo account (config/settings/demo_values.py).
BANK_TRANSFER_ACCOUNT = {
    "beneficiary": env.str("BANK_TRANSFER_BENEFICIARY", default=""),
    "bank": env.str("BANK_TRANSFER_BANK", default=""),
    "account_number": env.str("BANK_TRANSFER_ACCOUNT_NUMBER", default=""),
    "swift": env.str("BANK_TRANSFER_SWIFT", default=""),
    "address": env.str("BANK_TRANSFER_ADDRESS", default=""),
}
# Refunds of platform-collected money above this amount (in the order's currency) wait for
# staff approval; at or below it they go to Stripe when the exhibitor asks.
EXPO_REFUND_APPROVAL_ABOVE = decimal("EXPO_REFUND_APPROVAL_ABOVE", default="1000")
# config.settings.production turns this on, and with it the checks in config/checks.py.
EXPO_PRODUCTION = False

# https://django-environ.readthedocs.io/en/latest/types.html#environ-env-email-url
globals().update(email("EMAIL_URL"))
DEFAULT_FROM_EMAIL = OSCAR_FROM_EMAIL
SERVER_EMAIL = OSCAR_FROM_EMAIL

# https://www.django-rest-framework.org/api-guide/settings/
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "EXCEPTION_HANDLER": "config.api.exception_handler",
    # Apps send "Authorization: Bearer <access>" (mobile.auth); the site's pages use the session.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework_simplejwt.authentication.JWTAuthentication",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "login": env.str("API_LOGIN_RATE", default="10/min"),
        "register": env.str("API_REGISTER_RATE", default="10/min"),
    },
}
SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env.int("API_ACCESS_TOKEN_MINUTES", default=15)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env.int("API_REFRESH_TOKEN_DAYS", default=30)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": True,
    "AUTH_HEADER_TYPES": ("Bearer",),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "China Food Expo API",
    "DESCRIPTION": "Products, exhibitors and matchmaking of the food expo platform.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "PREPROCESSING_HOOKS": ["config.api.public_api_only"],
}

# Web push (https://datatracker.ietf.org/doc/html/rfc8292): VAPID keys; push is off while unset.
# The public key is the urlsafe base64 application server key browsers subscribe with.
WEBPUSH_VAPID_PUBLIC_KEY = env.str("WEBPUSH_VAPID_PUBLIC_KEY", default="")
WEBPUSH_VAPID_PRIVATE_KEY = env.str("WEBPUSH_VAPID_PRIVATE_KEY", default="")
WEBPUSH_VAPID_SUBJECT = env.str("WEBPUSH_VAPID_SUBJECT", default="")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # Wagtail logs every page action and task at INFO; keep the console for what matters.
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}
