"""The public page of an exhibitor."""

from __future__ import annotations

from django.views.generic import TemplateView

from .. import selectors


class ExhibitorDetailView(TemplateView):
    """An exhibitor's public profile: badge, certificates that count, gallery; contacts when allowed."""

    template_name = "exhibitors/exhibitor_detail.html"

    def get_context_data(self, **kwargs):
        exhibitor = selectors.public_exhibitor_get(key=self.kwargs["key"])
        return super().get_context_data(
            company=exhibitor,
            certificates=selectors.valid_certificates(exhibitor=exhibitor),
            show_contacts=selectors.can_see_contacts(user=self.request.user, company=exhibitor),
            **kwargs,
        )
