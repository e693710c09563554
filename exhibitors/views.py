"""The company centre: self-service pages for members of exhibitor and buyer companies.

Every view acts on the person's current company (``self.membership``) and reaches
private records only through the scoped selectors, so another company's records are 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from . import selectors, services
from .forms import (
    BuyerProfileForm,
    CertificateForm,
    CompanyRegisterForm,
    ExhibitorProductForm,
    ExhibitorProfileForm,
    InvitationForm,
    ParticipationForm,
    PhotoForm,
    ProductUploadForm,
    RoleForm,
)
from .models import CompanyPhoto, CompanyStatus, Invitation, Role


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
        with transaction.atomic():
            user = self.request.user
            if not user.is_authenticated:
                User = get_user_model()
                email = form.cleaned_data["email"]
                user = User(email=email, username=email[:150])
                user.set_password(form.cleaned_data["password1"])
                user.save()
                login(self.request, user, backend="oscar.apps.customer.auth_backends.EmailBackend")
            try:
                created = [
                    services.company_register(user=user, side=side, data=form.company_data())
                    for side in form.cleaned_data["sides"]
                ]
            except ValidationError as error:
                transaction.set_rollback(True)
                form.add_error("key", error)
                return self.form_invalid(form)
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


class ProductListView(CompanyMemberMixin, TemplateView):
    """The exhibitor's own products; other companies' products never appear here."""

    template_name = "exhibitors/product_list.html"

    def get_context_data(self, **kwargs):
        from catalogue.selectors import exhibitor_product_list

        return super().get_context_data(products=exhibitor_product_list(membership=self.membership), **kwargs)


class ProductEditView(CompanyMemberMixin, FormView):
    """Add a product (no pk) or change one of the exhibitor's own."""

    template_name = "exhibitors/company_form.html"
    form_class = ExhibitorProductForm

    def get_instance(self):
        from catalogue.selectors import exhibitor_product_get, exhibitor_product_list

        if self.kwargs.get("pk") is None:
            exhibitor_product_list(membership=self.membership)  # 404 for buyers
            return None
        return exhibitor_product_get(membership=self.membership, pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.get_instance(), "exhibitor": self.company}

    def form_valid(self, form):
        from catalogue.services import exhibitor_product_save

        data = form.cleaned_data
        product = exhibitor_product_save(
            exhibitor=self.company,
            product=form.instance if form.instance.pk else None,
            data={name: data[name] for name in form.Meta.fields if name in data},
            category=data["category"],
            price=data["price"],
            currency=data["currency"],
            stock=data["stock"],
            sku=data["sku"],
            tiers=data["tiers"],
            image=data.get("image"),
        )
        messages.success(self.request, _("%(product)s is saved.") % {"product": product.get_title()})
        return redirect("company:products")

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Product"), back=reverse("company:products"), **kwargs)


class OrderListView(CompanyMemberMixin, TemplateView):
    """Orders holding the exhibitor's lines; only those lines are shown."""

    template_name = "exhibitors/order_list.html"

    def get_context_data(self, **kwargs):
        from order.selectors import exhibitor_order_list

        orders = exhibitor_order_list(membership=self.membership)[:100]
        return super().get_context_data(orders=orders, **kwargs)


class OrderFulfilView(CompanyMemberMixin, TemplateView):
    """One order, the exhibitor's lines only: confirm, ship with tracking (partly), deliver."""

    template_name = "exhibitors/order_detail.html"

    def get_order(self):
        from order.selectors import exhibitor_order_get

        return exhibitor_order_get(membership=self.membership, number=self.kwargs["number"])

    def get_context_data(self, **kwargs):
        from order.selectors import order_is_all_own, shipped_quantities, tracking_numbers
        from payments.models import OrderStatus

        order = self.get_order()
        shipped = shipped_quantities(order.own_lines)
        rows = [(line, shipped.get(line.pk, 0)) for line in order.own_lines]
        subtotal = sum((line.line_price_excl_tax for line in order.own_lines), start=0)
        return super().get_context_data(
            order=order,
            can_refund=self.membership.role == Role.OWNER and order.status in OrderStatus.PAID_STATES,
            can_confirm_transfer=order_is_all_own(order) and order.status == OrderStatus.AWAITING_TRANSFER,
            rows=rows,
            subtotal=subtotal,
            tracking=tracking_numbers(order, order.own_lines),
            **kwargs,
        )

    def post(self, request, number):
        from order import services

        order = self.get_order()
        action = request.POST.get("action")
        line_ids = [int(v) for v in request.POST.getlist("line") if v.isdigit()]
        try:
            if action == "confirm":
                services.exhibitor_lines_confirm(membership=self.membership, order=order, line_ids=line_ids)
            elif action == "ship":
                quantities = {}
                for line in order.own_lines:
                    raw = request.POST.get(f"quantity-{line.pk}", "").strip()
                    if raw:
                        if not raw.isdigit():
                            raise ValidationError(_("Quantities are whole numbers."))
                        quantities[line.pk] = int(raw)
                services.exhibitor_lines_ship(
                    membership=self.membership,
                    order=order,
                    quantities=quantities,
                    tracking=request.POST.get("tracking", ""),
                )
            elif action == "deliver":
                services.exhibitor_lines_deliver(membership=self.membership, order=order, line_ids=line_ids)
            elif action == "refund":
                refund = services.exhibitor_lines_refund(
                    membership=self.membership,
                    order=order,
                    line_ids=line_ids,
                    reason=request.POST.get("reason", ""),
                )
                messages.success(
                    request,
                    _("Refund of %(amount)s %(currency)s made.")
                    % {"amount": refund.amount, "currency": refund.currency},
                )
                return redirect("company:order-detail", number=order.number)
            elif action == "confirm_transfer":
                services.exhibitor_transfer_confirm(membership=self.membership, order=order)
            else:
                raise ValidationError(_("Unknown action."))
            messages.success(request, _("Saved."))
        except ValidationError as error:
            _errors_to_messages(request, error)
        return redirect("company:order-detail", number=order.number)


class PackingListView(OrderFulfilView):
    """A printable invoice and packing list of the exhibitor's lines of one order."""

    template_name = "exhibitors/packing_list.html"
    http_method_names = ["get", "head"]


class ProductUploadView(CompanyMemberMixin, FormView):
    """Bulk upload in the staff products format; rows of another exhibitor are refused."""

    template_name = "exhibitors/product_upload.html"
    form_class = ProductUploadForm

    def form_valid(self, form):
        from catalogue.selectors import exhibitor_product_list
        from exhibitors.imports.engine import import_file
        from exhibitors.imports.reader import ImportFileError

        exhibitor_product_list(membership=self.membership)  # 404 for buyers
        try:
            report = import_file(
                "products",
                form.cleaned_data["file"],
                atomic=form.cleaned_data["atomic"],
                only=("exhibitor_key", self.company.key),
            )
        except ImportFileError as error:
            form.add_error("file", str(error))
            return self.form_invalid(form)
        return self.render_to_response(self.get_context_data(form=self.form_class(), report=report))

    def get(self, request, *args, **kwargs):
        from catalogue.selectors import exhibitor_product_list

        exhibitor_product_list(membership=self.membership)  # 404 for buyers
        return super().get(request, *args, **kwargs)
