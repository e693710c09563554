"""Every e-mail of the platform is an Oscar communication event type: a subject and a body
template per code, escaping off (plain text), and a staff-saved event type replaces them."""

from pathlib import Path

import pytest
from django.core import mail
from oscar.core.loading import get_model

from expo.mail import mail_render
from payments.services import bank_transfer_create, payment_placed_notify
from tests.checkout.support import make_buyer, make_product, place

EMAILS = Path(__file__).resolve().parents[1] / "templates" / "oscar" / "communication" / "emails"
ROOT = Path(__file__).resolve().parents[1]


def test_every_mail_code_has_a_subject_and_a_body_in_plain_text():
    subjects = sorted(EMAILS.glob("commtype_*_subject.txt"))
    codes = {p.name[len("commtype_") : -len("_subject.txt")] for p in subjects}
    assert {
        "payment_order_placed",
        "payment_refund",
        "expo_invitation",
        "order_lines_shipped",
        "match_digest",
    } <= codes
    for code in codes:
        for part in ("subject", "body"):
            text = (EMAILS / f"commtype_{code}_{part}.txt").read_text()
            assert "{% autoescape off %}" in text, (code, part)


def test_no_service_builds_an_email_by_hand():
    for path in ROOT.glob("*/**/*.py"):
        if ".venv" in path.parts or "tests" in path.parts or path.name == "tasks.py":
            continue
        text = path.read_text()
        assert "send_mail_task.delay(subject=" not in text or path.name == "mail.py", path
        assert 'subject=f"' not in text, path


@pytest.mark.django_db
def test_a_payment_mail_renders_from_its_files_and_a_staff_event_type_replaces_it(
    django_capture_on_commit_callbacks,
):
    order = place(user=make_buyer(email="mail-buyer@example.com"), items=[(make_product(price="45.00"), 2)])
    bank_transfer_create(order=order)
    with django_capture_on_commit_callbacks(execute=True):
        payment_placed_notify(order=order)
    (message,) = [m for m in mail.outbox if order.number in m.subject]
    assert message.subject == f"订单 {order.number} 已提交 · Order {order.number} placed"
    assert "&" not in message.subject and "DEMO ACCOUNT" in message.body

    get_model("communication", "CommunicationEventType").objects.create(
        code="PAYMENT_ORDER_PLACED",
        name="Order placed",
        email_subject_template="新订单 {{ order.number }}",
        email_body_template="{{ order.total_incl_tax }}",
    )
    rendered = mail_render(code="PAYMENT_ORDER_PLACED", context={"order": order}, language="en")
    assert rendered["subject"] == f"新订单 {order.number}"
    assert rendered["body"] == str(order.total_incl_tax)
