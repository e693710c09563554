"""Public pages of buyer companies; the buyer's sourcing requests and the weekly match e-mail
in the company centre.

Company-centre views act on the person's current company (``self.membership``) and reach
requests only through the scoped selectors: another company's request is a 404.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from catalogue.models import Storage
from exhibitors.selectors import can_see_contacts
from exhibitors.views import CompanyMemberMixin, _errors_to_messages
from search.matching import match_subject
from stats.services import log_matches

from . import selectors, services
from .forms import MatchDigestForm, SourcingRequestForm
from .models import RequestStatus

REQUEST_MATCHES = 10


class BuyerDetailView(TemplateView):
    """A buyer's public profile: what it buys and where it sells; contacts when allowed."""

    template_name = "buyers/buyer_detail.html"

    def get_context_data(self, **kwargs):
        buyer = selectors.public_buyer_get(key=self.kwargs["key"])
        return super().get_context_data(
            company=buyer, show_contacts=can_see_contacts(user=self.request.user, company=buyer), **kwargs
        )


class SourcingRequestListView(CompanyMemberMixin, TemplateView):
    """The buyer's sourcing requests (采购需求), open ones first."""

    template_name = "buyers/request_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            requests=selectors.sourcing_request_list(membership=self.membership), **kwargs
        )


class SourcingRequestEditView(CompanyMemberMixin, FormView):
    """Post a request (no pk) or change one of the buyer's own."""

    template_name = "exhibitors/company_form.html"
    form_class = SourcingRequestForm

    def get_instance(self):
        if self.kwargs.get("pk") is None:
            selectors.buyer_of(self.membership)  # 404 for exhibitors
            return None
        return selectors.sourcing_request_get(membership=self.membership, pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.get_instance()}

    def form_valid(self, form):
        try:
            if form.instance.pk:
                request = services.sourcing_request_update(
                    membership=self.membership, request=form.instance, data=form.request_data()
                )
            else:
                request = services.sourcing_request_create(
                    membership=self.membership, data=form.request_data()
                )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("The sourcing request %(reference)s is saved.") % {"reference": request.reference}
        )
        return redirect("company:request-detail", pk=request.pk)

    def get_context_data(self, **kwargs):
        instance = self.get_instance()
        return super().get_context_data(
            title=_("Change the sourcing request") if instance else _("Post a sourcing request"),
            back=reverse("company:request-detail", args=[instance.pk])
            if instance
            else reverse("company:requests"),
            **kwargs,
        )


class SourcingRequestDetailView(CompanyMemberMixin, TemplateView):
    """One request with the suppliers recommended for it, and the reasons."""

    template_name = "buyers/request_detail.html"

    def get_context_data(self, **kwargs):
        request = selectors.sourcing_request_get(membership=self.membership, pk=self.kwargs["pk"])
        answer = match_subject("request", f"{request.buyer.key}/{request.reference}", limit=REQUEST_MATCHES)
        log_matches(answer=answer, source="page")
        return super().get_context_data(
            sourcing_request=request,
            storage=dict(Storage.choices).get(request.storage, request.storage),
            matches=answer,
            **kwargs,
        )


class SourcingRequestCloseView(CompanyMemberMixin, View):
    def post(self, request, pk):
        sourcing_request = selectors.sourcing_request_get(membership=self.membership, pk=pk)
        try:
            services.sourcing_request_close(membership=self.membership, request=sourcing_request)
            messages.success(request, _("The request is closed: exhibitors no longer see it."))
        except ValidationError as error:
            _errors_to_messages(request, error)
        return redirect("company:request-detail", pk=pk)


class SourcingRequestReopenView(CompanyMemberMixin, View):
    def post(self, request, pk):
        sourcing_request = selectors.sourcing_request_get(membership=self.membership, pk=pk)
        if sourcing_request.status != RequestStatus.OPEN:
            try:
                services.sourcing_request_reopen(membership=self.membership, request=sourcing_request)
                messages.success(request, _("The request is open again."))
            except ValidationError as error:
                _errors_to_messages(request, error)
        return redirect("company:request-detail", pk=pk)


class MatchDigestView(CompanyMemberMixin, FormView):
    """The member's own choice about the weekly e-mail of new matches."""

    template_name = "buyers/match_digest.html"
    form_class = MatchDigestForm

    def get_initial(self):
        return {"enabled": selectors.match_digest_enabled(membership=self.membership)}

    def form_valid(self, form):
        services.match_digest_set(membership=self.membership, enabled=form.cleaned_data["enabled"])
        if form.cleaned_data["enabled"]:
            messages.success(self.request, _("You will get new matches by e-mail every week."))
        else:
            messages.success(self.request, _("You will no longer get the weekly e-mail of new matches."))
        return redirect("company:digest")


class MatchDigestOffView(View):
    """The one-click link in the e-mail: switches the digest off without logging in (the link
    is signed for that member); the page offers to switch it back on."""

    template_name = "buyers/match_digest_off.html"

    def get_membership(self, token):
        membership = services.match_digest_membership(token)
        if membership is None:
            raise Http404("This link is not valid.")
        return membership

    def get(self, request, token):
        membership = self.get_membership(token)
        services.match_digest_set(membership=membership, enabled=False)
        return render(
            request, self.template_name, {"membership": membership, "enabled": False, "token": token}
        )

    def post(self, request, token):
        membership = self.get_membership(token)
        enabled = request.POST.get("enabled") == "on"
        services.match_digest_set(membership=membership, enabled=enabled)
        return render(
            request, self.template_name, {"membership": membership, "enabled": enabled, "token": token}
        )
