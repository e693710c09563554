"""An exhibitor's certificates and expo participations."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from .. import selectors, services
from ..forms import (
    CertificateForm,
    ParticipationForm,
)
from .company import CompanyMemberMixin


class CertificateListView(CompanyMemberMixin, TemplateView):
    template_name = "exhibitors/certificate_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            certificates=selectors.certificate_list(membership=self.membership), **kwargs
        )


class CertificateEditView(CompanyMemberMixin, FormView):
    """Add a certificate (no pk) or change one of the company's own."""

    template_name = "exhibitors/company_form.html"
    form_class = CertificateForm

    def get_instance(self):
        pk = self.kwargs.get("pk")
        if pk is None:
            selectors.certificate_list(membership=self.membership)  # 404 for buyers
            return None
        return selectors.certificate_get(membership=self.membership, pk=pk)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.get_instance(), "exhibitor": self.company}

    def form_valid(self, form):
        certificate = form.save(commit=False)
        certificate.exhibitor = self.company
        services.certificate_save(certificate=certificate)
        messages.success(self.request, _("The certificate is saved."))
        return redirect("company:certificates")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Certificate"), back=reverse("company:certificates"), **kwargs
        )


class CertificateDeleteView(CompanyMemberMixin, View):
    def post(self, request, pk):
        selectors.certificate_get(membership=self.membership, pk=pk).delete()
        messages.success(request, _("The certificate is removed."))
        return redirect("company:certificates")


class ParticipationListView(CompanyMemberMixin, TemplateView):
    template_name = "exhibitors/participation_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            participations=selectors.participation_list(membership=self.membership), **kwargs
        )


class ParticipationEditView(CompanyMemberMixin, FormView):
    template_name = "exhibitors/company_form.html"
    form_class = ParticipationForm

    def get_instance(self):
        pk = self.kwargs.get("pk")
        if pk is None:
            selectors.participation_list(membership=self.membership)  # 404 for buyers
            return None
        return selectors.participation_get(membership=self.membership, pk=pk)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.get_instance(), "exhibitor": self.company}

    def form_valid(self, form):
        participation = form.save(commit=False)
        participation.exhibitor = self.company
        participation.save()
        messages.success(self.request, _("Saved."))
        return redirect("company:participation")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Expo participation"), back=reverse("company:participation"), **kwargs
        )


class ParticipationDeleteView(CompanyMemberMixin, View):
    def post(self, request, pk):
        selectors.participation_get(membership=self.membership, pk=pk).delete()
        messages.success(request, _("Removed."))
        return redirect("company:participation")
