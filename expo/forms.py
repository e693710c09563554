"""Forms of the expo's pages."""

from django import forms
from django.utils.translation import gettext_lazy as _


class EventRegistrationForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=128)
    email = forms.EmailField(label=_("E-mail"))
    company = forms.CharField(label=_("Company"), max_length=255, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=64, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and user.is_authenticated and not self.is_bound:
            self.initial.setdefault("email", user.email)
            self.initial.setdefault("name", user.get_full_name())

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()
