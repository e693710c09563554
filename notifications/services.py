"""Writes of notifications: adding one (with its web push after commit), marking them read,
and the browsers' push subscriptions."""

from __future__ import annotations

import json
import logging

from django.conf import settings
from django.utils import translation

from exhibitors.models import Membership

from .models import Notification, PushSubscription
from .texts import text, title, url

logger = logging.getLogger(__name__)


def push_is_on() -> bool:
    return bool(settings.WEBPUSH_VAPID_PUBLIC_KEY and settings.WEBPUSH_VAPID_PRIVATE_KEY)


def _names(company) -> dict:
    return {"company_zh": company.name_zh or "", "company_en": company.name_en or ""}


def notification_add(
    *,
    company,
    kind: str,
    about=None,
    params: dict | None = None,
    object_type: str = "",
    object_ref: str | int = "",
    user=None,
) -> Notification:
    """Tell ``company`` (a ``Buyer`` or an ``Exhibitor``) of an event. The row is written in the
    caller's transaction, so a change that rolls back tells nobody; ``about`` is the other
    company, whose names the text shows. The push (if on) leaves after the commit."""
    params = {**(_names(about) if about is not None else {}), **(params or {})}
    notification = Notification.objects.create(
        buyer=company if company.kind == "buyer" else None,
        exhibitor=company if company.kind == "exhibitor" else None,
        user=user,
        kind=kind,
        params=params,
        object_type=object_type,
        object_ref=str(object_ref),
    )
    if push_is_on():
        from expo.queue import enqueue_on_commit

        from .tasks import notification_push

        enqueue_on_commit(notification_push, args=[notification.pk], robust=True)
    return notification


def notifications_mark_read(*, membership: Membership, up_to: int) -> int:
    """Mark the acting company's notifications up to id ``up_to`` read; returns how many changed."""
    from .selectors import notifications_of

    return notifications_of(membership=membership).filter(id__lte=up_to, is_read=False).update(is_read=True)


def push_subscribe(*, user, endpoint: str, p256dh: str, auth: str) -> tuple[PushSubscription, bool]:
    """Idempotent on the endpoint: the same browser subscribing again updates its keys (and
    belongs to whoever subscribed last on it)."""
    subscription, created = PushSubscription.objects.update_or_create(
        endpoint=endpoint, defaults={"user": user, "p256dh": p256dh, "auth": auth}
    )
    return subscription, created


def push_unsubscribe(*, user, endpoint: str) -> int:
    return PushSubscription.objects.filter(user=user, endpoint=endpoint).delete()[0]


def push_payload(notification: Notification, *, language: str) -> dict:
    with translation.override(language):
        link = url(notification)
        return {
            "title": str(title(notification)),
            "body": text(notification),
            "url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + link if link else "",
        }


def notification_push(*, notification_id: int) -> int:
    """Send the notification to every browser subscribed by a member of its company; a
    subscription the push service no longer knows (404/410) is deleted. Returns how many
    were sent."""
    from pywebpush import WebPushException, webpush

    from negotiation.services import company_language

    notification = (
        Notification.objects.select_related("buyer", "exhibitor").filter(pk=notification_id).first()
    )
    if notification is None or not push_is_on():
        return 0
    company = notification.buyer or notification.exhibitor
    data = json.dumps(push_payload(notification, language=company_language(company)), ensure_ascii=False)
    members = Membership.objects.filter(**{company.kind: company}).values("user_id")
    sent = 0
    for subscription in PushSubscription.objects.filter(user_id__in=members):
        try:
            webpush(
                subscription_info={
                    "endpoint": subscription.endpoint,
                    "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
                },
                data=data,
                vapid_private_key=settings.WEBPUSH_VAPID_PRIVATE_KEY,
                vapid_claims={"sub": settings.WEBPUSH_VAPID_SUBJECT or "mailto:dev@foodexpo.invalid"},
                content_encoding="aes128gcm",
                timeout=10,
            )
            sent += 1
        except WebPushException as error:
            status = getattr(error.response, "status_code", None)
            if status in (404, 410):
                subscription.delete()
            else:
                logger.warning("web push to %s failed: %s", subscription.endpoint[:60], error)
    return sent


def order_status_notify(*, order, status: str) -> Notification | None:
    """Tell the ordering person's buyer company the order's new status (confirmed, shipped,
    delivered, paid); nothing for an order without a buyer company."""
    if not order.user_id:
        return None
    membership = (
        Membership.objects.filter(user_id=order.user_id, buyer__isnull=False)
        .select_related("buyer")
        .order_by("id")
        .first()
    )
    if membership is None:
        return None
    return notification_add(
        company=membership.buyer,
        kind="order_status",
        params={"label": order.number, "status": str(status)},
        object_type="order",
        object_ref=order.number,
        user=order.user,
    )
