"""Business rules of negotiation: inquiries and threads, samples, quotes, meetings, blocks.

Every service takes the acting membership and refuses what that company may not do with a
``ValidationError`` carrying a clear message; each runs in one transaction, so a refusal
leaves nothing half-saved. E-mails are rendered from communication event types (``expo.mail``)
in the recipient company's language and leave through Celery after the commit.

The modules split by sub-domain; every public name is importable from here.
"""

from .common import (
    CHINESE_COUNTRIES,
    MAX_ATTACHMENTS,
    MAX_MEETING_TIMES,
    MAX_SAMPLES,
    MEETING_ANSWER_HOURS,
    MEETING_DURATIONS,
    SAMPLE_PRICE_DAYS,
    check_not_blocked,
    company_language,
)
from .meetings import (
    latest_counter_proposal,
    meeting_accept,
    meeting_accept_proposal,
    meeting_cancel,
    meeting_decline,
    meeting_mark_outcome,
    meeting_propose,
    meeting_request,
    meetings_expire,
    meetings_remind,
)
from .moderation import abuse_report, company_block, company_unblock
from .quotes import (
    QUOTE_FIELDS,
    quote_accept,
    quote_price_grant,
    quote_quantity,
    quote_submit,
    quote_withdraw,
    quotes_expire,
    request_close,
)
from .samples import (
    PAID_ORDER_STATUSES,
    negotiated_order_record,
    sample_accept,
    sample_cancel,
    sample_confirm_receipt,
    sample_decline,
    sample_feedback,
    sample_order,
    sample_request_create,
    sample_ship,
)
from .threads import inquiry_close, inquiry_create, message_post, thread_mark_seen, thread_notice_send

__all__ = [
    "CHINESE_COUNTRIES",
    "MAX_ATTACHMENTS",
    "MAX_MEETING_TIMES",
    "MAX_SAMPLES",
    "MEETING_ANSWER_HOURS",
    "MEETING_DURATIONS",
    "PAID_ORDER_STATUSES",
    "QUOTE_FIELDS",
    "SAMPLE_PRICE_DAYS",
    "abuse_report",
    "check_not_blocked",
    "company_block",
    "company_language",
    "company_unblock",
    "inquiry_close",
    "inquiry_create",
    "latest_counter_proposal",
    "meeting_accept",
    "meeting_accept_proposal",
    "meeting_cancel",
    "meeting_decline",
    "meeting_mark_outcome",
    "meeting_propose",
    "meeting_request",
    "meetings_expire",
    "meetings_remind",
    "message_post",
    "negotiated_order_record",
    "quote_accept",
    "quote_price_grant",
    "quote_quantity",
    "quote_submit",
    "quote_withdraw",
    "quotes_expire",
    "request_close",
    "sample_accept",
    "sample_cancel",
    "sample_confirm_receipt",
    "sample_decline",
    "sample_feedback",
    "sample_order",
    "sample_request_create",
    "sample_ship",
    "thread_mark_seen",
    "thread_notice_send",
]
