"""Negotiation pages of the company centre (``/company/negotiation/…``).

Each view acts for the person's current company and reaches records only through the
scoped selectors (another company's are 404). Services refuse with a ValidationError: the
page shows the message and the form keeps what was typed, and nothing is saved.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from oscar.core.loading import get_model

from buyers.models import Buyer
from exhibitors.models import CompanyStatus, Exhibitor
from exhibitors.views import CompanyMemberMixin
from expo.ics import ics_calendar

from . import selectors, services
from .forms import (
    AbuseReportForm,
    FeedbackForm,
    InquiryForm,
    MeetingAcceptForm,
    MeetingProposeForm,
    MeetingRequestForm,
    QuoteForm,
    ReasonForm,
    ReplyForm,
    SampleAcceptForm,
    SampleRequestForm,
    ShipForm,
)
from .models import InquiryStatus, MeetingKind, MeetingStatus, QuoteStatus, SampleStatus, Side

Product = get_model("catalogue", "Product")


def _error(form, error: ValidationError) -> None:
    """Show a service's refusal on the form (what was typed stays in it)."""
    for message in error.messages:
        form.add_error(None, message)


def _flash(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _public_exhibitor(key: str) -> Exhibitor:
    exhibitor = Exhibitor.objects.exclude(status=CompanyStatus.REJECTED).filter(key=key).first()
    if exhibitor is None:
        raise Http404("No such exhibitor")
    return exhibitor


def _exhibitor_products(exhibitor: Exhibitor):
    return Product.objects.filter(stockrecords__partner_id=exhibitor.partner_id, is_public=True).order_by(
        "title"
    )


class NegotiationMixin(CompanyMemberMixin):
    """The current company and its side, plus the shared context of these pages."""

    @property
    def side(self) -> str:
        return selectors.side_of(self.membership)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["side"] = self.side
        context["is_buyer"] = self.side == Side.BUYER
        return context


class OverviewView(NegotiationMixin, TemplateView):
    """Conversations (unread first) and what waits for an answer."""

    template_name = "negotiation/overview.html"

    def get_context_data(self, **kwargs):
        threads = list(selectors.thread_list(membership=self.membership)[:50])
        unread = selectors.unread_thread_ids(membership=self.membership, threads=threads)
        for thread in threads:
            thread.is_unread = thread.pk in unread
        return super().get_context_data(
            threads=threads, counts=selectors.action_counts(membership=self.membership), **kwargs
        )


class ThreadView(NegotiationMixin, View):
    """A thread's own page is its inquiry's or its quote's."""

    def get(self, request, pk):
        thread = selectors.thread_get(membership=self.membership, pk=pk)
        if hasattr(thread, "inquiry"):
            return redirect("company:negotiation-inquiry", thread.inquiry.pk)
        return redirect("company:negotiation-quote", thread.quote.pk)


class ThreadPageMixin(NegotiationMixin):
    """GET shows the thread and marks it read; POST ``reply`` adds a message."""

    def thread_context(self, thread, reply_form=None) -> dict:
        services.thread_mark_seen(membership=self.membership, thread=thread)
        return {
            "thread": thread,
            "thread_messages": selectors.message_list(thread=thread),
            "reply_form": reply_form or ReplyForm(),
        }

    def post_reply(self, thread):
        form = ReplyForm(self.request.POST, self.request.FILES)
        if form.is_valid():
            try:
                with transaction.atomic():
                    services.message_post(
                        membership=self.membership,
                        thread=thread,
                        body=form.cleaned_data["body"],
                        files=form.cleaned_data["attachments"],
                    )
                messages.success(self.request, _("Your message is sent."))
                return None
            except ValidationError as error:
                _error(form, error)
        return form


class InquiryListView(NegotiationMixin, TemplateView):
    template_name = "negotiation/inquiry_list.html"

    def get_context_data(self, **kwargs):
        inquiries = list(selectors.inquiry_list(membership=self.membership)[:100])
        unread = selectors.unread_thread_ids(
            membership=self.membership, threads=[i.thread for i in inquiries]
        )
        for inquiry in inquiries:
            inquiry.is_unread = inquiry.thread_id in unread
        return super().get_context_data(inquiries=inquiries, **kwargs)


class InquiryCreateView(NegotiationMixin, TemplateView):
    """``?exhibitor=KEY`` (and ``&product=ID``): a buyer asks an exhibitor."""

    template_name = "negotiation/inquiry_form.html"

    def setup_target(self):
        if self.side != Side.BUYER:
            raise Http404("Only buyers send inquiries.")
        key = self.request.GET.get("exhibitor") or self.request.POST.get("exhibitor")
        product_id = self.request.GET.get("product")
        if not key and product_id and product_id.isdigit():
            product = Product.objects.filter(pk=product_id).first()
            exhibitor = (
                Exhibitor.objects.filter(partner__stockrecords__product=product).first() if product else None
            )
            key = exhibitor.key if exhibitor else None
        if not key:
            raise Http404("Name the exhibitor.")
        self.exhibitor = _public_exhibitor(key)
        self.products = _exhibitor_products(self.exhibitor)

    def get(self, request, *args, **kwargs):
        self.setup_target()
        initial = {}
        product_id = request.GET.get("product", "")
        if product_id.isdigit():
            initial["products"] = list(self.products.filter(pk=product_id))
        return self.render_to_response(
            self.get_context_data(form=InquiryForm(products=self.products, initial=initial))
        )

    def post(self, request, *args, **kwargs):
        self.setup_target()
        form = InquiryForm(request.POST, request.FILES, products=self.products)
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    inquiry = services.inquiry_create(
                        membership=self.membership,
                        exhibitor=self.exhibitor,
                        products=data["products"],
                        quantity=data["quantity"],
                        destination=data["destination"],
                        message=data["message"],
                        files=data["attachments"],
                    )
                messages.success(
                    request, _("Your inquiry is sent to %(company)s.") % {"company": self.exhibitor}
                )
                return redirect("company:negotiation-inquiry", inquiry.pk)
            except ValidationError as error:
                _error(form, error)
        return self.render_to_response(self.get_context_data(form=form))

    def get_context_data(self, **kwargs):
        return super().get_context_data(counterpart=self.exhibitor, **kwargs)


class InquiryDetailView(ThreadPageMixin, TemplateView):
    template_name = "negotiation/inquiry_detail.html"

    def get_inquiry(self):
        return selectors.inquiry_get(membership=self.membership, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        inquiry = self.get_inquiry()
        reply_form = kwargs.pop("reply_form", None)
        return super().get_context_data(
            inquiry=inquiry,
            counterpart=inquiry.exhibitor if self.side == Side.BUYER else inquiry.buyer,
            samples=inquiry.sample_requests.all(),
            can_reply=inquiry.status != InquiryStatus.CLOSED,
            **self.thread_context(inquiry.thread, reply_form),
            **kwargs,
        )

    def post(self, request, pk):
        inquiry = self.get_inquiry()
        if request.POST.get("action") == "close":
            services.inquiry_close(membership=self.membership, inquiry=inquiry)
            messages.success(request, _("The inquiry is closed."))
            return redirect("company:negotiation-inquiry", inquiry.pk)
        form = self.post_reply(inquiry.thread)
        if form is None:
            return redirect("company:negotiation-inquiry", inquiry.pk)
        return self.render_to_response(self.get_context_data(reply_form=form))


class AttachmentView(NegotiationMixin, View):
    """An attachment, to the two companies of its thread only."""

    http_method_names = ["get", "head"]

    def get(self, request, pk):
        attachment = selectors.attachment_get(membership=self.membership, pk=pk)
        try:
            handle = attachment.file.open("rb")
        except (FileNotFoundError, OSError):
            raise Http404 from None
        return FileResponse(handle, as_attachment=True, filename=attachment.name)


class SampleListView(NegotiationMixin, TemplateView):
    template_name = "negotiation/sample_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            samples=selectors.sample_list(membership=self.membership)[:100], **kwargs
        )


class SampleCreateView(NegotiationMixin, TemplateView):
    """``?product=ID`` (and ``&inquiry=ID``): a buyer asks for samples."""

    template_name = "negotiation/sample_form.html"

    def setup_target(self):
        if self.side != Side.BUYER:
            raise Http404("Only buyers ask for samples.")
        product_id = self.request.GET.get("product", "")
        self.product = (
            Product.objects.filter(pk=product_id, is_public=True).first() if product_id.isdigit() else None
        )
        if self.product is None:
            raise Http404("Name the product.")
        inquiry_id = self.request.GET.get("inquiry", "")
        self.inquiry = (
            selectors.inquiry_get(membership=self.membership, pk=inquiry_id) if inquiry_id.isdigit() else None
        )

    def get(self, request, *args, **kwargs):
        self.setup_target()
        return self.render_to_response(self.get_context_data(form=SampleRequestForm()))

    def post(self, request, *args, **kwargs):
        self.setup_target()
        form = SampleRequestForm(request.POST)
        if form.is_valid():
            try:
                with transaction.atomic():
                    sample = services.sample_request_create(
                        membership=self.membership,
                        product=self.product,
                        inquiry=self.inquiry,
                        **form.cleaned_data,
                    )
                messages.success(request, _("Your sample request is sent."))
                return redirect("company:negotiation-sample", sample.pk)
            except ValidationError as error:
                _error(form, error)
        return self.render_to_response(self.get_context_data(form=form))

    def get_context_data(self, **kwargs):
        return super().get_context_data(product=self.product, inquiry=self.inquiry, **kwargs)


class SampleDetailView(NegotiationMixin, TemplateView):
    template_name = "negotiation/sample_detail.html"
    forms = {
        "accept": SampleAcceptForm,
        "decline": ReasonForm,
        "ship": ShipForm,
        "feedback": FeedbackForm,
    }

    def get_sample(self):
        return selectors.sample_get(membership=self.membership, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        sample = self.get_sample()
        grant = services.quote_price_grant(sample)
        for name, form_class in self.forms.items():
            kwargs.setdefault(f"{name}_form", form_class(prefix=name))
        if getattr(sample.product, "sample_price", None) is not None:
            kwargs["accept_form"].initial.setdefault("unit_price", sample.product.sample_price)
        return super().get_context_data(
            sample=sample,
            counterpart=sample.exhibitor if self.side == Side.BUYER else sample.buyer,
            grant=grant,
            order=services.sample_order(sample),
            Status=SampleStatus,
            **kwargs,
        )

    def post(self, request, pk):
        sample = self.get_sample()
        action = request.POST.get("action", "")
        form_class = self.forms.get(action)
        form = form_class(request.POST, prefix=action) if form_class else None
        try:
            with transaction.atomic():
                if action == "receipt":
                    services.sample_confirm_receipt(membership=self.membership, sample=sample)
                elif action == "cancel":
                    services.sample_cancel(membership=self.membership, sample=sample)
                elif form is None:
                    raise ValidationError(_("Unknown action."))
                elif form.is_valid():
                    data = form.cleaned_data
                    if action == "accept":
                        services.sample_accept(
                            membership=self.membership,
                            sample=sample,
                            free=data["terms"] == "free",
                            unit_price=data["unit_price"],
                        )
                    elif action == "decline":
                        services.sample_decline(
                            membership=self.membership, sample=sample, reason=data["reason"]
                        )
                    elif action == "ship":
                        services.sample_ship(
                            membership=self.membership, sample=sample, tracking=data["tracking"]
                        )
                    elif action == "feedback":
                        services.sample_feedback(
                            membership=self.membership,
                            sample=sample,
                            feedback=data["feedback"],
                            rating=data["rating"],
                        )
                else:
                    return self.render_to_response(self.get_context_data(**{f"{action}_form": form}))
        except ValidationError as error:
            if form is None:
                _flash(request, error)
                return redirect("company:negotiation-sample", sample.pk)
            _error(form, error)
            return self.render_to_response(self.get_context_data(**{f"{action}_form": form}))
        messages.success(request, _("Saved."))
        return redirect("company:negotiation-sample", sample.pk)


class QuoteListView(NegotiationMixin, TemplateView):
    """Exhibitors: their quotes and the open requests that fit; buyers: their requests."""

    template_name = "negotiation/quote_list.html"

    def get_context_data(self, **kwargs):
        from buyers.models import RequestStatus, SourcingRequest

        context = {}
        if self.side == Side.EXHIBITOR:
            context["quotes"] = selectors.quote_list(membership=self.membership).order_by("-created_at")[:100]
            quoted = selectors.quote_list(membership=self.membership).values_list("request_id", flat=True)
            context["open_requests"] = (
                SourcingRequest.objects.filter(
                    status=RequestStatus.OPEN, buyer__status=CompanyStatus.VERIFIED
                )
                .exclude(pk__in=quoted)
                .select_related("buyer", "category")
                .order_by("-created_at")[:50]
            )
        else:
            context["requests"] = selectors.buyer_request_list(membership=self.membership).order_by(
                "-created_at"
            )
        return super().get_context_data(**context, **kwargs)


class QuoteCreateView(NegotiationMixin, TemplateView):
    """``?request=ID``: an exhibitor quotes on (or revises its quote on) an open request."""

    template_name = "negotiation/quote_form.html"

    def setup_target(self):
        request_id = self.request.GET.get("request", "")
        if self.side != Side.EXHIBITOR or not request_id.isdigit():
            raise Http404("Name the request.")
        self.sourcing_request = selectors.quotable_request_get(membership=self.membership, pk=request_id)
        self.products = _exhibitor_products(self.membership.exhibitor)
        self.existing = (
            selectors.quote_list(membership=self.membership).filter(request=self.sourcing_request).first()
        )

    def get(self, request, *args, **kwargs):
        self.setup_target()
        initial = {"delivery_terms": "delivered"}
        if self.existing:
            initial.update(
                {
                    name: getattr(self.existing, name)
                    for name in (
                        "product",
                        "unit_price",
                        "moq",
                        "lead_time_days",
                        "delivery_terms",
                        "valid_until",
                    )
                }
            )
            initial["message"] = self.existing.message
        return self.render_to_response(
            self.get_context_data(form=QuoteForm(products=self.products, initial=initial))
        )

    def post(self, request, *args, **kwargs):
        self.setup_target()
        form = QuoteForm(request.POST, products=self.products)
        if form.is_valid():
            try:
                with transaction.atomic():
                    quote = services.quote_submit(
                        membership=self.membership, request=self.sourcing_request, **form.cleaned_data
                    )
                messages.success(request, _("Your quote is sent."))
                return redirect("company:negotiation-quote", quote.pk)
            except ValidationError as error:
                _error(form, error)
        return self.render_to_response(self.get_context_data(form=form))

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            sourcing_request=self.sourcing_request, existing=self.existing, **kwargs
        )


class QuoteDetailView(ThreadPageMixin, TemplateView):
    template_name = "negotiation/quote_detail.html"

    def get_quote(self):
        return selectors.quote_get(membership=self.membership, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        quote = self.get_quote()
        reply_form = kwargs.pop("reply_form", None)
        return super().get_context_data(
            quote=quote,
            counterpart=quote.exhibitor if self.side == Side.BUYER else quote.request.buyer,
            quantity=services.quote_quantity(quote),
            grant=services.quote_price_grant(quote) if self.side == Side.BUYER else None,
            Status=QuoteStatus,
            can_reply=quote.status in (QuoteStatus.OPEN, QuoteStatus.ACCEPTED),
            **self.thread_context(quote.thread, reply_form),
            **kwargs,
        )

    def post(self, request, pk):
        quote = self.get_quote()
        action = request.POST.get("action", "reply")
        if action in ("accept", "withdraw"):
            try:
                with transaction.atomic():
                    if action == "accept":
                        services.quote_accept(membership=self.membership, quote=quote)
                        messages.success(
                            request, _("You accepted this quote. Check out at the quoted price below.")
                        )
                    else:
                        services.quote_withdraw(membership=self.membership, quote=quote)
                        messages.success(request, _("Your quote is withdrawn."))
            except ValidationError as error:
                _flash(request, error)
            return redirect("company:negotiation-quote", quote.pk)
        form = self.post_reply(quote.thread)
        if form is None:
            return redirect("company:negotiation-quote", quote.pk)
        return self.render_to_response(self.get_context_data(reply_form=form))


class RequestQuotesView(NegotiationMixin, TemplateView):
    """The buyer compares the quotes on one of its requests side by side; may close the request."""

    template_name = "negotiation/request_quotes.html"

    def get_request(self):
        return selectors.buyer_request_get(membership=self.membership, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        sourcing_request = self.get_request()
        quotes = list(
            sourcing_request.quotes.select_related("exhibitor", "product").order_by("status", "unit_price")
        )
        figures = selectors.responsiveness_for(exhibitor_ids=[q.exhibitor_id for q in quotes])
        for quote in quotes:
            quote.quantity = services.quote_quantity(quote)
            quote.total = quote.unit_price * quote.quantity
            quote.responsiveness = figures.get(quote.exhibitor_id)
        return super().get_context_data(sourcing_request=sourcing_request, quotes=quotes, **kwargs)

    def post(self, request, pk):
        sourcing_request = self.get_request()
        if request.POST.get("action") == "close":
            services.request_close(membership=self.membership, request=sourcing_request)
            messages.success(request, _("The request is closed; open quotes on it have expired."))
        return redirect("company:negotiation-request-quotes", sourcing_request.pk)


class MeetingListView(NegotiationMixin, TemplateView):
    template_name = "negotiation/meeting_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            meetings=selectors.meeting_list(membership=self.membership).order_by("-created_at")[:100],
            **kwargs,
        )


class MeetingCreateView(NegotiationMixin, TemplateView):
    """``?exhibitor=KEY``: a buyer asks for a meeting, proposing up to three times."""

    template_name = "negotiation/meeting_form.html"

    def setup_target(self):
        key = self.request.GET.get("exhibitor", "")
        if self.side != Side.BUYER or not key:
            raise Http404("Name the exhibitor.")
        self.exhibitor = _public_exhibitor(key)

    def get(self, request, *args, **kwargs):
        self.setup_target()
        return self.render_to_response(
            self.get_context_data(form=MeetingRequestForm(initial={"kind": "booth"}))
        )

    def post(self, request, *args, **kwargs):
        self.setup_target()
        form = MeetingRequestForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    meeting = services.meeting_request(
                        membership=self.membership,
                        exhibitor=self.exhibitor,
                        kind=data["kind"],
                        times=form.times(),
                        topic=data["topic"],
                        duration_minutes=data["duration_minutes"],
                        video_url=data["video_url"],
                    )
                messages.success(
                    request, _("Your meeting request is sent; the exhibitor has 72 hours to answer.")
                )
                return redirect("company:negotiation-meeting", meeting.pk)
            except ValidationError as error:
                _error(form, error)
        return self.render_to_response(self.get_context_data(form=form))

    def get_context_data(self, **kwargs):
        from .selectors import exhibitor_editions

        return super().get_context_data(
            counterpart=self.exhibitor, editions=exhibitor_editions(exhibitor=self.exhibitor), **kwargs
        )


class MeetingDetailView(NegotiationMixin, TemplateView):
    template_name = "negotiation/meeting_detail.html"

    def get_meeting(self):
        return selectors.meeting_get(membership=self.membership, pk=self.kwargs["pk"])

    def members(self):
        return get_user_model().objects.filter(memberships__exhibitor_id=self.membership.exhibitor_id)

    def get_context_data(self, **kwargs):
        meeting = self.get_meeting()
        proposals = [p for p in meeting.proposals.all() if p.side == Side.BUYER]
        if self.side == Side.EXHIBITOR:
            kwargs.setdefault(
                "accept_form",
                MeetingAcceptForm(
                    prefix="accept",
                    proposals=proposals,
                    members=self.members(),
                    initial={"attendee": self.request.user.pk},
                ),
            )
            kwargs.setdefault(
                "propose_form",
                MeetingProposeForm(
                    prefix="propose", members=self.members(), initial={"attendee": self.request.user.pk}
                ),
            )
        kwargs.setdefault("decline_form", ReasonForm(prefix="decline"))
        return super().get_context_data(
            meeting=meeting,
            counterpart=meeting.exhibitor if self.side == Side.BUYER else meeting.buyer,
            buyer_proposals=proposals,
            counter_proposal=services.latest_counter_proposal(meeting),
            Status=MeetingStatus,
            Kind=MeetingKind,
            my_outcome=getattr(meeting, f"{self.side}_outcome"),
            can_mark=meeting.status == MeetingStatus.ACCEPTED
            and meeting.starts_at is not None
            and meeting.starts_at <= timezone.now(),
            **kwargs,
        )

    def post(self, request, pk):
        meeting = self.get_meeting()
        action = request.POST.get("action", "")
        form = None
        try:
            with transaction.atomic():
                if action == "accept":
                    proposals = [p for p in meeting.proposals.all() if p.side == Side.BUYER]
                    form = MeetingAcceptForm(
                        request.POST, prefix="accept", proposals=proposals, members=self.members()
                    )
                    if form.is_valid():
                        services.meeting_accept(
                            membership=self.membership,
                            meeting=meeting,
                            starts_at=form.proposals[form.cleaned_data["proposal"]].starts_at,
                            attendee=form.cleaned_data["attendee"],
                            video_url=form.cleaned_data["video_url"],
                        )
                elif action == "propose":
                    form = MeetingProposeForm(request.POST, prefix="propose", members=self.members())
                    if form.is_valid():
                        services.meeting_propose(
                            membership=self.membership,
                            meeting=meeting,
                            starts_at=form.cleaned_data["starts_at"],
                            attendee=form.cleaned_data["attendee"],
                        )
                elif action == "decline":
                    form = ReasonForm(request.POST, prefix="decline")
                    if form.is_valid():
                        services.meeting_decline(
                            membership=self.membership, meeting=meeting, reason=form.cleaned_data["reason"]
                        )
                elif action == "accept-proposal":
                    services.meeting_accept_proposal(membership=self.membership, meeting=meeting)
                elif action == "cancel":
                    services.meeting_cancel(
                        membership=self.membership, meeting=meeting, reason=request.POST.get("reason", "")
                    )
                elif action in ("met", "no_show"):
                    services.meeting_mark_outcome(membership=self.membership, meeting=meeting, outcome=action)
                else:
                    raise ValidationError(_("Unknown action."))
        except ValidationError as error:
            if form is None:
                _flash(request, error)
                return redirect("company:negotiation-meeting", meeting.pk)
            _error(form, error)
        if form is not None and (form.errors or not form.is_valid()):
            return self.render_to_response(self.get_context_data(**{f"{action}_form": form}))
        messages.success(request, _("Saved."))
        return redirect("company:negotiation-meeting", meeting.pk)


class MeetingIcsView(NegotiationMixin, View):
    """The accepted meeting as an ``.ics`` calendar file, for both companies."""

    http_method_names = ["get", "head"]

    def get(self, request, pk):
        meeting = selectors.meeting_get(membership=self.membership, pk=pk)
        if meeting.status != MeetingStatus.ACCEPTED:
            raise Http404("Only accepted meetings go into calendars.")
        if meeting.kind == MeetingKind.ONLINE:
            location = meeting.video_url or _("Online")
        else:
            location = _("Booth of %(company)s") % {"company": meeting.exhibitor.display_name}
            booth = meeting.exhibitor.participations.filter(edition=meeting.edition_year).first()
            if booth and booth.booth:
                location = f"{location} {booth.booth}"
        body = ics_calendar(
            uid=f"meeting-{meeting.pk}@foodexpo",
            start=meeting.starts_at,
            end=meeting.ends_at,
            summary=_("Meeting: %(buyer)s × %(exhibitor)s")
            % {"buyer": meeting.buyer.display_name, "exhibitor": meeting.exhibitor.display_name},
            description=meeting.topic,
            location=location,
            url=request.build_absolute_uri(reverse("company:negotiation-meeting", args=[meeting.pk])),
        )
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
        return response


def _counterpart(token: str):
    """``exhibitor:KEY`` or ``buyer:KEY`` of the other side."""
    kind, _sep, key = (token or "").partition(":")
    model = {"exhibitor": Exhibitor, "buyer": Buyer}.get(kind)
    if model is None or not key:
        raise Http404
    company = model.objects.filter(key=key).first()
    if company is None:
        raise Http404
    return company


class BlockListView(NegotiationMixin, TemplateView):
    """Companies the current company has blocked; POST ``block``/``unblock`` with ``company``."""

    template_name = "negotiation/block_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(blocks=selectors.block_list(membership=self.membership), **kwargs)

    def post(self, request):
        counterpart = _counterpart(request.POST.get("company", ""))
        try:
            if request.POST.get("action") == "unblock":
                services.company_unblock(membership=self.membership, counterpart=counterpart)
                messages.success(
                    request, _("%(company)s is unblocked.") % {"company": counterpart.display_name}
                )
            else:
                services.company_block(membership=self.membership, counterpart=counterpart)
                messages.success(
                    request,
                    _("%(company)s is blocked: it can no longer write to your company.")
                    % {"company": counterpart.display_name},
                )
        except ValidationError as error:
            _flash(request, error)
        return HttpResponseRedirect(reverse("company:negotiation-blocks"))


class AbuseReportView(NegotiationMixin, TemplateView):
    """``?company=exhibitor:KEY``: report abuse by a counterpart to the expo staff."""

    template_name = "negotiation/report_form.html"

    def get(self, request, *args, **kwargs):
        counterpart = _counterpart(request.GET.get("company", ""))
        form = AbuseReportForm(initial={"subject": request.GET.get("subject", "")})
        return self.render_to_response(self.get_context_data(form=form, counterpart=counterpart))

    def post(self, request, *args, **kwargs):
        counterpart = _counterpart(request.GET.get("company", ""))
        form = AbuseReportForm(request.POST)
        if form.is_valid():
            try:
                with transaction.atomic():
                    services.abuse_report(
                        membership=self.membership, counterpart=counterpart, **form.cleaned_data
                    )
                messages.success(request, _("Thank you. The expo staff will look into it."))
                return redirect("company:negotiation")
            except ValidationError as error:
                _error(form, error)
        return self.render_to_response(self.get_context_data(form=form, counterpart=counterpart))
