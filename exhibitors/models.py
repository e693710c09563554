"""Companies of the resource database; the shared company fields are written once here."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

key_validator = RegexValidator(
    r"^[A-Za-z0-9_.\-]{1,64}$",
    _("1-64 letters, digits, '-', '_' or '.'; no '/' and no spaces."),
)


class CompanyStatus(models.TextChoices):
    PENDING = "pending", _("Pending verification")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")


class Company(models.Model):
    """What exhibitors and buyers share: key, bilingual names, location, contacts, status.

    ``key`` is the unified social credit code (统一社会信用代码) of a Chinese company or
    the registry number of a foreign one; a company that both sells and buys has a record
    on each side with the same key.
    """

    key = models.CharField(_("Key"), max_length=64, unique=True, validators=[key_validator])
    name_zh = models.CharField(_("Chinese name"), max_length=255, blank=True)
    name_en = models.CharField(_("English name"), max_length=255, blank=True)
    country = models.CharField(_("Country"), max_length=2, default="CN")
    province = models.CharField(_("Province"), max_length=64, blank=True)
    city = models.CharField(_("City"), max_length=64, blank=True)
    description_zh = models.TextField(_("Chinese description"), blank=True)
    description_en = models.TextField(_("English description"), blank=True)
    website = models.URLField(_("Website"), blank=True)
    contact_name = models.CharField(_("Contact name"), max_length=128, blank=True)
    contact_phone = models.CharField(_("Contact phone"), max_length=64, blank=True)
    contact_email = models.EmailField(_("Contact e-mail"), blank=True)
    status = models.CharField(
        _("Status"),
        max_length=16,
        choices=CompanyStatus.choices,
        default=CompanyStatus.PENDING,
        db_index=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        ordering = ["name_zh", "name_en"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if (get_language() or "").startswith("en"):
            return self.name_en or self.name_zh
        return self.name_zh or self.name_en

    @property
    def display_description(self) -> str:
        if (get_language() or "").startswith("en"):
            return self.description_en or self.description_zh
        return self.description_zh or self.description_en

    @property
    def is_verified(self) -> bool:
        return self.status == CompanyStatus.VERIFIED


class Exhibitor(Company):
    """A food producer or trader that exhibits and sells; owns an Oscar ``Partner``."""

    partner = models.OneToOneField(
        "partner.Partner", on_delete=models.PROTECT, related_name="exhibitor", verbose_name=_("Partner")
    )
    categories = models.ManyToManyField("catalogue.Category", blank=True, related_name="exhibitors")

    class Meta(Company.Meta):
        verbose_name = _("exhibitor")
        verbose_name_plural = _("exhibitors")
