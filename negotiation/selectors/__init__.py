"""Reads of negotiation: records scoped to the acting company (``records``) and figures (``figures``).

Every list and ``*_get`` takes the acting membership and filters on that company's side
(``buyer`` or ``exhibitor``), so a third company reaches nothing and gets a 404. Every public
name is importable from here.
"""

from .figures import (
    RESPONSIVENESS_DAYS,
    relationship_history,
    responsiveness_for,
    responsiveness_of,
    staff_figures,
)
from .records import (
    action_counts,
    attachment_get,
    attendee_busy,
    block_list,
    blocked_between,
    buyer_request_get,
    buyer_request_list,
    exhibitor_editions,
    inquiry_get,
    inquiry_list,
    meeting_get,
    meeting_list,
    member_choices,
    message_list,
    quotable_request_get,
    quote_for_thread,
    quote_get,
    quote_list,
    sample_get,
    sample_list,
    side_of,
    thread_get,
    thread_list,
    unread_thread_count,
    unread_thread_ids,
)

__all__ = [
    "RESPONSIVENESS_DAYS",
    "action_counts",
    "attachment_get",
    "attendee_busy",
    "block_list",
    "blocked_between",
    "buyer_request_get",
    "buyer_request_list",
    "exhibitor_editions",
    "inquiry_get",
    "inquiry_list",
    "meeting_get",
    "meeting_list",
    "member_choices",
    "message_list",
    "quotable_request_get",
    "quote_for_thread",
    "quote_get",
    "quote_list",
    "relationship_history",
    "responsiveness_for",
    "responsiveness_of",
    "sample_get",
    "sample_list",
    "side_of",
    "staff_figures",
    "thread_get",
    "thread_list",
    "unread_thread_count",
    "unread_thread_ids",
]
