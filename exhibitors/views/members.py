"""Members of a company: roles, removal and invitations."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView

from .. import selectors, services
from ..forms import (
    InvitationForm,
    RoleForm,
)
from ..models import Invitation, Role
from .company import CompanyMemberMixin, _errors_to_messages


class MemberListView(CompanyMemberMixin, FormView):
    template_name = "exhibitors/member_list.html"
    form_class = InvitationForm

    def form_valid(self, form):
        try:
            services.invitation_create(
                membership=self.membership,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                invited_by=self.request.user,
            )
        except ValidationError as error:
            form.add_error("email", error)
            return self.form_invalid(form)
        messages.success(self.request, _("The invitation is sent to %(email)s.") % form.cleaned_data)
        return redirect("company:members")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            members=selectors.member_list(membership=self.membership),
            invitations=selectors.invitation_list(membership=self.membership),
            role_choices=Role.choices,
            **kwargs,
        )


class MemberRoleView(CompanyMemberMixin, View):
    owner_only = True

    def post(self, request, pk):
        member = selectors.member_get(membership=self.membership, pk=pk)
        form = RoleForm(request.POST)
        if form.is_valid():
            try:
                services.member_set_role(
                    membership=self.membership, member=member, role=form.cleaned_data["role"]
                )
                messages.success(request, _("The role is changed."))
            except ValidationError as error:
                _errors_to_messages(request, error)
        else:
            messages.error(request, _("Choose one of the roles offered."))
        return redirect("company:members")


class MemberRemoveView(CompanyMemberMixin, View):
    def post(self, request, pk):
        member = selectors.member_get(membership=self.membership, pk=pk)
        try:
            services.member_remove(membership=self.membership, member=member)
            messages.success(request, _("The member is removed."))
        except ValidationError as error:
            _errors_to_messages(request, error)
        if member.user_id == request.user.id:
            request.session.pop(selectors.SESSION_KEY, None)
            return redirect("company:dashboard")
        return redirect("company:members")


class InvitationRevokeView(CompanyMemberMixin, View):
    owner_only = True

    def post(self, request, pk):
        selectors.invitation_get(membership=self.membership, pk=pk).delete()
        messages.success(request, _("The invitation is withdrawn."))
        return redirect("company:members")


class InvitationAcceptView(View):
    """The link of an invitation e-mail: log in (or register) with the invited address, then join."""

    def get(self, request, token):
        invitation = get_object_or_404(Invitation.objects.select_related("exhibitor", "buyer"), token=token)
        return render(request, "exhibitors/invitation_accept.html", {"invitation": invitation})

    def post(self, request, token):
        invitation = get_object_or_404(Invitation, token=token)
        if not request.user.is_authenticated:
            return HttpResponseRedirect(f"{reverse('customer:login')}?next={request.path}")
        try:
            membership = services.invitation_accept(invitation=invitation, user=request.user)
        except ValidationError as error:
            _errors_to_messages(request, error)
            return redirect("company:invitation-accept", token=token)
        request.session[selectors.SESSION_KEY] = selectors.membership_token(membership)
        messages.success(request, _("Welcome to %(company)s.") % {"company": membership.company.display_name})
        return redirect("company:dashboard")
