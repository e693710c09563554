"""Credit (诚信): buyers' reviews of the exhibitors they bought from, and each exhibitor's credit
profile built from real trading (verification, expo years, certificates, responsiveness,
fulfilment, refunds, ratings), with a 0..1 score that matchmaking may use as a soft signal."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreditConfig(AppConfig):
    name = "credit"
    verbose_name = _("Credit")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import receivers  # noqa: F401 - records when order lines are delivered
