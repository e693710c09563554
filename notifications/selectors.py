"""Reads of notifications, scoped to the acting company."""

from __future__ import annotations

from django.db.models import QuerySet

from exhibitors.models import Membership

from .models import Notification

FEED_LIMIT = 50


def notifications_of(*, membership: Membership) -> QuerySet[Notification]:
    if membership.exhibitor_id:
        return Notification.objects.filter(exhibitor_id=membership.exhibitor_id)
    return Notification.objects.filter(buyer_id=membership.buyer_id)


def notification_feed(
    *, membership: Membership, since: int = 0, limit: int = FEED_LIMIT
) -> list[Notification]:
    """The company's notifications newer than id ``since``, oldest first: one query."""
    return list(notifications_of(membership=membership).filter(id__gt=since).order_by("id")[:limit])


def unread_notification_count(*, membership: Membership) -> int:
    return notifications_of(membership=membership).filter(is_read=False).count()
