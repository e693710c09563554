"""What the ``/api/v1/`` company views share: the acting company required, the HTML pages'
forms and posted actions run from JSON, and service refusals as JSON errors.

An action endpoint runs the HTML page's own ``actions`` table entry (``negotiation.views``):
the same form, the same service call, the same success message; nothing is written twice.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import APIException, NotAuthenticated, PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from .common import APP_AUTHENTICATION, ConditionalGetMixin, acting_membership
from .trading import Conflict, Refused

# Refusals about the record's state (it moved on): 409; any other refusal of a service: 422.
CONFLICT_CODES = {"status", "closed", "expired", "quote_accepted"}


class FormInvalid(APIException):
    """A form of the HTML page refused the input: 400 with its messages by field."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid"

    def __init__(self, form):
        errors = {name: [str(m) for m in messages] for name, messages in form.errors.items()}
        if "__all__" in errors:
            errors["non_field_errors"] = errors.pop("__all__")
        super().__init__(detail=errors, code="invalid")


class RefusalDetail(str):
    code: str


def refusal(error: DjangoValidationError) -> APIException:
    """A service's ``ValidationError`` as the API answers it, its message as the page shows it."""
    code = getattr(error, "code", None) or "refused"
    message = " ".join(str(m) for m in error.messages)
    exc_class = Conflict if code in CONFLICT_CODES else Refused
    return exc_class(detail=message, code=code)


def form_data(request, prefix: str = "") -> tuple[QueryDict, MultiValueDict]:
    """The JSON (or multipart) body as a form's POST: each key also under ``<prefix>-key``, as
    the HTML page's prefixed forms read it; lists become repeated values."""
    data = QueryDict(mutable=True)
    body = request.data
    items = body.lists() if hasattr(body, "lists") else (body.items() if isinstance(body, dict) else [])
    for key, value in items:
        values = value if isinstance(value, list) else [value]
        values = [
            "" if v is None else ("on" if v is True else ("" if v is False else str(v))) for v in values
        ]
        for name in {str(key), f"{prefix}-{key}"} if prefix else {str(key)}:
            data.setlist(name, values)
    files = MultiValueDict()
    for key, uploads in getattr(request, "FILES", MultiValueDict()).lists():
        files.setlist(key, uploads)
        if prefix:
            files.setlist(f"{prefix}-{key}", uploads)
    return data, files


class _FormRequest:
    """What an HTML view's action reads of its request: the user, POST and FILES."""

    def __init__(self, request, prefix: str = ""):
        self.user = request.user
        self.POST, self.FILES = form_data(request, prefix)
        self.GET = self.POST
        self.session = {}
        self.method = "POST"


class MemberAPIView(ConditionalGetMixin, APIView):
    """A company member's endpoint: token (or session) auth, the ``X-Company`` acting company."""

    authentication_classes = APP_AUTHENTICATION
    permission_classes = [IsAuthenticated]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not request.user.is_authenticated:
            raise NotAuthenticated()
        self.membership = acting_membership(request)
        if self.membership is None:
            raise PermissionDenied(_("Register your company first, or ask its owner to invite you."))

    @property
    def side(self) -> str:
        return "exhibitor" if self.membership.exhibitor_id else "buyer"

    def require_side(self, side: str) -> None:
        if self.side != side:
            if side == "buyer":
                raise PermissionDenied(_("Only a buyer company can do this; switch to your buyer company."))
            raise PermissionDenied(_("Only the exhibitor can do this."))

    def page(self, view_class, *, prefix: str = "", **kwargs):
        """The HTML page ``view_class`` set up for this member and body, to run its rules."""
        host = view_class()
        host.request = _FormRequest(self.request, prefix)
        host.membership = self.membership
        host.company = self.membership.company
        host.args, host.kwargs = (), kwargs
        return host


class PageActionView(MemberAPIView):
    """``POST``: one posted action of an HTML page (``page_view.actions[action]``), on the
    object the page's own ``get_object`` finds (404 for another company's)."""

    page_view: type
    action: str = ""

    def represent(self, obj) -> dict:
        raise NotImplementedError

    def post(self, request, pk: int):
        host = self.page(self.page_view, prefix=self.action, pk=pk)
        obj = host.get_object()
        action = host.actions[self.action]
        form = action.form(host, obj, self.action) if action.form else None
        if form is not None and not form.is_valid():
            raise FormInvalid(form)
        try:
            with transaction.atomic():
                action.run(host, obj, form.cleaned_data if form is not None else {})
        except DjangoValidationError as error:
            raise refusal(error) from None
        obj = host.get_object()
        return self.answer(obj, str(action.message(host, obj)))

    def answer(self, obj, message: str):
        from rest_framework.response import Response

        return Response({"detail": message, **self.represent(obj)})
