"""Negotiation between a buyer company and an exhibitor: inquiries, samples, quotes, meetings.

Every record names both companies (``buyer`` and ``exhibitor``), so one filter on the
acting company's side scopes every read (see ``selectors``).

The modules split by sub-domain; every model and choice is importable from here (migrations
refer to ``negotiation.models.attachment_path``).
"""

from .meetings import (
    MEETING_PENDING,
    SLOT_MINUTES,
    Meeting,
    MeetingBooking,
    MeetingKind,
    MeetingProposal,
    MeetingStatus,
    Outcome,
)
from .moderation import AbuseReport, CompanyBlock
from .quotes import DeliveryTerms, Quote, QuoteStatus
from .samples import SampleRequest, SampleStatus
from .threads import Attachment, Inquiry, InquiryStatus, Message, Side, Thread, attachment_path, other_side

__all__ = [
    "MEETING_PENDING",
    "SLOT_MINUTES",
    "AbuseReport",
    "Attachment",
    "CompanyBlock",
    "DeliveryTerms",
    "Inquiry",
    "InquiryStatus",
    "Meeting",
    "MeetingBooking",
    "MeetingKind",
    "MeetingProposal",
    "MeetingStatus",
    "Message",
    "Outcome",
    "Quote",
    "QuoteStatus",
    "SampleRequest",
    "SampleStatus",
    "Side",
    "Thread",
    "attachment_path",
    "other_side",
]
