"""An exhibitor's products: list, edit and spreadsheet upload."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from ..forms import (
    ExhibitorProductForm,
    ProductUploadForm,
)
from .company import CompanyMemberMixin


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
