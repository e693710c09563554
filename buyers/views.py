"""Public pages of buyer companies."""

from django.views.generic import TemplateView

from exhibitors.selectors import can_see_contacts

from .selectors import public_buyer_get


class BuyerDetailView(TemplateView):
    """A buyer's public profile: what it buys and where it sells; contacts when allowed."""

    template_name = "buyers/buyer_detail.html"

    def get_context_data(self, **kwargs):
        buyer = public_buyer_get(key=self.kwargs["key"])
        return super().get_context_data(
            company=buyer, show_contacts=can_see_contacts(user=self.request.user, company=buyer), **kwargs
        )
