"""Code lists of the staff spreadsheet formats: certifications, storage, buyer types."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Certification(models.TextChoices):
    SC = "SC", _("SC food production licence (食品生产许可证)")
    HACCP = "HACCP", "HACCP"
    ISO22000 = "ISO22000", "ISO 22000"
    ISO9001 = "ISO9001", "ISO 9001"
    BRCGS = "BRCGS", "BRCGS"
    IFS = "IFS", "IFS"
    HALAL = "HALAL", _("Halal")
    KOSHER = "KOSHER", _("Kosher")
    ORGANIC = "ORGANIC", _("Organic (有机产品认证)")
    GREEN_FOOD = "GREEN_FOOD", _("Green Food (绿色食品)")
    FDA = "FDA", _("US FDA food facility registration")


CERTIFICATION_CODES = frozenset(Certification.values)
