"""An app's view of the API: a client carrying one member's access token (and acting company)."""

from __future__ import annotations

from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken


def app_for(membership, **headers) -> APIClient:
    """A client that acts as ``membership``'s person for its company (``X-Company``)."""
    client = APIClient()
    token = RefreshToken.for_user(membership.user).access_token
    company = (
        f"exhibitor:{membership.exhibitor_id}" if membership.exhibitor_id else f"buyer:{membership.buyer_id}"
    )
    headers.setdefault("HTTP_ACCEPT_LANGUAGE", "en")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_X_COMPANY=company, **headers)
    return client
