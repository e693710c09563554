"""Basket views of the fork: agreed prices (samples, accepted quotes) go into the basket."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from oscar.apps.basket.views import *  # noqa: F401,F403 - Oscar's views stay available here
from oscar.core.loading import get_model

from exhibitors.selectors import current_membership, membership_list
from partner.models import NegotiatedPrice
from partner.services import basket_add_negotiated, buyer_of, sample_grant_for_buyer

Product = get_model("catalogue", "Product")


def _acting_buyer(request):
    """The buyer company the person acts for: the chosen one if it buys, else their first buyer company."""
    membership = current_membership(user=request.user, session=request.session)
    if membership is not None and membership.buyer_id:
        return membership.buyer
    for membership in membership_list(user=request.user):
        if membership.buyer_id:
            return membership.buyer
    return None


class AddNegotiatedView(LoginRequiredMixin, View):
    """An agreed price (sample or accepted quote) goes into the basket on POST. A GET (a link in an
    e-mail) only shows what would be added, with the button: a GET never changes a basket."""

    def get(self, request, pk):
        grant = get_object_or_404(NegotiatedPrice.objects.select_related("product", "buyer"), pk=pk)
        if not buyer_of(user=request.user, grant=grant):
            raise Http404  # another company's agreed price is not shown, not even its existence
        return render(
            request, "oscar/basket/add_negotiated.html", {"grant": grant, "refusal": grant.refusal()}
        )

    def post(self, request, pk):
        grant = get_object_or_404(NegotiatedPrice.objects.select_related("product", "buyer"), pk=pk)
        try:
            basket_add_negotiated(basket=request.basket, grant=grant, user=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(grant.product.get_absolute_url())
        messages.success(
            request,
            _("%(quantity)s × '%(title)s' at the agreed price is in your basket.")
            % {"quantity": grant.quantity, "title": grant.product.get_title()},
        )
        return redirect("basket:summary")


class AddSampleView(LoginRequiredMixin, View):
    """Order one sample unit of a product at its sample price (once per buyer company and product)."""

    def post(self, request, pk):
        product = get_object_or_404(Product, pk=pk, is_public=True)
        buyer = _acting_buyer(request)
        if buyer is None:
            messages.error(request, _("Only members of a verified buyer company can order samples."))
            return redirect(product.get_absolute_url())
        try:
            grant = sample_grant_for_buyer(buyer=buyer, product=product)
            basket_add_negotiated(basket=request.basket, grant=grant, user=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(product.get_absolute_url())
        messages.success(
            request, _("A sample of '%(title)s' is in your basket.") % {"title": product.get_title()}
        )
        return redirect("basket:summary")
