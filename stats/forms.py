"""The dashboard's filter: an expo edition and/or a range of dates."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .selectors import Period, edition_years


class PeriodForm(forms.Form):
    edition = forms.TypedChoiceField(label=_("Expo edition"), required=False, coerce=int, empty_value=None)
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["edition"].choices = [("", _("All editions"))] + [(y, str(y)) for y in edition_years()]

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("“From” must not be after “To”."))
        return data

    def period(self) -> Period:
        """The chosen period; all time when the form is invalid (its errors are shown)."""
        if not self.is_valid():
            return Period()
        data = self.cleaned_data
        return Period(edition=data.get("edition"), start=data.get("start"), end=data.get("end"))
