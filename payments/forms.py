"""Staff forms: confirming a transfer and refunding."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _


class RefundForm(forms.Form):
    """Whole order (nothing chosen), chosen lines, or an amount."""

    lines = forms.ModelMultipleChoiceField(
        label=_("Lines to refund"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    amount = forms.DecimalField(
        label=_("Amount"),
        required=False,
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        help_text=_("Leave empty to refund the chosen lines, or everything left if no line is chosen."),
    )
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, order, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lines"].queryset = order.lines.all()
        self.fields["lines"].label_from_instance = lambda line: (
            f"{line.title} × {line.quantity} ({line.status})"
        )
