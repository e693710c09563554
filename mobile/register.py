"""Sign up from an app: a person and their company in one request, through the site's own
registration form and service; the answer carries tokens, so the app is logged in at once.
The company waits for staff to verify it, as when registered on the site."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from exhibitors.forms import SIDES, CompanyRegisterForm
from exhibitors.selectors import membership_token
from exhibitors.services import registration_create

from .auth import LoginThrottle, _tokens
from .common import ReaderLanguageMixin


class RegisterThrottle(LoginThrottle):
    """Sign-ups per e-mail address and client address: ``API_REGISTER_RATE`` (10 a minute)."""

    scope = "register"


class RegisterSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=128, trim_whitespace=False, style={"input_type": "password"})
    side = serializers.ChoiceField(choices=SIDES)
    key = serializers.CharField(max_length=64)
    name_zh = serializers.CharField(max_length=255, required=False, allow_blank=True)
    name_en = serializers.CharField(max_length=255, required=False, allow_blank=True)
    country = serializers.CharField(max_length=2, required=False, default="CN")
    province = serializers.CharField(max_length=64, required=False, allow_blank=True)
    city = serializers.CharField(max_length=64, required=False, allow_blank=True)


REGISTERED = inline_serializer(
    "Registered",
    {
        "access": serializers.CharField(),
        "refresh": serializers.CharField(),
        "companies": serializers.ListField(child=serializers.DictField()),
    },
)


def _form_errors(form) -> dict[str, list[str]]:
    return {
        ("password" if name in ("password1", "password2") else name): [str(m) for m in messages]
        for name, messages in form.errors.items()
    }


class RegisterView(ReaderLanguageMixin, APIView):
    """Create an account and register its company (exhibitor, buyer or both), pending
    verification by the expo's staff. Bad fields are a 400 naming each field, with the
    registration page's own messages."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [RegisterThrottle]

    @extend_schema(
        request=RegisterSerializer,
        responses={201: REGISTERED},
        examples=[
            OpenApiExample(
                "A buyer company",
                value={
                    "email": "buyer@example.com",
                    "password": "a long pass phrase",
                    "side": "buyer",
                    "key": "91410000MA00000000",
                    "name_zh": "郑州好食品贸易有限公司",
                    "country": "CN",
                    "province": "河南",
                    "city": "郑州",
                },
                request_only=True,
            )
        ],
    )
    def post(self, request):
        body = RegisterSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        password = data.pop("password")
        form = CompanyRegisterForm(
            data={**data, "password1": password, "password2": password}, user=AnonymousUser()
        )
        if not form.is_valid():
            raise ValidationError(_form_errors(form))
        try:
            user, created = registration_create(
                user=None,
                email=form.cleaned_data["email"],
                password=password,
                sides=form.cleaned_data["sides"],
                data=form.company_data(),
            )
        except DjangoValidationError as error:
            raise ValidationError({"key": error.messages}) from error
        companies = [
            {
                "kind": membership.company.kind,
                "id": membership.company.pk,
                "key": membership.company.key,
                "status": membership.company.status,
                "x_company": membership_token(membership),
            }
            for membership in created
        ]
        return Response({**_tokens(user), "companies": companies}, status=status.HTTP_201_CREATED)
