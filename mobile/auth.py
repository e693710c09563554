"""Tokens for apps: log in with e-mail and password, refresh, log out (the refresh token is
revoked). Built on djangorestframework-simplejwt with its blacklist; log-in is throttled per
e-mail address and per client address."""

from __future__ import annotations

import hashlib

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import AuthenticationFailed, ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.tokens import RefreshToken

from exhibitors.selectors import membership_list, membership_token

from .common import APP_AUTHENTICATION, ReaderLanguageMixin, acting_membership


class LoginThrottle(SimpleRateThrottle):
    """At most ``login`` attempts a minute for one e-mail address from one client address, so
    nobody can guess a password quickly, nor lock someone else out from elsewhere."""

    scope = "login"

    def get_cache_key(self, request, view):
        data = request.data if isinstance(request.data, dict) else {}
        email = str(data.get("email", ""))[:254].strip().lower()
        digest = hashlib.sha256(f"{self.get_ident(request)}:{email}".encode()).hexdigest()
        return self.cache_format % {"scope": self.scope, "ident": digest}  # no address in the key


class LoginSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=128, trim_whitespace=False, style={"input_type": "password"})


class RefreshSerializer(serializers.Serializer):
    refresh = serializers.CharField(max_length=2000)


TOKENS = inline_serializer("Tokens", {"access": serializers.CharField(), "refresh": serializers.CharField()})


def _tokens(user) -> dict:
    refresh = RefreshToken.for_user(user)
    return {"access": str(refresh.access_token), "refresh": str(refresh)}


class _TokenView(ReaderLanguageMixin, APIView):
    """Token views read no token: a refused log-in still answers 401 with its challenge."""

    permission_classes = [AllowAny]
    authentication_classes = []

    def get_authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


class LoginView(_TokenView):
    """Log in with the site's e-mail and password: an access token (send it as
    ``Authorization: Bearer <access>``) and a refresh token."""

    throttle_classes = [LoginThrottle]

    @extend_schema(
        request=LoginSerializer,
        responses={200: TOKENS},
        examples=[OpenApiExample("Log in", value={"email": "buyer@example.com", "password": "…"})],
    )
    def post(self, request):
        data = LoginSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(
            request._request, email=data.validated_data["email"], password=data.validated_data["password"]
        )
        if user is None or not user.is_active:
            raise AuthenticationFailed(_("The e-mail address or the password is wrong."), code="wrong_login")
        return Response(_tokens(user))


class RefreshView(_TokenView):
    """A new access token and a new refresh token for a refresh token; the old refresh token
    cannot be used again."""

    @extend_schema(request=RefreshSerializer, responses={200: TOKENS})
    def post(self, request):
        data = RefreshSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            old = RefreshToken(data.validated_data["refresh"])
            old.check_blacklist()
            user_id = old["user_id"]
            old.blacklist()
        except TokenError:
            raise AuthenticationFailed(
                _("This refresh token is not valid any more: please log in again."), code="token_not_valid"
            ) from None
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
        if user is None:
            raise AuthenticationFailed(_("This account cannot log in."), code="user_inactive")
        return Response(_tokens(user))


class LogoutView(ReaderLanguageMixin, APIView):
    """Log out: the refresh token is revoked (the access token lapses within minutes)."""

    authentication_classes = APP_AUTHENTICATION
    permission_classes = [IsAuthenticated]

    @extend_schema(request=RefreshSerializer, responses={204: None})
    def post(self, request):
        data = RefreshSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            token = RefreshToken(data.validated_data["refresh"])
            if str(token["user_id"]) != str(request.user.pk):
                raise ValidationError({"refresh": [_("This refresh token belongs to someone else.")]})
            token.blacklist()
        except TokenError:
            pass  # already revoked or expired: logged out all the same
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(ReaderLanguageMixin, APIView):
    """Who the token belongs to, their companies and the one they act for (choose another
    with the ``X-Company`` header, e.g. ``buyer:12``)."""

    authentication_classes = APP_AUTHENTICATION
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses={
            200: inline_serializer(
                "Me",
                {
                    "email": serializers.EmailField(),
                    "name": serializers.CharField(),
                    "acting_for": serializers.CharField(allow_null=True),
                    "companies": inline_serializer(
                        "MyCompany",
                        {
                            "id": serializers.CharField(),
                            "kind": serializers.CharField(),
                            "key": serializers.CharField(),
                            "name": serializers.CharField(),
                            "role": serializers.CharField(),
                            "verified": serializers.BooleanField(),
                        },
                        many=True,
                    ),
                },
            )
        }
    )
    def get(self, request):
        acting = acting_membership(request)
        user = request.user
        return Response(
            {
                "email": user.email,
                "name": user.get_full_name(),
                "acting_for": membership_token(acting) if acting else None,
                "companies": [
                    {
                        "id": membership_token(m),
                        "kind": m.company.kind,
                        "key": m.company.key,
                        "name": m.company.display_name,
                        "role": m.role,
                        "verified": m.company.is_verified,
                    }
                    for m in membership_list(user=user)
                ],
            }
        )
