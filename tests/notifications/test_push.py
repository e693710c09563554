"""Web push against a real HTTP server started in the test: the VAPID ``Authorization``, an
``aes128gcm`` body the subscriber's keys decrypt to the payload; 410 deletes the subscription."""

from __future__ import annotations

import base64
import json
import os
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import http_ece
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from negotiation import services
from notifications.models import PushSubscription
from tests.factories.negotiation import make_pair

pytestmark = pytest.mark.django_db


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def point(key) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )


@pytest.fixture
def vapid(settings):
    key = ec.generate_private_key(ec.SECP256R1())
    settings.WEBPUSH_VAPID_PRIVATE_KEY = b64(key.private_numbers().private_value.to_bytes(32, "big"))
    settings.WEBPUSH_VAPID_PUBLIC_KEY = b64(point(key))
    settings.WEBPUSH_VAPID_SUBJECT = "mailto:dev@foodexpo.invalid"
    return settings


class PushService:
    """A push service on 127.0.0.1 that keeps what it receives and answers ``status``."""

    def __init__(self, status: int = 201):
        self.received: list[dict] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                length = int(self.headers.get("Content-Length", 0))
                outer.received.append({"headers": dict(self.headers), "body": self.rfile.read(length)})
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/push/"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def push_service():
    services_ = []

    def start(status: int = 201) -> PushService:
        service = PushService(status)
        services_.append(service)
        return service

    yield start
    for service in services_:
        service.close()


def subscribe(membership, endpoint: str):
    key, auth = ec.generate_private_key(ec.SECP256R1()), os.urandom(16)
    PushSubscription.objects.create(
        user=membership.user, endpoint=endpoint, p256dh=b64(point(key)), auth=b64(auth)
    )
    return key, auth


def test_a_new_message_is_pushed_encrypted_with_vapid(
    vapid, push_service, django_capture_on_commit_callbacks
):
    pair = make_pair()
    service = push_service()
    key, auth = subscribe(pair.exhibitor_colleague, service.url + "colleague")
    with django_capture_on_commit_callbacks(execute=True):
        services.inquiry_create(
            membership=pair.buyer_member, exhibitor=pair.exhibitor, products=[pair.product], message="Hello"
        )
    assert len(service.received) == 1
    request = service.received[0]
    headers = {name.lower(): value for name, value in request["headers"].items()}
    assert headers["authorization"].startswith("vapid t=")
    assert headers["authorization"].endswith(f"k={vapid.WEBPUSH_VAPID_PUBLIC_KEY}")
    assert headers["content-encoding"] == "aes128gcm"
    assert b"Hello" not in request["body"]
    plain = http_ece.decrypt(request["body"], private_key=key, auth_secret=auth, version="aes128gcm")
    payload = json.loads(plain)
    assert set(payload) == {"title", "body", "url"}
    assert payload["url"].endswith(f"/negotiation/threads/{pair.exhibitor.negotiation_threads.get().pk}/")


def test_a_gone_subscription_is_deleted(vapid, push_service, django_capture_on_commit_callbacks):
    pair = make_pair()
    gone = push_service(status=410)
    subscribe(pair.exhibitor_member, gone.url + "gone")
    with django_capture_on_commit_callbacks(execute=True):
        services.inquiry_create(membership=pair.buyer_member, exhibitor=pair.exhibitor, message="Hello")
    assert len(gone.received) == 1
    assert not PushSubscription.objects.filter(endpoint=gone.url + "gone").exists()


def test_nothing_is_pushed_while_push_is_off(settings, push_service, django_capture_on_commit_callbacks):
    settings.WEBPUSH_VAPID_PUBLIC_KEY = settings.WEBPUSH_VAPID_PRIVATE_KEY = ""
    pair = make_pair()
    service = push_service()
    subscribe(pair.exhibitor_member, service.url + "off")
    with django_capture_on_commit_callbacks(execute=True):
        services.inquiry_create(membership=pair.buyer_member, exhibitor=pair.exhibitor, message="Hello")
    assert service.received == []
