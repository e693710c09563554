"""Forms of the buyer pages in the company centre."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from catalogue.models import Storage
from exhibitors.codes import Certification
from exhibitors.forms import BoundedModelChoiceField, CategoryChoiceField

from .models import SourcingRequest
from .services import REQUEST_FIELDS

Category = get_model("catalogue", "Category")


class CategorySelect(BoundedModelChoiceField):
    """One category, indented by depth like the company profile's category boxes."""

    label_from_instance = CategoryChoiceField.label_from_instance


class SourcingRequestForm(forms.ModelForm):
    """What a buyer wants: the reference is generated, the status changes by close/reopen."""

    category = CategorySelect(
        queryset=Category.objects.filter(is_public=True).order_by("path"),
        required=False,
        label=_("Category"),
        empty_label=_("— any —"),
    )
    storage = forms.ChoiceField(
        label=_("Storage"),
        choices=[("", _("— any —")), *Storage.choices],
        required=False,
        help_text=_("Suppliers must offer products of exactly this storage."),
    )
    required_certifications = forms.MultipleChoiceField(
        label=_("Certificates the supplier must hold"),
        choices=Certification.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "fx-checks"}),
        help_text=_("In addition to those your company requires of every supplier."),
    )

    class Meta:
        model = SourcingRequest
        fields = list(REQUEST_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "deliver_by": forms.DateInput(attrs={"type": "date"}),
            "quantity": forms.NumberInput(attrs={"min": "0", "step": "any", "inputmode": "decimal"}),
            "target_price": forms.NumberInput(attrs={"min": "0", "step": "0.01", "inputmode": "decimal"}),
        }

    def clean_currency(self):
        currency = (self.cleaned_data.get("currency") or "CNY").strip().upper()
        if len(currency) != 3 or not currency.isalpha():
            raise forms.ValidationError(_("A three-letter currency code, such as CNY or USD."))
        return currency

    def clean(self):
        data = super().clean()
        for name in ("quantity", "target_price"):
            value = data.get(name)
            if value is not None and value <= 0:
                self.add_error(name, _("Give a number above zero, or leave it empty."))
        return data

    def request_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name in self.cleaned_data}


class MatchDigestForm(forms.Form):
    enabled = forms.BooleanField(
        label=_("E-mail me new matches every week"),
        required=False,
        help_text=_(
            "Suppliers, buyers and sourcing requests that fit your company and are new on the platform."
        ),
    )
