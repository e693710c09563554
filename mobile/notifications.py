"""``/api/v1/`` notifications feed (polled with ``?since=``) and the server side of web push."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from notifications import selectors, services
from notifications.texts import text, title, url

from .common import APP_AUTHENTICATION, ReaderLanguageMixin
from .members import MemberAPIView


def notification_repr(notification) -> dict:
    return {
        "id": notification.pk,
        "kind": notification.kind,
        "title": str(title(notification)),
        "text": text(notification),
        "url": url(notification),
        "object": {"type": notification.object_type, "ref": notification.object_ref},
        "created_at": notification.created_at.isoformat(),
        "read": notification.is_read,
    }


class Since(serializers.Serializer):
    since = serializers.IntegerField(
        required=False, min_value=0, default=0, help_text="next_since of the last poll"
    )


class NotificationFeedView(MemberAPIView):
    """My company's notifications newer than ``since``, oldest first (at most 50), and the
    ``next_since`` to poll with; the same answer again is a 304 with ``If-None-Match``."""

    @extend_schema(
        parameters=[Since],
        responses=inline_serializer(
            "NotificationFeed",
            {
                "results": serializers.ListField(child=serializers.DictField()),
                "next_since": serializers.IntegerField(),
                "more": serializers.BooleanField(),
            },
        ),
    )
    def get(self, request):
        wanted = Since(data=request.query_params)
        wanted.is_valid(raise_exception=True)
        since = wanted.validated_data["since"]
        rows = selectors.notification_feed(
            membership=self.membership, since=since, limit=selectors.FEED_LIMIT + 1
        )
        more = len(rows) > selectors.FEED_LIMIT
        rows = rows[: selectors.FEED_LIMIT]
        return Response(
            {
                "results": [notification_repr(n) for n in rows],
                "next_since": rows[-1].pk if rows else since,
                "more": more,
            }
        )


class UpTo(serializers.Serializer):
    up_to = serializers.IntegerField(min_value=0)


class NotificationReadView(MemberAPIView):
    """Mark my company's notifications up to ``up_to`` (an id) read."""

    @extend_schema(
        request=UpTo,
        responses=inline_serializer(
            "NotificationsRead", {"marked": serializers.IntegerField(), "unread": serializers.IntegerField()}
        ),
        examples=[OpenApiExample("Read", value={"up_to": 42}, request_only=True)],
    )
    def post(self, request):
        body = UpTo(data=request.data)
        body.is_valid(raise_exception=True)
        marked = services.notifications_mark_read(
            membership=self.membership, up_to=body.validated_data["up_to"]
        )
        return Response(
            {"marked": marked, "unread": selectors.unread_notification_count(membership=self.membership)}
        )


class PushKeyView(ReaderLanguageMixin, APIView):
    """The VAPID application server key browsers subscribe with; 404 ``push_off`` when unset."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(responses=inline_serializer("PushKey", {"public_key": serializers.CharField()}))
    def get(self, request):
        if not services.push_is_on():
            raise NotFound(_("Push notifications are switched off on this site."), code="push_off")
        return Response({"public_key": settings.WEBPUSH_VAPID_PUBLIC_KEY})


class SubscriptionKeys(serializers.Serializer):
    p256dh = serializers.CharField(max_length=255)
    auth = serializers.CharField(max_length=255)


class Subscription(serializers.Serializer):
    """The browser's ``PushSubscription.toJSON()``."""

    endpoint = serializers.URLField(max_length=1000)
    expirationTime = serializers.IntegerField(required=False, allow_null=True)  # noqa: N815 - the browser's name
    keys = SubscriptionKeys()


class Unsubscription(serializers.Serializer):
    endpoint = serializers.URLField(max_length=1000)


class PushSubscriptionView(ReaderLanguageMixin, APIView):
    """This browser's push subscription for the signed-in person (session or token)."""

    authentication_classes = APP_AUTHENTICATION
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=Subscription,
        responses={201: inline_serializer("PushSubscribed", {"endpoint": serializers.URLField()})},
        examples=[
            OpenApiExample(
                "Subscribe",
                value={
                    "endpoint": "https://fcm.googleapis.com/fcm/send/abc",
                    "keys": {"p256dh": "BNcRd…", "auth": "tBHI…"},
                },
                request_only=True,
            )
        ],
    )
    def post(self, request):
        body = Subscription(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        services.push_subscribe(
            user=request.user,
            endpoint=data["endpoint"],
            p256dh=data["keys"]["p256dh"],
            auth=data["keys"]["auth"],
        )
        return Response({"endpoint": data["endpoint"]}, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=Unsubscription,
        responses={204: None},
        parameters=[OpenApiParameter("endpoint", str, required=False, description="or in the body")],
    )
    def delete(self, request):
        body = Unsubscription(data=request.data if request.data else request.query_params)
        body.is_valid(raise_exception=True)
        services.push_unsubscribe(user=request.user, endpoint=body.validated_data["endpoint"])
        return Response(status=status.HTTP_204_NO_CONTENT)
