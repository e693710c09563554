"""Negotiation rules: inquiries and threads, samples, quotes, blocks, limits, responsiveness."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from buyers.models import RequestStatus
from negotiation import selectors, services
from negotiation.models import (
    Inquiry,
    InquiryStatus,
    Message,
    Quote,
    QuoteStatus,
    SampleRequest,
    SampleStatus,
    Thread,
)
from tests.factories.members import MembershipFactory
from tests.factories.negotiation import make_pair, sourcing_request

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def zh(msgid: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(msgid)


@pytest.fixture
def pair():
    return make_pair()


def ask(pair, message="请问辣条的价格和起订量？", **kwargs):
    return services.inquiry_create(
        membership=pair.buyer_member,
        exhibitor=pair.exhibitor,
        products=[pair.product],
        quantity=200,
        destination="郑州",
        message=message,
        **kwargs,
    )


# --- inquiries and threads ---------------------------------------------------------------------


def test_inquiry_opens_a_thread_and_any_exhibitor_member_answers(pair):
    inquiry = ask(pair)
    assert inquiry.status == InquiryStatus.OPEN
    assert list(inquiry.products.all()) == [pair.product]
    assert selectors.unread_thread_count(membership=pair.exhibitor_colleague) == 1
    services.message_post(
        membership=pair.exhibitor_colleague, thread=inquiry.thread, body="每箱 42 元，起订 50 箱。"
    )
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.ANSWERED and inquiry.first_answered_at is not None
    # the buyer's colleague sees the unread answer; reading it clears the badge for the company
    assert selectors.unread_thread_count(membership=pair.buyer_colleague) == 1
    services.thread_mark_seen(membership=pair.buyer_colleague, thread=inquiry.thread)
    assert selectors.unread_thread_count(membership=pair.buyer_member) == 0
    authors = [(m.side, m.author_id) for m in inquiry.thread.messages.all()]
    assert authors == [("buyer", pair.buyer_member.user_id), ("exhibitor", pair.exhibitor_colleague.user_id)]


def test_a_busy_thread_sends_one_mail_not_fifty(pair, mocker, django_capture_on_commit_callbacks):
    scheduled = mocker.patch("negotiation.tasks.thread_notice.apply_async")
    with django_capture_on_commit_callbacks(execute=True):
        inquiry = ask(pair)
        for i in range(49):
            services.message_post(membership=pair.buyer_member, thread=inquiry.thread, body=f"补充 {i}")
    assert scheduled.call_count == 1
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.thread_notice_send(thread_id=inquiry.thread_id, side="exhibitor") == 50
    assert len(mail.outbox) == 1
    assert "50" in mail.outbox[0].subject
    assert set(mail.outbox[0].to) == {pair.exhibitor_member.user.email, pair.exhibitor_colleague.user.email}
    # nothing new: no second mail; a new message schedules the next batch
    with django_capture_on_commit_callbacks(execute=True):
        assert services.thread_notice_send(thread_id=inquiry.thread_id, side="exhibitor") == 0
        services.message_post(membership=pair.buyer_member, thread=inquiry.thread, body="还在吗？")
    assert len(mail.outbox) == 1 and scheduled.call_count == 2


def test_no_mail_when_the_company_already_read_the_thread(pair, django_capture_on_commit_callbacks, mocker):
    mocker.patch("negotiation.tasks.thread_notice.apply_async")
    inquiry = ask(pair)
    services.thread_mark_seen(membership=pair.exhibitor_member, thread=inquiry.thread)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.thread_notice_send(thread_id=inquiry.thread_id, side="exhibitor") == 0
    assert mail.outbox == []


@pytest.mark.parametrize("blocked_by", ["buyer", "exhibitor"])
def test_blocked_pairs_exchange_nothing_and_nothing_is_saved(pair, blocked_by):
    inquiry = ask(pair)
    if blocked_by == "buyer":
        services.company_block(membership=pair.buyer_member, counterpart=pair.exhibitor)
        expected = "You have blocked this company"
    else:
        services.company_block(membership=pair.exhibitor_member, counterpart=pair.buyer)
        expected = "does not accept messages"
    before = Message.objects.count()
    with pytest.raises(ValidationError, match=expected):
        services.message_post(membership=pair.buyer_member, thread=inquiry.thread, body="hello")
    with pytest.raises(ValidationError, match=expected):
        ask(pair)
    assert Message.objects.count() == before and Inquiry.objects.count() == 1
    # unblocking (by the side that blocked) opens the way again
    who = pair.buyer_member if blocked_by == "buyer" else pair.exhibitor_member
    services.company_unblock(
        membership=who, counterpart=pair.exhibitor if blocked_by == "buyer" else pair.buyer
    )
    services.message_post(membership=pair.buyer_member, thread=inquiry.thread, body="hello")


def test_an_executable_renamed_pdf_is_refused_and_nothing_is_half_saved(pair):
    fake = SimpleUploadedFile("price-list.pdf", EXE, content_type="application/pdf")
    with pytest.raises(ValidationError, match="price-list.pdf: This file is not a PDF"):
        ask(pair, files=[fake])
    assert not Inquiry.objects.exists() and not Thread.objects.exists()
    real = SimpleUploadedFile("spec.pdf", PDF, content_type="application/pdf")
    inquiry = ask(pair, files=[real])
    assert inquiry.thread.messages.get().attachments.get().name == "spec.pdf"


def test_daily_inquiry_limit_per_company(pair, settings):
    settings.NEGOTIATION_DAILY_LIMITS = {"inquiry": 2, "meeting": 2, "sample": 2}
    ask(pair)
    services.inquiry_create(membership=pair.buyer_colleague, exhibitor=pair.exhibitor, message="second")
    with pytest.raises(ValidationError, match="today's limit of 2 new inquiries"):
        ask(pair)
    Inquiry.objects.update(created_at=timezone.now() - timedelta(days=1))
    ask(pair)


def test_closed_inquiry_takes_no_more_messages(pair):
    inquiry = ask(pair)
    services.inquiry_close(membership=pair.exhibitor_member, inquiry=inquiry)
    with pytest.raises(ValidationError, match="This inquiry is closed"):
        services.message_post(membership=pair.buyer_member, thread=inquiry.thread, body="again")


def test_only_buyers_send_inquiries_and_third_companies_cannot_write(pair):
    with pytest.raises(ValidationError, match="Only a buyer company"):
        services.inquiry_create(membership=pair.exhibitor_member, exhibitor=pair.exhibitor, message="x")
    inquiry = ask(pair)
    with pytest.raises(ValidationError):
        services.message_post(membership=MembershipFactory(), thread=inquiry.thread, body="intruder")


def test_unverified_buyer_cannot_start_talks(pair):
    pair.buyer.status = "pending"
    pair.buyer.save()
    with pytest.raises(ValidationError, match="not verified yet"):
        ask(pair)


# --- samples ---------------------------------------------------------------------------------------


def request_samples(pair, quantity=3):
    return services.sample_request_create(
        membership=pair.buyer_member, product=pair.product, quantity=quantity, ship_to="郑州市金水路 88 号"
    )


def test_free_sample_is_shipped_received_and_rated_feedback_for_the_exhibitor(pair):
    sample = request_samples(pair)
    services.sample_accept(membership=pair.exhibitor_colleague, sample=sample, free=True)
    with pytest.raises(ValidationError, match="tracking number"):
        services.sample_ship(membership=pair.exhibitor_member, sample=sample, tracking=" ")
    services.sample_ship(membership=pair.exhibitor_member, sample=sample, tracking="SF100")
    services.sample_confirm_receipt(membership=pair.buyer_member, sample=sample)
    services.sample_feedback(membership=pair.buyer_member, sample=sample, feedback="香辣适中", rating=4)
    sample.refresh_from_db()
    assert (sample.status, sample.tracking, sample.feedback_rating) == (SampleStatus.RECEIVED, "SF100", 4)
    assert sample.price_grant_id is None


def test_paid_sample_becomes_a_negotiated_price_and_the_order_is_recorded(pair):
    from partner.models import NegotiatedPrice
    from partner.signals import negotiated_price_ordered

    sample = request_samples(pair, quantity=4)
    services.sample_accept(
        membership=pair.exhibitor_member, sample=sample, free=False, unit_price=Decimal("8.50")
    )
    sample.refresh_from_db()
    grant = NegotiatedPrice.objects.get(pk=sample.price_grant_id)
    assert (grant.kind, grant.quantity, grant.unit_price, grant.buyer) == (
        "sample",
        4,
        Decimal("8.50"),
        pair.buyer,
    )
    assert grant.reference == sample.label
    with pytest.raises(ValidationError, match="not ordered these samples yet"):
        services.sample_ship(membership=pair.exhibitor_member, sample=sample, tracking="SF1")

    class FakeOrder:
        number = "100042"

    negotiated_price_ordered.send(sender=NegotiatedPrice, grant=grant, order=FakeOrder())
    sample.refresh_from_db()
    assert (sample.status, sample.order_number) == (SampleStatus.ORDERED, "100042")


def test_declining_needs_a_reason_and_answers_once(pair):
    sample = request_samples(pair)
    with pytest.raises(ValidationError, match="reason"):
        services.sample_decline(membership=pair.exhibitor_member, sample=sample, reason="")
    services.sample_decline(membership=pair.exhibitor_member, sample=sample, reason="本季无货")
    with pytest.raises(ValidationError, match="already declined"):
        services.sample_accept(membership=pair.exhibitor_member, sample=sample, free=True)
    assert SampleRequest.objects.get().decline_reason == "本季无货"


def test_paid_sample_needs_a_price(pair):
    sample = request_samples(pair)
    with pytest.raises(ValidationError, match="sample price"):
        services.sample_accept(membership=pair.exhibitor_member, sample=sample, free=False, unit_price=None)
    sample.refresh_from_db()
    assert sample.status == SampleStatus.REQUESTED


# --- quotes ----------------------------------------------------------------------------------------


def quote(member, request, product, price="42.00", valid_days=10, moq=50):
    return services.quote_submit(
        membership=member,
        request=request,
        product=product,
        unit_price=Decimal(price),
        moq=moq,
        lead_time_days=7,
        delivery_terms="delivered",
        valid_until=timezone.localdate() + timedelta(days=valid_days),
        message="含运费",
    )


@pytest.fixture
def two_quotes(pair):
    from tests.factories.catalogue import ProductFactory

    other = make_pair()
    request = sourcing_request(buyer=pair.buyer, quantity=Decimal("500"))
    q1 = quote(pair.exhibitor_member, request, pair.product, "42.00")
    q2 = quote(other.exhibitor_member, request, ProductFactory(exhibitor=other.exhibitor), "40.00")
    return request, q1, q2


def test_accepting_a_quote_grants_the_price_closes_the_request_and_tells_the_other(
    pair, two_quotes, django_capture_on_commit_callbacks
):
    from partner.models import NegotiatedPrice

    request, q1, q2 = two_quotes
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.quote_accept(membership=pair.buyer_colleague, quote=q1)
    q1.refresh_from_db()
    q2.refresh_from_db()
    request.refresh_from_db()
    assert (q1.status, q2.status, request.status) == (QuoteStatus.ACCEPTED, QuoteStatus.NOT_CHOSEN, "closed")
    grant = NegotiatedPrice.objects.get(pk=q1.price_grant_id)
    assert (grant.kind, grant.quantity, grant.unit_price, grant.valid_until) == (
        "quote",
        500,
        Decimal("42.00"),
        q1.valid_until,
    )
    subjects = [m.subject for m in mail.outbox]  # the companies are Chinese: their mail is in Chinese
    assert any(zh("Quote not chosen") in s for s in subjects) and any(
        zh("Quote accepted") in s for s in subjects
    )
    # the request is closed: no second acceptance, no new quote
    with pytest.raises(ValidationError, match="not chosen"):
        services.quote_accept(membership=pair.buyer_member, quote=q2)
    with pytest.raises(ValidationError, match="closed"):
        quote(make_pair().exhibitor_member, request, pair.product)


def test_a_request_with_an_accepted_quote_cannot_be_reopened(pair, two_quotes):
    from buyers.services import sourcing_request_reopen

    request, q1, _q2 = two_quotes
    services.quote_accept(membership=pair.buyer_member, quote=q1)
    request.refresh_from_db()
    with pytest.raises(ValidationError, match="was accepted"):
        sourcing_request_reopen(membership=pair.buyer_member, request=request)
    request.refresh_from_db()
    assert request.status == RequestStatus.CLOSED


def test_quote_on_a_closed_request_is_refused(pair):
    request = sourcing_request(buyer=pair.buyer, status=RequestStatus.CLOSED)
    with pytest.raises(ValidationError, match="This sourcing request is closed"):
        quote(pair.exhibitor_member, request, pair.product)
    assert not Quote.objects.exists()


def test_accepting_an_expired_quote_is_refused(pair, two_quotes):
    request, q1, _q2 = two_quotes
    Quote.objects.filter(pk=q1.pk).update(valid_until=timezone.localdate() - timedelta(days=1))
    with pytest.raises(ValidationError, match="This quote expired on"):
        services.quote_accept(membership=pair.buyer_member, quote=q1)
    request.refresh_from_db()
    assert request.status == "open" and Quote.objects.get(pk=q1.pk).status == QuoteStatus.OPEN


def test_closing_a_request_expires_its_open_quotes_with_a_notice(
    pair, two_quotes, django_capture_on_commit_callbacks
):
    request, q1, q2 = two_quotes
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.request_close(membership=pair.buyer_member, request=request)
    assert set(Quote.objects.values_list("status", flat=True)) == {QuoteStatus.EXPIRED}
    assert sum(zh("Quote expired") in m.subject for m in mail.outbox) == 2


def test_stale_quotes_expire_in_the_periodic_run(pair, two_quotes):
    request, q1, q2 = two_quotes
    Quote.objects.filter(pk=q1.pk).update(valid_until=timezone.localdate() - timedelta(days=1))
    assert services.quotes_expire() == 1
    assert Quote.objects.get(pk=q1.pk).status == QuoteStatus.EXPIRED
    # a request closed elsewhere (the buyers' pages) expires the rest
    type(request).objects.filter(pk=request.pk).update(status="closed")
    assert services.quotes_expire() == 1


def test_revising_an_open_quote_keeps_one_quote_per_exhibitor(pair):
    request = sourcing_request(buyer=pair.buyer)
    first = quote(pair.exhibitor_member, request, pair.product, "42.00")
    second = quote(pair.exhibitor_colleague, request, pair.product, "41.00")
    assert first.pk == second.pk and Quote.objects.get().unit_price == Decimal("41.00")


def test_buyer_reply_on_a_quote_counts_as_its_answer(pair, two_quotes):
    _request, q1, _q2 = two_quotes
    services.message_post(membership=pair.buyer_member, thread=q1.thread, body="能否 30 天交货？")
    q1.refresh_from_db()
    assert q1.first_answered_at is not None
    figures = selectors.responsiveness_for(buyer_ids=[pair.buyer.pk])[pair.buyer.pk]
    assert (figures["answered"], figures["received"], figures["answer_rate"]) == (1, 2, 0.5)


# --- responsiveness -------------------------------------------------------------------------------


def test_responsiveness_is_the_median_first_answer_time_and_the_answer_rate_over_90_days(pair):
    now = timezone.now()
    for hours in (2, 4, None):
        inquiry = ask(pair)
        Inquiry.objects.filter(pk=inquiry.pk).update(
            created_at=now - timedelta(days=5),
            first_answered_at=(now - timedelta(days=5) + timedelta(hours=hours)) if hours else None,
        )
    old = ask(pair)
    Inquiry.objects.filter(pk=old.pk).update(created_at=now - timedelta(days=120))
    silent = make_pair()
    figures = selectors.responsiveness_for(exhibitor_ids=[pair.exhibitor.pk, silent.exhibitor.pk])
    assert figures[pair.exhibitor.pk] == {
        "median_first_answer_hours": 3.0,
        "answer_rate": round(2 / 3, 4),
        "answered": 2,
        "received": 3,
    }
    assert figures[silent.exhibitor.pk] == {
        "median_first_answer_hours": None,
        "answer_rate": None,
        "answered": 0,
        "received": 0,
    }
    # as of a day in the past, answers given later do not count yet
    earlier = selectors.responsiveness_for(
        exhibitor_ids=[pair.exhibitor.pk], as_of=now - timedelta(days=5) + timedelta(hours=3)
    )
    assert earlier[pair.exhibitor.pk]["answered"] == 1
    with pytest.raises(ValueError):
        selectors.responsiveness_for(exhibitor_ids=[1], buyer_ids=[1])


def test_relationship_history_is_each_sides_own(pair):
    ask(pair)
    request_samples(pair)
    history = selectors.relationship_history(membership=pair.buyer_member, company=pair.exhibitor)
    assert len(history["inquiries"]) == 1 and len(history["samples"]) == 1 and history["any"]
    stranger = make_pair()
    assert not selectors.relationship_history(membership=stranger.buyer_member, company=pair.exhibitor)["any"]
    assert selectors.relationship_history(membership=pair.buyer_member, company=pair.buyer) is None


def test_abuse_report_reaches_the_staff(pair, settings, django_capture_on_commit_callbacks):
    settings.NEGOTIATION_STAFF_EMAILS = ["abuse@foodexpo.example"]
    mail.outbox.clear()
    with pytest.raises(ValidationError):
        services.abuse_report(membership=pair.exhibitor_member, counterpart=pair.buyer, reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        services.abuse_report(
            membership=pair.exhibitor_member, counterpart=pair.buyer, reason="spam", subject="I-1"
        )
    assert mail.outbox[-1].to == ["abuse@foodexpo.example"]


def test_the_quarter_hourly_run_is_scheduled():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="negotiation.tasks.negotiation_periodic")
    assert task.enabled and (task.interval.every, task.interval.period) == (15, "minutes")
