"""Companies of the resource database; the shared company fields are written once here."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .codes import Certification
from .uploads import validate_document, validate_image

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
    rejection_reason = models.TextField(_("Reason for rejection"), blank=True)
    verified_at = models.DateTimeField(_("Verified at"), null=True, blank=True)
    logo = models.ImageField(_("Logo"), upload_to="companies/logos/", blank=True, validators=[validate_image])
    business_licence = models.FileField(
        _("Business licence"), upload_to="companies/licences/", blank=True, validators=[validate_document]
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

    kind = "exhibitor"

    partner = models.OneToOneField(
        "partner.Partner", on_delete=models.PROTECT, related_name="exhibitor", verbose_name=_("Partner")
    )
    categories = models.ManyToManyField("catalogue.Category", blank=True, related_name="exhibitors")
    prices_for_buyers_only = models.BooleanField(
        _("Show prices to logged-in buyers only"),
        default=False,
        help_text=_("Visitors then see “log in for prices”."),
    )

    class Meta(Company.Meta):
        verbose_name = _("exhibitor")
        verbose_name_plural = _("exhibitors")


class CompanyPhoto(models.Model):
    """A photo of a company's gallery (factory, products, booth)."""

    exhibitor = models.ForeignKey(
        Exhibitor, on_delete=models.CASCADE, null=True, blank=True, related_name="photos"
    )
    buyer = models.ForeignKey(
        "buyers.Buyer", on_delete=models.CASCADE, null=True, blank=True, related_name="photos"
    )
    image = models.ImageField(_("Photo"), upload_to="companies/photos/", validators=[validate_image])
    caption = models.CharField(_("Caption"), max_length=255, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    def __str__(self) -> str:
        return self.caption or self.image.name

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(exhibitor__isnull=False, buyer__isnull=True)
                | Q(exhibitor__isnull=True, buyer__isnull=False),
                name="photo_belongs_to_one_company",
            )
        ]


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    STAFF = "staff", _("Staff")


class Membership(models.Model):
    """A person's place in a company, on the exhibitor or the buyer side (exactly one of them)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    exhibitor = models.ForeignKey(
        Exhibitor, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships"
    )
    buyer = models.ForeignKey(
        "buyers.Buyer", on_delete=models.CASCADE, null=True, blank=True, related_name="memberships"
    )
    role = models.CharField(_("Role"), max_length=8, choices=Role.choices, default=Role.STAFF)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        constraints = [
            models.CheckConstraint(
                condition=Q(exhibitor__isnull=False, buyer__isnull=True)
                | Q(exhibitor__isnull=True, buyer__isnull=False),
                name="membership_has_one_company",
            ),
            models.UniqueConstraint(fields=["user", "exhibitor"], name="one_membership_per_exhibitor"),
            models.UniqueConstraint(fields=["user", "buyer"], name="one_membership_per_buyer"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.company} ({self.role})"

    @property
    def company(self) -> Company:
        return self.exhibitor or self.buyer


class Invitation(models.Model):
    """An owner's invitation for a person (by e-mail) to join their company."""

    exhibitor = models.ForeignKey(
        Exhibitor, on_delete=models.CASCADE, null=True, blank=True, related_name="invitations"
    )
    buyer = models.ForeignKey(
        "buyers.Buyer", on_delete=models.CASCADE, null=True, blank=True, related_name="invitations"
    )
    email = models.EmailField(_("E-mail"))
    role = models.CharField(_("Role"), max_length=8, choices=Role.choices, default=Role.STAFF)
    token = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        constraints = [
            models.CheckConstraint(
                condition=Q(exhibitor__isnull=False, buyer__isnull=True)
                | Q(exhibitor__isnull=True, buyer__isnull=False),
                name="invitation_has_one_company",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.company}"

    @property
    def company(self) -> Company:
        return self.exhibitor or self.buyer


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    EXPIRED = "expired", _("Expired")


class Certificate(models.Model):
    """A certificate an exhibitor holds; valid up to and including ``valid_until``."""

    exhibitor = models.ForeignKey(Exhibitor, on_delete=models.CASCADE, related_name="certificates")
    code = models.CharField(_("Certification"), max_length=16, choices=Certification.choices)
    number = models.CharField(_("Certificate number"), max_length=128, blank=True)
    issuer = models.CharField(_("Issued by"), max_length=255, blank=True)
    scope = models.TextField(_("Scope"), blank=True)
    valid_until = models.DateField(
        _("Valid until"), null=True, blank=True, help_text=_("Empty: no expiry date")
    )
    document = models.FileField(
        _("Scanned certificate"),
        upload_to="companies/certificates/",
        blank=True,
        validators=[validate_document],
    )
    status = models.CharField(
        _("Status"),
        max_length=8,
        choices=CertificateStatus.choices,
        default=CertificateStatus.VALID,
        db_index=True,
    )
    warned_30_at = models.DateTimeField(null=True, blank=True)
    warned_7_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["code", "-valid_until"]
        constraints = [models.UniqueConstraint(fields=["exhibitor", "code"], name="one_certificate_per_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.number}".strip()

    def is_valid_on(self, day=None) -> bool:
        """Counts on ``day`` (default today): not marked expired, and the date not past.

        The same rule in SQL is ``exhibitors.selectors.counting_certificates``.
        """
        day = day or timezone.localdate()
        return self.status == CertificateStatus.VALID and (
            self.valid_until is None or self.valid_until >= day
        )


class Participation(models.Model):
    """An exhibitor's presence at one expo edition (a year), with hall and booth; kept for history."""

    exhibitor = models.ForeignKey(Exhibitor, on_delete=models.CASCADE, related_name="participations")
    edition = models.PositiveSmallIntegerField(_("Expo edition (year)"), db_index=True)
    hall = models.CharField(_("Hall"), max_length=64, blank=True)
    booth = models.CharField(_("Booth"), max_length=64, blank=True)
    intro_zh = models.TextField(_("Booth introduction (Chinese)"), blank=True)
    intro_en = models.TextField(_("Booth introduction (English)"), blank=True)
    video_url = models.URLField(_("Booth video link"), blank=True)
    withdrawn = models.BooleanField(
        _("Withdrawn"), default=False, help_text=_("A withdrawn booth is no longer shown to visitors.")
    )

    class Meta:
        verbose_name = _("expo participation")
        ordering = ["-edition"]
        constraints = [
            models.UniqueConstraint(fields=["exhibitor", "edition"], name="one_participation_per_edition")
        ]

    def __str__(self) -> str:
        return f"{self.edition} {self.booth}".strip()

    @property
    def display_intro(self) -> str:
        if (get_language() or "").startswith("en"):
            return self.intro_en or self.intro_zh
        return self.intro_zh or self.intro_en
