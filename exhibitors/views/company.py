"""The company centre's own pages: registering, the overview, switching company, the profile and photos.

Every view acts on the person's current company (``self.membership``) and reaches
private records only through the scoped selectors, so another company's records are 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from .. import selectors, services
from ..forms import (
    BuyerProfileForm,
    CompanyRegisterForm,
    ExhibitorProfileForm,
    PhotoForm,
)
from ..models import CompanyPhoto, CompanyStatus, Role


def _errors_to_messages(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


class CompanyMemberMixin(LoginRequiredMixin):
    """Resolves the current company; people with none are sent to register one."""

    owner_only = False

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.membership = selectors.current_membership(user=request.user, session=request.session)
        if self.membership is None:
            messages.info(request, _("Register your company first, or ask its owner to invite you."))
            return redirect("company:register")
        if self.owner_only and self.membership.role != Role.OWNER:
            messages.error(request, _("Only an owner of the company can do this."))
            return redirect("company:dashboard")
        self.company = self.membership.company
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            membership=self.membership,
            company=self.company,
            memberships=selectors.membership_list(user=self.request.user),
            current_token=selectors.membership_token(self.membership),
        )
        return context


class CompanyRegisterView(FormView):
    template_name = "exhibitors/company_register.html"
    form_class = CompanyRegisterForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        signed_in = self.request.user.is_authenticated
        try:
            user, created = services.registration_create(
                user=self.request.user,
                email=form.cleaned_data.get("email", ""),
                password=form.cleaned_data.get("password1", ""),
                sides=form.cleaned_data["sides"],
                data=form.company_data(),
            )
        except ValidationError as error:
            form.add_error("key", error)
            return self.form_invalid(form)
        if not signed_in:
            login(self.request, user, backend="oscar.apps.customer.auth_backends.EmailBackend")
        self.request.session[selectors.SESSION_KEY] = selectors.membership_token(created[0])
        messages.success(
            self.request,
            _(
                "Your company is registered. Complete the profile and upload your business licence "
                "to be verified."
            ),
        )
        return redirect("company:profile")


class CompanyDashboardView(CompanyMemberMixin, TemplateView):
    template_name = "exhibitors/company_dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.company.kind == "exhibitor":
            context["certificates"] = list(selectors.certificate_list(membership=self.membership))
            context["participations"] = list(selectors.participation_list(membership=self.membership))
        context["member_count"] = selectors.member_list(membership=self.membership).count()
        return context


class CompanySwitchView(LoginRequiredMixin, View):
    def post(self, request):
        token = request.POST.get("company", "")
        memberships = selectors.membership_list(user=request.user)
        if not any(selectors.membership_token(m) == token for m in memberships):
            raise Http404
        request.session[selectors.SESSION_KEY] = token
        return redirect("company:dashboard")


class CompanyProfileUpdateView(CompanyMemberMixin, FormView):
    template_name = "exhibitors/company_form.html"

    def get_form_class(self):
        return ExhibitorProfileForm if self.company.kind == "exhibitor" else BuyerProfileForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.company}

    def form_valid(self, form):
        form.save()
        messages.success(self.request, _("The profile is saved."))
        return redirect("company:profile")

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Company profile"), **kwargs)


class CompanyResubmitView(CompanyMemberMixin, View):
    """A rejected company asks for verification again after fixing its profile."""

    def post(self, request):
        if self.company.status != CompanyStatus.REJECTED:
            return redirect("company:dashboard")
        try:
            services.company_submit_for_verification(company=self.company)
            messages.success(request, _("Sent for verification again."))
        except ValidationError as error:
            _errors_to_messages(request, error)
        return redirect("company:dashboard")


class PhotoListView(CompanyMemberMixin, FormView):
    template_name = "exhibitors/photo_list.html"
    form_class = PhotoForm

    def form_valid(self, form):
        CompanyPhoto.objects.create(
            **{self.company.kind: self.company},
            image=form.cleaned_data["image"],
            caption=form.cleaned_data["caption"],
        )
        messages.success(self.request, _("The photo is added."))
        return redirect("company:photos")

    def get_context_data(self, **kwargs):
        photos = CompanyPhoto.objects.filter(**{self.company.kind: self.company})
        return super().get_context_data(photos=photos, **kwargs)


class PhotoDeleteView(CompanyMemberMixin, View):
    def post(self, request, pk):
        photo = get_object_or_404(CompanyPhoto, pk=pk, **{self.company.kind: self.company})
        photo.delete()
        messages.success(request, _("The photo is removed."))
        return redirect("company:photos")
