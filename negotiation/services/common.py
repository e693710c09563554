"""What every negotiation service shares: who acts for which side, the refusals, e-mail."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from buyers.models import Buyer
from exhibitors.models import CompanyStatus, Exhibitor, Membership
from exhibitors.uploads import validate_document
from expo.mail import mail_send

from ..models import CompanyBlock, Inquiry, Meeting, Quote, SampleRequest, Side

MAX_ATTACHMENTS = 5
MAX_SAMPLES = 100
MAX_MEETING_TIMES = 3
MEETING_ANSWER_HOURS = 72
MEETING_DURATIONS = (15, 30, 45, 60, 90, 120)
SAMPLE_PRICE_DAYS = 30

# Companies registered in these countries read their e-mail in Chinese, every other in English.
CHINESE_COUNTRIES = frozenset({"CN", "HK", "MO", "TW"})


def _side(membership: Membership) -> str:
    return Side.EXHIBITOR if membership.exhibitor_id else Side.BUYER


def _require_side(membership: Membership, side: str) -> None:
    if _side(membership) != side:
        if side == Side.BUYER:
            raise ValidationError(_("Only a buyer company can do this; switch to your buyer company."))
        raise ValidationError(_("Only the exhibitor can do this."))


def _require_party(membership: Membership, obj) -> str:
    """The acting company's side in ``obj``; anyone else is refused (views already 404 them)."""
    side = _side(membership)
    buyer_id = obj.request.buyer_id if isinstance(obj, Quote) else obj.buyer_id
    if (side == Side.BUYER and buyer_id != membership.buyer_id) or (
        side == Side.EXHIBITOR and obj.exhibitor_id != membership.exhibitor_id
    ):
        raise ValidationError(_("This belongs to other companies."))
    return side


def _require_verified(company) -> None:
    if company.status != CompanyStatus.VERIFIED:
        raise ValidationError(
            _("%(company)s is not verified yet; it can start talks once the expo staff have verified it.")
            % {"company": company.display_name}
        )


def _require_listed(exhibitor: Exhibitor) -> None:
    if exhibitor.status == CompanyStatus.REJECTED:
        raise ValidationError(_("This exhibitor is not on the platform."))


def _status_refusal(message: str, obj, code: str = "status") -> ValidationError:
    """``message`` names the record's status (``%(status)s``), in lower case as in a sentence."""
    return ValidationError(message % {"status": obj.get_status_display().lower()}, code=code)


def check_not_blocked(*, buyer_id: int, exhibitor_id: int, side: str) -> None:
    """Refuse anything new between a pair when either of them blocked the other."""
    blocks = set(
        CompanyBlock.objects.filter(buyer_id=buyer_id, exhibitor_id=exhibitor_id).values_list(
            "blocked_by", flat=True
        )
    )
    if side in blocks:
        raise ValidationError(
            _("You have blocked this company. Unblock it under “Blocked companies” to write to it again."),
            code="blocked_by_you",
        )
    if blocks:
        raise ValidationError(
            _("This company does not accept messages or requests from your company."), code="blocked_you"
        )


def _check_daily_limit(*, buyer: Buyer, kind: str) -> None:
    limit = settings.NEGOTIATION_DAILY_LIMITS.get(kind)
    if not limit:
        return
    model = {"inquiry": Inquiry, "meeting": Meeting, "sample": SampleRequest}[kind]
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    if model.objects.filter(buyer=buyer, created_at__gte=start).count() >= limit:
        names = {"inquiry": _("inquiries"), "meeting": _("meeting requests"), "sample": _("sample requests")}
        raise ValidationError(
            _("Your company has reached today's limit of %(limit)s new %(what)s. Please try again tomorrow.")
            % {"limit": limit, "what": names[kind]},
            code="daily_limit",
        )


def _exhibitor_of_product(product) -> Exhibitor:
    exhibitor = Exhibitor.objects.filter(partner__stockrecords__product=product).first()
    if exhibitor is None:
        raise ValidationError(_("'%(title)s' has no exhibitor.") % {"title": product.get_title()})
    return exhibitor


def _check_files(files) -> list:
    files = [f for f in (files or []) if f]
    if len(files) > MAX_ATTACHMENTS:
        raise ValidationError(
            _("Attach at most %(count)s files to one message.") % {"count": MAX_ATTACHMENTS}
        )
    for upload in files:
        try:
            validate_document(upload)
        except ValidationError as error:
            raise ValidationError(
                _("%(name)s: %(error)s") % {"name": upload.name, "error": " ".join(error.messages)},
                code="attachment",
            ) from None
    return files


def _local(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


# --- e-mail ------------------------------------------------------------------------------------


def _member_emails(company) -> list[str]:
    """Every member of a company hears about its negotiations (any of them may answer)."""
    emails = set(
        Membership.objects.filter(**{company.kind: company})
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    if not emails and company.contact_email:
        emails.add(company.contact_email)
    return sorted(emails)


def company_language(company) -> str:
    """The language a company's e-mail is written in."""
    return "zh-hans" if (company.country or "CN").upper() in CHINESE_COUNTRIES else "en"


def _company_url(name: str, *args, language: str = "zh-hans") -> str:
    """The absolute address of a company-centre page, with the language prefix of ``language``."""
    with override(language):
        path = reverse(f"company:{name}", args=args)
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _notify(company, *, code: str, link: tuple, **context) -> None:
    """Mail message ``code`` to every member of ``company`` in the company's language; ``link``
    (URL name and arguments) is the page to answer on, passed to the templates as ``url``."""
    language = company_language(company)
    mail_send(
        code=code,
        context={"company": company, "url": _company_url(*link, language=language), **context},
        recipients=_member_emails(company),
        language=language,
    )


def _app_notice(company, *, kind: str, obj, about=None, **params) -> None:
    """The in-app (and push) notification of an event, beside its e-mail; in the same transaction."""
    from notifications.services import notification_add

    status = getattr(obj, "status", "")
    notification_add(
        company=company,
        kind=kind,
        about=about,
        params={"label": obj.label, **({"status": str(status)} if status else {}), **params},
        object_type=type(obj).__name__.lower().replace("samplerequest", "sample"),
        object_ref=obj.pk,
    )
