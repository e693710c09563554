"""Negotiation e-mails: rendered from communication event types, in the recipient company's language."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.utils import translation
from oscar.core.loading import get_model

from expo.mail import mail_render
from negotiation import services
from tests.factories.negotiation import make_pair

pytestmark = pytest.mark.django_db

EMAILS = Path(settings.BASE_DIR) / "templates" / "oscar" / "communication" / "emails"


def in_language(msgid: str, language: str) -> str:
    with translation.override(language):
        return translation.gettext(msgid)


@pytest.fixture
def shipped(django_capture_on_commit_callbacks):
    """A free sample shipped to the buyer; the mails of the way there are cleared."""
    pair = make_pair()
    sample = services.sample_request_create(
        membership=pair.buyer_member, product=pair.product, quantity=2, ship_to="郑州市金水路 88 号"
    )
    services.sample_accept(membership=pair.exhibitor_member, sample=sample, free=True)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.sample_ship(membership=pair.exhibitor_member, sample=sample, tracking="SF100")
    sample.refresh_from_db()
    return pair, sample


def test_a_negotiation_mail_renders_in_chinese_and_in_english(shipped):
    pair, sample = shipped
    context = {"sample": sample, "company": pair.buyer, "url": "https://expo.example/s/1/"}
    zh = mail_render(code="NEGOTIATION_SAMPLE_SHIPPED", context=context, language="zh-hans")
    en = mail_render(code="NEGOTIATION_SAMPLE_SHIPPED", context=context, language="en")
    assert "运单号: SF100" in zh["body"] and "Tracking number: SF100" in en["body"]
    # names and titles follow the language too
    assert pair.product.title in zh["body"] and pair.product.title_en in en["body"]
    assert en["subject"].strip() == f"Samples shipped ({sample.label})"
    assert zh["subject"].strip() == f"{in_language('Samples shipped', 'zh-hans')} ({sample.label})"


def test_a_chinese_company_reads_chinese_and_a_foreign_one_english(
    shipped, django_capture_on_commit_callbacks
):
    pair, sample = shipped
    (message,) = mail.outbox
    assert set(message.to) == {pair.buyer_member.user.email, pair.buyer_colleague.user.email}
    assert "运单号" in message.body and f"/company/negotiation/samples/{sample.pk}/" in message.body
    assert "/en/" not in message.body

    pair.buyer.country = "DE"
    pair.buyer.save()
    services.sample_confirm_receipt(membership=pair.buyer_member, sample=sample)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.sample_feedback(membership=pair.buyer_member, sample=sample, feedback="香辣适中", rating=4)
    (to_exhibitor,) = mail.outbox  # the exhibitor (in China) hears of the feedback in Chinese
    assert pair.buyer.name_zh in to_exhibitor.body

    pair.exhibitor.country = "KZ"
    pair.exhibitor.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.negotiated_order_record(grant_id=0, order_number="X")  # no sample: no mail
        services.sample_feedback(membership=pair.buyer_member, sample=sample, feedback="再来一次", rating=5)
    (english,) = mail.outbox
    assert english.subject == f"Tasting feedback ({sample.label})"
    assert f"{pair.buyer.name_en} wrote how the samples tasted." in english.body
    assert f"/en/company/negotiation/samples/{sample.pk}/" in english.body


def test_plain_text_mails_are_not_html_escaped(django_capture_on_commit_callbacks):
    pair = make_pair()
    pair.buyer.name_zh = "汤姆 & 杰瑞 <贸易>"
    pair.buyer.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.sample_request_create(
            membership=pair.buyer_member, product=pair.product, quantity=1, ship_to="A & B 仓库"
        )
    (message,) = mail.outbox
    assert "汤姆 & 杰瑞 <贸易>" in message.subject
    assert "A & B 仓库" in message.body and "&amp;" not in message.body


def test_an_event_type_saved_by_the_staff_replaces_the_file_template(shipped):
    pair, sample = shipped
    get_model("communication", "CommunicationEventType").objects.create(
        code="NEGOTIATION_SAMPLE_SHIPPED",
        name="Samples shipped",
        email_subject_template="寄出 {{ sample.label }}",
        email_body_template="{{ sample.tracking }} {{ url }}",
    )
    rendered = mail_render(
        code="NEGOTIATION_SAMPLE_SHIPPED", context={"sample": sample, "url": "U"}, language="en"
    )
    assert (rendered["subject"], rendered["body"]) == (f"寄出 {sample.label}", "SF100 U")


def test_every_negotiation_mail_has_a_subject_and_a_body_that_load_i18n():
    codes = {
        p.name[len("commtype_") : -len("_subject.txt")]
        for p in EMAILS.glob("commtype_negotiation_*_subject.txt")
    }
    assert len(codes) >= 20
    for code in codes:
        for part in ("subject", "body"):
            text = (EMAILS / f"commtype_{code}_{part}.txt").read_text()
            assert text.startswith("{% load i18n %}{% autoescape off %}"), (code, part)
