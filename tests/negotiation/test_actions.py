"""Posted actions of the negotiation pages, each through the page's one table of actions."""

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from negotiation import services
from negotiation.forms import QuoteForm
from negotiation.models import (
    CompanyBlock,
    Inquiry,
    InquiryStatus,
    Meeting,
    MeetingStatus,
    Outcome,
    SampleRequest,
    SampleStatus,
)
from negotiation.views import InquiryDetailView, MeetingDetailView, SampleDetailView
from tests.factories.negotiation import make_pair, quarter

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair():
    return make_pair()


def flashed(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_a_sample_goes_from_request_to_feedback_through_its_page(client, pair):
    sample = services.sample_request_create(
        membership=pair.buyer_member, product=pair.product, quantity=2, ship_to="郑州"
    )
    url = f"/en/company/negotiation/samples/{sample.pk}/"
    client.force_login(pair.exhibitor_member.user)
    assert client.post(url, {"action": "accept", "accept-terms": "free"}).status_code == 302
    # a form the service refuses is shown again with the refusal, and nothing changes
    response = client.post(url, {"action": "ship", "ship-tracking": "  "})
    assert response.status_code == 200 and response.context["ship_form"].errors
    assert SampleRequest.objects.get().status == SampleStatus.ACCEPTED
    assert client.post(url, {"action": "ship", "ship-tracking": "SF9"}).status_code == 302
    client.force_login(pair.buyer_member.user)
    assert client.post(url, {"action": "receipt"}).status_code == 302
    response = client.post(url, {"action": "feedback", "feedback-feedback": "好吃", "feedback-rating": "5"})
    assert response.status_code == 302 and flashed(response)[-1] == "Saved."
    sample.refresh_from_db()
    assert (sample.status, sample.tracking, sample.feedback_rating) == (SampleStatus.RECEIVED, "SF9", 5)


def test_an_action_without_fields_that_is_refused_is_flashed(client, pair):
    sample = services.sample_request_create(
        membership=pair.buyer_member, product=pair.product, quantity=2, ship_to="郑州"
    )
    client.force_login(pair.buyer_member.user)
    response = client.post(f"/en/company/negotiation/samples/{sample.pk}/", {"action": "receipt"})
    assert response.status_code == 302
    assert flashed(response) == ["The samples have not been shipped yet."]


def test_an_unknown_action_changes_nothing(client, pair):
    inquiry = services.inquiry_create(
        membership=pair.buyer_member, exhibitor=pair.exhibitor, message="价格？"
    )
    client.force_login(pair.exhibitor_member.user)
    response = client.post(f"/en/company/negotiation/inquiries/{inquiry.pk}/", {"action": "delete"})
    assert response.status_code == 302 and flashed(response) == ["Unknown action."]
    assert Inquiry.objects.get().status == InquiryStatus.OPEN
    response = client.post(f"/en/company/negotiation/inquiries/{inquiry.pk}/", {"action": "close"})
    assert flashed(response)[-1] == "The inquiry is closed."
    assert Inquiry.objects.get().status == InquiryStatus.CLOSED


def test_meeting_decline_needs_its_reason_and_outcomes_are_marked(client, pair):
    start = quarter(3, 10)
    meeting = services.meeting_request(
        membership=pair.buyer_member, exhibitor=pair.exhibitor, kind="online", times=[start], topic="出口"
    )
    url = f"/en/company/negotiation/meetings/{meeting.pk}/"
    client.force_login(pair.exhibitor_member.user)
    response = client.post(url, {"action": "decline", "decline-reason": ""})
    assert response.status_code == 200 and response.context["decline_form"].errors
    proposal = meeting.proposals.get()
    response = client.post(
        url,
        {
            "action": "accept",
            "accept-proposal": proposal.pk,
            "accept-attendee": pair.exhibitor_member.user.pk,
        },
    )
    assert response.status_code == 302
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timezone.timedelta(minutes=5))
    assert client.post(url, {"action": Outcome.MET}).status_code == 302
    client.force_login(pair.buyer_member.user)
    assert client.post(url, {"action": Outcome.NO_SHOW}).status_code == 302
    meeting.refresh_from_db()
    assert (meeting.status, meeting.exhibitor_outcome, meeting.buyer_outcome) == (
        MeetingStatus.ACCEPTED,
        Outcome.MET,
        Outcome.NO_SHOW,
    )


def test_block_and_unblock_through_the_page(client, pair):
    client.force_login(pair.buyer_member.user)
    token = f"exhibitor:{pair.exhibitor.key}"
    response = client.post("/en/company/negotiation/blocked/", {"action": "block", "company": token})
    assert response.status_code == 302 and "is blocked" in flashed(response)[0]
    assert CompanyBlock.objects.filter(buyer=pair.buyer, exhibitor=pair.exhibitor).exists()
    client.post("/en/company/negotiation/blocked/", {"action": "unblock", "company": token})
    assert not CompanyBlock.objects.exists()
    assert client.post("/en/company/negotiation/blocked/", {"company": "exhibitor:nobody"}).status_code == 404


def test_every_posted_button_has_an_action_in_its_page_table():
    assert set(SampleDetailView.actions) == {"accept", "decline", "ship", "feedback", "receipt", "cancel"}
    assert set(MeetingDetailView.actions) == {
        "accept",
        "propose",
        "decline",
        "accept-proposal",
        "cancel",
        *Outcome.values,
    }
    assert set(InquiryDetailView.actions) == {"reply", "close"}


def test_the_quote_form_asks_for_what_quote_submit_takes():
    import inspect

    assert tuple(QuoteForm.base_fields) == services.QUOTE_FIELDS
    parameters = set(inspect.signature(services.quote_submit).parameters) - {"membership", "request"}
    assert parameters == set(services.QUOTE_FIELDS)
