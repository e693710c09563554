"""Negotiation pages of the company centre (``/company/negotiation/…``).

Each view acts for the person's current company and reaches records only through the
scoped selectors (another company's are 404). Services refuse with a ValidationError: the
page shows the message and the form keeps what was typed, and nothing is saved. The modules
split by sub-domain; every view is importable from here.
"""

from .common import Action, ActionMixin, AttachmentView, NegotiationMixin, OverviewView, ThreadView
from .meetings import MeetingCreateView, MeetingDetailView, MeetingIcsView, MeetingListView
from .moderation import AbuseReportView, BlockListView
from .quotes import QuoteCreateView, QuoteDetailView, QuoteListView, RequestQuotesView
from .samples import SampleCreateView, SampleDetailView, SampleListView
from .threads import InquiryCreateView, InquiryDetailView, InquiryListView

__all__ = [
    "AbuseReportView",
    "Action",
    "ActionMixin",
    "AttachmentView",
    "BlockListView",
    "InquiryCreateView",
    "InquiryDetailView",
    "InquiryListView",
    "MeetingCreateView",
    "MeetingDetailView",
    "MeetingIcsView",
    "MeetingListView",
    "NegotiationMixin",
    "OverviewView",
    "QuoteCreateView",
    "QuoteDetailView",
    "QuoteListView",
    "RequestQuotesView",
    "SampleCreateView",
    "SampleDetailView",
    "SampleListView",
    "ThreadView",
]
