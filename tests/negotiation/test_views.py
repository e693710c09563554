"""Negotiation pages through the client: both parties see them, bad input gets a clear answer."""

from datetime import UTC, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from negotiation import services
from negotiation.models import Inquiry, Meeting, MeetingStatus, Quote
from tests.factories.members import MembershipFactory
from tests.factories.negotiation import make_pair, quarter, sourcing_request

pytestmark = pytest.mark.django_db

EXE = b"MZ\x90\x00" + b"\x00" * 100


@pytest.fixture
def pair():
    return make_pair()


@pytest.fixture
def world(pair):
    """One of everything between the pair."""
    inquiry = services.inquiry_create(
        membership=pair.buyer_member, exhibitor=pair.exhibitor, products=[pair.product], message="价格？"
    )
    sample = services.sample_request_create(
        membership=pair.buyer_member, product=pair.product, quantity=2, ship_to="郑州"
    )
    request = sourcing_request(buyer=pair.buyer)
    quote = services.quote_submit(
        membership=pair.exhibitor_member,
        request=request,
        product=pair.product,
        unit_price=Decimal("40.00"),
        moq=10,
        lead_time_days=5,
        delivery_terms="FOB",
        valid_until=timezone.localdate() + timedelta(days=5),
    )
    start = quarter(3, 10)
    meeting = services.meeting_request(
        membership=pair.buyer_member, exhibitor=pair.exhibitor, kind="online", times=[start], topic="出口"
    )
    services.meeting_accept(
        membership=pair.exhibitor_member,
        meeting=meeting,
        starts_at=start,
        attendee=pair.exhibitor_member.user,
    )
    return {"inquiry": inquiry, "sample": sample, "request": request, "quote": quote, "meeting": meeting}


def pages(world):
    return [
        "/en/company/negotiation/",
        "/en/company/negotiation/inquiries/",
        f"/en/company/negotiation/inquiries/{world['inquiry'].pk}/",
        "/en/company/negotiation/samples/",
        f"/en/company/negotiation/samples/{world['sample'].pk}/",
        "/en/company/negotiation/quotes/",
        f"/en/company/negotiation/quotes/{world['quote'].pk}/",
        "/en/company/negotiation/meetings/",
        f"/en/company/negotiation/meetings/{world['meeting'].pk}/",
        f"/en/company/negotiation/meetings/{world['meeting'].pk}/ics/",
        "/en/company/negotiation/blocked/",
        "/company/negotiation/",
    ]


@pytest.mark.parametrize(
    "who", ["buyer_member", "buyer_colleague", "exhibitor_member", "exhibitor_colleague"]
)
def test_every_member_of_either_company_sees_the_pages(client, pair, world, who):
    client.force_login(getattr(pair, who).user)
    for url in pages(world):
        assert client.get(url).status_code == 200, url
    if who.startswith("buyer"):
        assert (
            client.get(f"/en/company/negotiation/requests/{world['request'].pk}/quotes/").status_code == 200
        )


def test_a_third_company_gets_404_everywhere(client, world):
    for member in (MembershipFactory(), make_pair().buyer_member):
        client.force_login(member.user)
        private = [url for url in pages(world) if any(ch.isdigit() for ch in url)]
        private.append(f"/en/company/negotiation/requests/{world['request'].pk}/quotes/")
        assert len(private) == 6
        for url in private:
            assert client.get(url).status_code == 404, url
            assert client.post(url, {"action": "accept"}).status_code in (404, 405), url


def test_ics_of_an_accepted_meeting(client, pair, world):
    client.force_login(pair.buyer_member.user)
    response = client.get(f"/en/company/negotiation/meetings/{world['meeting'].pk}/ics/")
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert "BEGIN:VEVENT" in body and f"UID:meeting-{world['meeting'].pk}@foodexpo" in body
    start = Meeting.objects.get(pk=world["meeting"].pk).starts_at.astimezone(UTC)
    assert f"DTSTART:{start:%Y%m%dT%H%M%SZ}" in body


def test_inquiry_form_keeps_the_message_when_the_attachment_is_refused(client, pair):
    client.force_login(pair.buyer_member.user)
    url = f"/en/company/negotiation/inquiries/new/?exhibitor={pair.exhibitor.key}&product={pair.product.pk}"
    page = client.get(url)
    assert page.status_code == 200 and pair.product.title_en in page.content.decode()
    response = client.post(
        url,
        {
            "exhibitor": pair.exhibitor.key,
            "products": [pair.product.pk],
            "message": "请报 500 箱的价格",
            "attachments": [SimpleUploadedFile("quote.pdf", EXE)],
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "This file is not a PDF" in html and "请报 500 箱的价格" in html
    assert not Inquiry.objects.exists()


def test_header_badge_counts_unread_threads(client, pair, world):
    services.message_post(membership=pair.exhibitor_colleague, thread=world["inquiry"].thread, body="42 元")
    client.force_login(pair.buyer_colleague.user)
    html = client.get("/en/company/").content.decode()
    assert "data-unread-badge style" in html and ">1</span>" in html
    client.get(f"/en/company/negotiation/inquiries/{world['inquiry'].pk}/")
    assert "data-unread-badge" not in client.get("/en/company/").content.decode()


def test_reply_to_a_blocked_company_is_refused_with_the_text_kept(client, pair, world):
    services.company_block(membership=pair.exhibitor_member, counterpart=pair.buyer)
    client.force_login(pair.buyer_member.user)
    response = client.post(
        f"/en/company/negotiation/inquiries/{world['inquiry'].pk}/", {"action": "reply", "body": "还在吗"}
    )
    html = response.content.decode()
    assert "does not accept messages" in html and "还在吗" in html


def test_accepting_an_expired_quote_through_the_page_says_so(client, pair, world):
    Quote.objects.filter(pk=world["quote"].pk).update(valid_until=timezone.localdate() - timedelta(days=1))
    client.force_login(pair.buyer_member.user)
    response = client.post(
        f"/en/company/negotiation/quotes/{world['quote'].pk}/", {"action": "accept"}, follow=True
    )
    assert "This quote expired on" in response.content.decode()


def test_meeting_outside_the_expo_is_refused_on_the_form(client, pair):
    client.force_login(pair.buyer_member.user)
    url = f"/en/company/negotiation/meetings/new/?exhibitor={pair.exhibitor.key}"
    response = client.post(
        url,
        {
            "kind": "booth",
            "time_1": quarter(4, 10).strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": 30,
            "topic": "试吃",
        },
    )
    assert "no booth at a coming expo" in response.content.decode()
    assert not Meeting.objects.exists()


def test_booth_and_public_page_show_responsiveness_and_history(client, pair, world):
    client.force_login(pair.buyer_member.user)
    html = client.get(f"/en/exhibitors/{pair.exhibitor.key}/").content.decode()
    assert "data-responsiveness" in html and 'data-history="inquiry"' in html and "ask-exhibitor" in html
    stranger = make_pair().buyer_member
    client.force_login(stranger.user)
    html = client.get(f"/en/exhibitors/{pair.exhibitor.key}/").content.decode()
    assert "data-responsiveness" in html and "data-history" not in html
    client.force_login(pair.exhibitor_member.user)
    html = client.get(f"/en/buyers/{pair.buyer.key}/").content.decode()
    assert 'data-history="meeting"' in html


def test_buyer_proposal_flow_through_pages(client, pair):
    meeting = services.meeting_request(
        membership=pair.buyer_member,
        exhibitor=pair.exhibitor,
        kind="online",
        times=[quarter(3, 10)],
        topic="x",
    )
    client.force_login(pair.exhibitor_colleague.user)
    other = quarter(3, 15)
    response = client.post(
        f"/en/company/negotiation/meetings/{meeting.pk}/",
        {
            "action": "propose",
            "propose-starts_at": other.astimezone(timezone.get_current_timezone()).strftime("%Y-%m-%dT%H:%M"),
            "propose-attendee": pair.exhibitor_colleague.user.pk,
        },
    )
    assert response.status_code == 302
    client.force_login(pair.buyer_member.user)
    client.post(f"/en/company/negotiation/meetings/{meeting.pk}/", {"action": "accept-proposal"})
    meeting.refresh_from_db()
    assert (meeting.status, meeting.starts_at) == (MeetingStatus.ACCEPTED, other)


def test_staff_figures_page_and_csv(client, staff_user, pair, world):
    services.message_post(membership=pair.exhibitor_member, thread=world["inquiry"].thread, body="ok")
    client.force_login(staff_user)
    html = client.get("/admin/negotiation/figures/").content.decode()
    assert "negotiation-figures" in html
    response = client.get("/admin/negotiation/figures/?format=csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("edition,category,inquiries,inquiries_answered,answer_rate")
    year = timezone.now().year
    total = [line.split(",") for line in lines[1:] if line.startswith(str(year))]
    assert sum(int(row[2]) for row in total) == 1 and sum(int(row[3]) for row in total) == 1
    assert client.get("/admin/negotiation_abuse_reports/").status_code == 200
    client.force_login(pair.buyer_member.user)
    assert client.get("/admin/negotiation/figures/").status_code in (302, 403)
