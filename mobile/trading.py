"""What the ``/api/v1/`` basket, checkout and order views share: the acting buyer or exhibitor
company, and refusals as 422 (a rule said no) or 409 (something changed meanwhile)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import APIException, PermissionDenied

from .common import acting_membership


class Refused(APIException):
    """A trading rule refused the request: 422 with the rule's code and the site's wording."""

    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "refused"
    default_detail = "Refused."


class Conflict(APIException):
    """The basket, stock or order changed since the app read it: 409."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"
    default_detail = "Conflict."


def buyer_membership(request, *, write: bool):
    """The acting membership if it is a buyer company's; otherwise a refusal (422 for a write,
    403 for a read) in the checkout's words."""
    membership = acting_membership(request)
    if membership is None or membership.buyer_id is None:
        message = _("Only members of a verified buyer company can place orders.")
        if write:
            raise Refused(message, code="not_buyer")
        raise PermissionDenied(message, code="not_buyer")
    return membership


def exhibitor_membership(request):
    membership = acting_membership(request)
    if membership is None or membership.exhibitor_id is None:
        raise PermissionDenied(_("Only exhibitors fulfil orders."), code="not_exhibitor")
    return membership


class OwnTransactionsMixin:
    """For views outside the request-wide transaction (they call Stripe): the error handler's
    rollback mark lands on a savepoint of its own, never on a transaction around the request."""

    def handle_exception(self, exc):
        with transaction.atomic():
            return super().handle_exception(exc)
