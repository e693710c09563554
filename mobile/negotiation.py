"""``/api/v1/`` negotiation: threads and inquiries, samples, quotes, meetings.

Reads go through ``negotiation.selectors`` (scoped to the acting company: another company's ids
answer 404); writes run the HTML pages' forms and their ``actions`` tables (``mobile.members``),
so every rule and message is the page's own. Lists are cursor pages, newest first.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response

from negotiation import selectors, services
from negotiation import views as pages
from negotiation.forms import InquiryForm, MeetingRequestForm, QuoteForm, ReplyForm, SampleRequestForm

from .common import NewestFirst
from .members import FormInvalid, MemberAPIView, PageActionView, refusal

# --- representations --------------------------------------------------------------------------


def _company(company) -> dict:
    return {"kind": company.kind, "id": company.pk, "key": company.key, "name": company.display_name}


def _when(moment) -> str | None:
    return moment.isoformat() if moment else None


def thread_repr(thread, *, side: str, unread: bool) -> dict:
    inquiry = getattr(thread, "inquiry", None) if hasattr(thread, "inquiry") else None
    quote = getattr(thread, "quote", None) if inquiry is None and hasattr(thread, "quote") else None
    return {
        "id": thread.pk,
        "subject": thread.subject,
        "about": {"kind": "inquiry", "id": inquiry.pk}
        if inquiry
        else ({"kind": "quote", "id": quote.pk} if quote else None),
        "counterpart": _company(thread.exhibitor if side == "buyer" else thread.buyer),
        "last_message_at": _when(thread.last_message_at),
        "last_message_mine": thread.last_message_side == side,
        "unread": unread,
    }


def message_repr(message, *, side: str) -> dict:
    author = message.author
    return {
        "id": message.pk,
        "side": message.side,
        "mine": message.side == side,
        "author": (author.get_full_name() or author.email) if author else "",
        "body": message.body,
        "created_at": _when(message.created_at),
        "attachments": [{"id": a.pk, "name": a.name, "size": a.size} for a in message.attachments.all()],
    }


def sample_repr(sample, *, side: str) -> dict:
    return {
        "id": sample.pk,
        "label": sample.label,
        "status": sample.status,
        "status_display": sample.get_status_display(),
        "product": {"id": sample.product_id, "title": sample.product.get_title()},
        "counterpart": _company(sample.exhibitor if side == "buyer" else sample.buyer),
        "quantity": sample.quantity,
        "ship_to": sample.ship_to,
        "message": sample.message,
        "unit_price": str(sample.unit_price) if sample.unit_price is not None else None,
        "price_grant": sample.price_grant_id,
        "order_number": sample.order_number,
        "decline_reason": sample.decline_reason,
        "tracking": sample.tracking,
        "feedback": sample.feedback,
        "feedback_rating": sample.feedback_rating,
        "created_at": _when(sample.created_at),
    }


def quote_repr(quote, *, side: str) -> dict:
    return {
        "id": quote.pk,
        "label": quote.label,
        "status": quote.status,
        "status_display": quote.get_status_display(),
        "request": {
            "id": quote.request_id,
            "reference": quote.request.reference,
            "title": quote.request.title,
        },
        "counterpart": _company(quote.exhibitor if side == "buyer" else quote.request.buyer),
        "product": {"id": quote.product_id, "title": quote.product.get_title()},
        "unit_price": str(quote.unit_price),
        "moq": quote.moq,
        "quantity": services.quote_quantity(quote),
        "lead_time_days": quote.lead_time_days,
        "delivery_terms": quote.delivery_terms,
        "valid_until": quote.valid_until.isoformat(),
        "message": quote.message,
        "thread": quote.thread_id,
        "price_grant": quote.price_grant_id,
        "created_at": _when(quote.created_at),
    }


def grant_repr(grant) -> dict | None:
    if grant is None:
        return None
    return {
        "id": grant.pk,
        "kind": grant.kind,
        "reference": grant.reference,
        "product": grant.product_id,
        "unit_price": str(grant.unit_price),
        "currency": grant.currency,
        "quantity": grant.quantity,
        "valid_until": grant.valid_until.isoformat() if grant.valid_until else None,
    }


def meeting_repr(meeting, *, side: str) -> dict:
    return {
        "id": meeting.pk,
        "label": meeting.label,
        "status": meeting.status,
        "status_display": meeting.get_status_display(),
        "kind": meeting.kind,
        "counterpart": _company(meeting.exhibitor if side == "buyer" else meeting.buyer),
        "topic": meeting.topic,
        "duration_minutes": meeting.duration_minutes,
        "video_url": meeting.video_url,
        "starts_at": _when(meeting.starts_at),
        "ends_at": _when(meeting.ends_at),
        "proposals": [
            {"id": p.pk, "starts_at": _when(p.starts_at), "side": p.side} for p in meeting.proposals.all()
        ],
        "attendee": meeting.attendee_id,
        "decline_reason": meeting.decline_reason,
        "created_at": _when(meeting.created_at),
    }


OBJECT = serializers.DictField()


def page_of(name: str):
    return inline_serializer(
        name,
        {
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": serializers.ListField(child=serializers.DictField()),
        },
    )


def answer_of(name: str, key: str):
    return inline_serializer(name, {"detail": serializers.CharField(), key: serializers.DictField()})


class _PagedList(MemberAPIView):
    """A cursor page of a selector's rows, each as ``represent`` shows it."""

    def rows(self):
        raise NotImplementedError

    def represent(self, obj) -> dict:
        raise NotImplementedError

    def get(self, request):
        paginator = NewestFirst()
        page = paginator.paginate_queryset(self.rows(), request, view=self)
        self.prepare(page)
        return paginator.get_paginated_response([self.represent(obj) for obj in page])

    def prepare(self, page) -> None:
        pass


def _run(call):
    """Run a service call in one transaction; a refusal becomes the API's JSON error."""
    try:
        with transaction.atomic():
            return call()
    except DjangoValidationError as error:
        raise refusal(error) from None


# --- threads and inquiries ----------------------------------------------------------------------


class ThreadListView(_PagedList):
    """My company's conversations (inquiries and quotes), newest first, with unread flags."""

    def rows(self):
        return selectors.thread_list(membership=self.membership).select_related("inquiry", "quote")

    def prepare(self, page):
        self.unread = selectors.unread_thread_ids(membership=self.membership, threads=page)

    def represent(self, thread):
        return thread_repr(thread, side=self.side, unread=thread.pk in self.unread)

    @extend_schema(responses=page_of("ThreadPage"), operation_id="v1_threads_list")
    def get(self, request):
        return super().get(request)


class ThreadDetailView(MemberAPIView):
    """One thread with its messages; reading it marks it read, as opening its page does."""

    @extend_schema(
        responses=inline_serializer(
            "ThreadDetail",
            {"thread": OBJECT, "messages": serializers.ListField(child=serializers.DictField())},
        )
    )
    def get(self, request, pk: int):
        thread = selectors.thread_get(membership=self.membership, pk=pk)
        services.thread_mark_seen(membership=self.membership, thread=thread)
        return Response(
            {
                "thread": thread_repr(thread, side=self.side, unread=False),
                "messages": [message_repr(m, side=self.side) for m in selectors.message_list(thread=thread)],
            }
        )


class ThreadMessageView(MemberAPIView):
    """Reply in a thread (JSON ``{"body"}``, or multipart with ``attachments``)."""

    @extend_schema(
        request=inline_serializer("Reply", {"body": serializers.CharField()}),
        responses={201: answer_of("ReplyAnswer", "message")},
        examples=[OpenApiExample("Reply", value={"body": "We can deliver in March."}, request_only=True)],
    )
    def post(self, request, pk: int):
        thread = selectors.thread_get(membership=self.membership, pk=pk)
        host = self.page(pages.InquiryDetailView)
        form = ReplyForm(host.request.POST, host.request.FILES)
        if not form.is_valid():
            raise FormInvalid(form)
        data = form.cleaned_data
        message = _run(
            lambda: services.message_post(
                membership=self.membership, thread=thread, body=data["body"], files=data["attachments"]
            )
        )
        return Response(
            {"detail": _("Your message is sent."), "message": message_repr(message, side=self.side)},
            status=status.HTTP_201_CREATED,
        )


class InquiryCreateView(MemberAPIView):
    """A buyer asks an exhibitor (``exhibitor`` key, or a ``product`` id of it), with the inquiry
    page's form: ``products`` (ids of that exhibitor's), ``quantity``, ``destination``, ``message``."""

    @extend_schema(
        request=inline_serializer(
            "InquiryCreate",
            {
                "exhibitor": serializers.CharField(required=False),
                "product": serializers.IntegerField(required=False),
                "products": serializers.ListField(child=serializers.IntegerField(), required=False),
                "quantity": serializers.IntegerField(required=False),
                "destination": serializers.CharField(required=False),
                "message": serializers.CharField(),
            },
        ),
        responses={201: answer_of("InquiryAnswer", "thread")},
        examples=[
            OpenApiExample(
                "Ask", value={"product": 12, "products": [12], "message": "Price for 500 cartons?"}
            )
        ],
    )
    def post(self, request):
        self.require_side("buyer")
        host = self.page(pages.InquiryCreateView)
        host.setup_target()  # the page's rules: the exhibitor (or the product's), its public products
        form = InquiryForm(host.request.POST, host.request.FILES, products=host.products)
        if not form.is_valid():
            raise FormInvalid(form)
        data = form.cleaned_data
        inquiry = _run(
            lambda: services.inquiry_create(
                membership=self.membership,
                exhibitor=host.exhibitor,
                products=data["products"],
                quantity=data["quantity"],
                destination=data["destination"],
                message=data["message"],
                files=data["attachments"],
            )
        )
        return Response(
            {
                "detail": _("Your inquiry is sent to %(company)s.") % {"company": host.exhibitor},
                "inquiry": {"id": inquiry.pk, "label": inquiry.label, "status": inquiry.status},
                "thread": thread_repr(inquiry.thread, side=self.side, unread=False),
            },
            status=status.HTTP_201_CREATED,
        )


class UnreadView(MemberAPIView):
    """How many threads wait to be read, and what waits for my company's answer."""

    @extend_schema(
        responses=inline_serializer(
            "Unread", {"threads": serializers.IntegerField(), "waiting": serializers.DictField()}
        )
    )
    def get(self, request):
        from notifications.selectors import unread_notification_count

        return Response(
            {
                "threads": selectors.unread_thread_count(membership=self.membership),
                "notifications": unread_notification_count(membership=self.membership),
                "waiting": selectors.action_counts(membership=self.membership),
            }
        )


# --- samples ------------------------------------------------------------------------------------


class SampleListView(_PagedList):
    """My sample requests: those my buyer company asked for, or those asked of my exhibitor."""

    def rows(self):
        return selectors.sample_list(membership=self.membership)

    def represent(self, sample):
        return sample_repr(sample, side=self.side)

    @extend_schema(responses=page_of("SamplePage"))
    def get(self, request):
        return super().get(request)

    @extend_schema(
        request=inline_serializer(
            "SampleCreate",
            {
                "product": serializers.IntegerField(),
                "inquiry": serializers.IntegerField(required=False),
                "quantity": serializers.IntegerField(),
                "ship_to": serializers.CharField(),
                "message": serializers.CharField(required=False),
            },
        ),
        responses={201: answer_of("SampleAnswer", "sample")},
        examples=[OpenApiExample("Ask", value={"product": 12, "quantity": 2, "ship_to": "Wuhan, Hubei"})],
    )
    def post(self, request):
        """A buyer asks for samples of a product (the sample page's form)."""
        self.require_side("buyer")
        host = self.page(pages.SampleCreateView)
        host.setup_target()
        form = SampleRequestForm(host.request.POST)
        if not form.is_valid():
            raise FormInvalid(form)
        sample = _run(
            lambda: services.sample_request_create(
                membership=self.membership, product=host.product, inquiry=host.inquiry, **form.cleaned_data
            )
        )
        return Response(
            {"detail": _("Your sample request is sent."), "sample": sample_repr(sample, side=self.side)},
            status=status.HTTP_201_CREATED,
        )


class SampleActionView(PageActionView):
    page_view = pages.SampleDetailView

    def represent(self, sample):
        return {"sample": sample_repr(sample, side=self.side)}


# --- quotes -------------------------------------------------------------------------------------


class QuoteListView(_PagedList):
    """Buyer: the quotes on my sourcing requests; exhibitor: my quotes."""

    def rows(self):
        return selectors.quote_list(membership=self.membership)

    def represent(self, quote):
        return quote_repr(quote, side=self.side)

    @extend_schema(responses=page_of("QuotePage"))
    def get(self, request):
        return super().get(request)

    @extend_schema(
        request=inline_serializer(
            "QuoteCreate",
            {
                "request": serializers.IntegerField(),
                "product": serializers.IntegerField(),
                "unit_price": serializers.DecimalField(max_digits=12, decimal_places=2),
                "moq": serializers.IntegerField(),
                "lead_time_days": serializers.IntegerField(),
                "delivery_terms": serializers.CharField(),
                "valid_until": serializers.DateField(),
                "message": serializers.CharField(required=False),
            },
        ),
        responses={201: answer_of("QuoteAnswer", "quote")},
        examples=[
            OpenApiExample(
                "Quote",
                value={
                    "request": 7,
                    "product": 12,
                    "unit_price": "40.00",
                    "moq": 10,
                    "lead_time_days": 5,
                    "delivery_terms": "delivered",
                    "valid_until": "2026-12-31",
                },
            )
        ],
    )
    def post(self, request):
        """An exhibitor quotes on (or revises its quote on) a sourcing request it may see."""
        self.require_side("exhibitor")
        host = self.page(pages.QuoteCreateView)
        if not str(host.request.POST.get("request", "")).isdigit():
            raise serializers.ValidationError({"request": [_("This field is required.")]})
        host.setup_target()  # 404 for a request this exhibitor may not quote on
        form = QuoteForm(host.request.POST, products=host.products)
        if not form.is_valid():
            raise FormInvalid(form)
        quote = _run(
            lambda: services.quote_submit(
                membership=self.membership, request=host.sourcing_request, **form.cleaned_data
            )
        )
        return Response(
            {"detail": _("Your quote is sent."), "quote": quote_repr(quote, side=self.side)},
            status=status.HTTP_201_CREATED,
        )


class QuoteActionView(PageActionView):
    page_view = pages.QuoteDetailView

    def represent(self, quote):
        grant = services.quote_price_grant(quote) if self.side == "buyer" else None
        return {
            "quote": quote_repr(quote, side=self.side),
            "negotiated": grant.pk if grant else None,  # POST /api/v1/basket/lines/ {"negotiated": id}
            "grant": grant_repr(grant),
        }


# --- meetings -----------------------------------------------------------------------------------


class MeetingListView(_PagedList):
    def rows(self):
        return selectors.meeting_list(membership=self.membership)

    def represent(self, meeting):
        return meeting_repr(meeting, side=self.side)

    @extend_schema(responses=page_of("MeetingPage"), summary="My company's meetings")
    def get(self, request):
        return super().get(request)

    @extend_schema(
        request=inline_serializer(
            "MeetingCreate",
            {
                "exhibitor": serializers.CharField(),
                "kind": serializers.CharField(),
                "time_1": serializers.DateTimeField(),
                "time_2": serializers.DateTimeField(required=False),
                "time_3": serializers.DateTimeField(required=False),
                "duration_minutes": serializers.IntegerField(),
                "topic": serializers.CharField(),
                "video_url": serializers.URLField(required=False),
            },
        ),
        responses={201: answer_of("MeetingAnswer", "meeting")},
        examples=[
            OpenApiExample(
                "Ask",
                value={
                    "exhibitor": "acme",
                    "kind": "online",
                    "time_1": "2026-12-10T10:00",
                    "duration_minutes": 30,
                    "topic": "Prices for 2027",
                },
            )
        ],
    )
    def post(self, request):
        """A buyer asks an exhibitor for a meeting, proposing up to three times."""
        self.require_side("buyer")
        host = self.page(pages.MeetingCreateView)
        host.setup_target()
        form = MeetingRequestForm(host.request.POST)
        if not form.is_valid():
            raise FormInvalid(form)
        data = form.cleaned_data
        meeting = _run(
            lambda: services.meeting_request(
                membership=self.membership,
                exhibitor=host.exhibitor,
                kind=data["kind"],
                times=form.times(),
                topic=data["topic"],
                duration_minutes=data["duration_minutes"],
                video_url=data["video_url"],
            )
        )
        return Response(
            {
                "detail": _("Your meeting request is sent; the exhibitor has 72 hours to answer."),
                "meeting": meeting_repr(meeting, side=self.side),
            },
            status=status.HTTP_201_CREATED,
        )


class MeetingActionView(PageActionView):
    page_view = pages.MeetingDetailView

    def represent(self, meeting):
        return {"meeting": meeting_repr(meeting, side=self.side)}


# --- page actions -----------------------------------------------------------------------------


# (action, request body fields, the action's request example)
PRICE = serializers.DecimalField(max_digits=12, decimal_places=2, required=False)
SAMPLE_ACTIONS = {
    "accept": (
        {"terms": serializers.ChoiceField(choices=["free", "paid"]), "unit_price": PRICE},
        {"terms": "free"},
    ),
    "decline": ({"reason": serializers.CharField()}, {"reason": "Out of stock"}),
    "ship": ({"tracking": serializers.CharField()}, {"tracking": "SF1234567890"}),
    "feedback": (
        {"feedback": serializers.CharField(), "rating": serializers.IntegerField(required=False)},
        {"feedback": "Crisp", "rating": 5},
    ),
    "receipt": ({}, {}),
    "cancel": ({}, {}),
}
QUOTE_ACTIONS = {"accept": ({}, {}), "withdraw": ({}, {})}
MEETING_ACTIONS = {
    "accept": (
        {
            "proposal": serializers.IntegerField(),
            "attendee": serializers.IntegerField(),
            "video_url": serializers.URLField(required=False),
        },
        {"proposal": 3, "attendee": 5},
    ),
    "propose": (
        {"starts_at": serializers.DateTimeField(), "attendee": serializers.IntegerField()},
        {"starts_at": "2026-12-11T14:00", "attendee": 5},
    ),
    "decline": ({"reason": serializers.CharField()}, {"reason": "Fully booked"}),
    "accept-proposal": ({}, {}),
    "cancel": ({"reason": serializers.CharField(required=False)}, {}),
}


def action_view(base: type, name: str, fields: dict, example: dict, answer: str):
    """A ``base`` subclass for the page action ``name``, documented with its body."""
    title = "".join(part.capitalize() for part in f"{base.__name__[:-10]} {name}".replace("-", " ").split())

    def post(self, request, pk: int):
        return base.post(self, request, pk)

    post = extend_schema(
        request=inline_serializer(f"{title}Body", fields) if fields else None,
        responses={200: answer_of(f"{title}Answer", answer)},
        examples=[OpenApiExample(name, value=example, request_only=True)] if example else [],
    )(post)
    doc = f"The “{name}” action of the HTML page, with its form's fields as the body."
    return type(f"{title}View", (base,), {"action": name, "post": post, "__doc__": doc}).as_view()
