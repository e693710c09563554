"""Forms of the negotiation pages; the rules themselves live in ``services``."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from exhibitors.forms import MAX_WHOLE_NUMBER, BoundedModelChoiceField, BoundedModelMultipleChoiceField

from .models import DeliveryTerms, MeetingKind
from .services import MAX_ATTACHMENTS, MAX_MEETING_TIMES, MAX_SAMPLES, MEETING_DURATIONS, QUOTE_FIELDS


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by its content in the service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget",
            MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}),
        )
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


ATTACHMENT_HELP = _("Up to 5 files: PDF, JPEG or PNG, 10 MB each.")
assert MAX_ATTACHMENTS == 5, "keep the help text in step"


class InquiryForm(forms.Form):
    products = BoundedModelMultipleChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple, label=_("Products")
    )
    quantity = forms.IntegerField(
        label=_("Quantity"), min_value=1, max_value=MAX_WHOLE_NUMBER, required=False
    )
    destination = forms.CharField(label=_("Destination"), max_length=255, required=False)
    message = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 5}))
    attachments = MultipleFileField(label=_("Attachments"), help_text=ATTACHMENT_HELP)

    def __init__(self, *args, products=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["products"].queryset = products
        self.fields["products"].label_from_instance = lambda product: product.get_title()


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Your message"), widget=forms.Textarea(attrs={"rows": 4}))
    attachments = MultipleFileField(label=_("Attachments"), help_text=ATTACHMENT_HELP)


class SampleRequestForm(forms.Form):
    quantity = forms.IntegerField(label=_("How many samples"), min_value=1, max_value=MAX_SAMPLES, initial=1)
    ship_to = forms.CharField(label=_("Where to send them"), widget=forms.Textarea(attrs={"rows": 3}))
    message = forms.CharField(label=_("Message"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class SampleTerms(models.TextChoices):
    FREE = "free", _("Free samples")
    PAID = "paid", _("At the sample price")


class SampleAcceptForm(forms.Form):
    terms = forms.ChoiceField(
        label=_("Terms"), choices=SampleTerms.choices, widget=forms.RadioSelect, initial=SampleTerms.PAID
    )
    unit_price = forms.DecimalField(
        label=_("Sample price per unit"), required=False, min_value=0, max_digits=12, decimal_places=2
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class ShipForm(forms.Form):
    tracking = forms.CharField(label=_("Tracking number"), max_length=128)


class FeedbackForm(forms.Form):
    feedback = forms.CharField(label=_("Tasting feedback"), widget=forms.Textarea(attrs={"rows": 4}))
    rating = forms.TypedChoiceField(
        label=_("Rating"),
        choices=[("", "—")] + [(str(i), "★" * i) for i in range(5, 0, -1)],
        coerce=int,
        empty_value=None,
        required=False,
    )


class QuoteForm(forms.Form):
    """The fields are ``services.QUOTE_FIELDS``, in that order (``quote_submit`` takes them as they are)."""

    product = BoundedModelChoiceField(queryset=None, label=_("Product"))
    unit_price = forms.DecimalField(label=_("Unit price"), min_value=0, max_digits=12, decimal_places=2)
    moq = forms.IntegerField(label=_("Minimum order quantity"), min_value=1, max_value=MAX_WHOLE_NUMBER)
    lead_time_days = forms.IntegerField(label=_("Lead time (days)"), min_value=0, max_value=MAX_WHOLE_NUMBER)
    delivery_terms = forms.ChoiceField(label=_("Delivery terms"), choices=DeliveryTerms.choices)
    valid_until = forms.DateField(label=_("Valid until"), widget=forms.DateInput(attrs={"type": "date"}))
    message = forms.CharField(label=_("Message"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, products=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products
        self.fields["product"].label_from_instance = lambda product: product.get_title()


if tuple(QuoteForm.base_fields) != QUOTE_FIELDS:
    raise ImproperlyConfigured("QuoteForm's fields must be services.QUOTE_FIELDS")


DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local", "step": 900}, format="%Y-%m-%dT%H:%M")


class MeetingRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Where"), choices=MeetingKind.choices, widget=forms.RadioSelect)
    time_1 = forms.DateTimeField(label=_("Proposed time 1"), widget=DATETIME_WIDGET)
    time_2 = forms.DateTimeField(label=_("Proposed time 2"), widget=DATETIME_WIDGET, required=False)
    time_3 = forms.DateTimeField(label=_("Proposed time 3"), widget=DATETIME_WIDGET, required=False)
    TIME_FIELDS = tuple(f"time_{i}" for i in range(1, MAX_MEETING_TIMES + 1))
    duration_minutes = forms.TypedChoiceField(
        label=_("Duration"),
        choices=[(m, format_lazy("{} {}", m, _("minutes"))) for m in MEETING_DURATIONS],
        coerce=int,
        initial=30,
    )
    topic = forms.CharField(label=_("What to talk about"), widget=forms.Textarea(attrs={"rows": 3}))
    video_url = forms.URLField(
        label=_("Video link"),
        required=False,
        help_text=_("For online meetings; the exhibitor may give one instead."),
    )

    def times(self) -> list:
        return [self.cleaned_data[name] for name in self.TIME_FIELDS if self.cleaned_data.get(name)]


def _attendee_field(members):
    return BoundedModelChoiceField(
        queryset=members, label=_("Who attends for your company"), empty_label=None, to_field_name="pk"
    )


class MeetingAcceptForm(forms.Form):
    proposal = forms.ChoiceField(label=_("Time"), widget=forms.RadioSelect)
    video_url = forms.URLField(label=_("Video link"), required=False)

    def __init__(self, *args, proposals=(), members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.proposals = {str(p.pk): p for p in proposals}
        self.fields["proposal"].choices = [
            (str(p.pk), timezone.localtime(p.starts_at).strftime("%Y-%m-%d %H:%M")) for p in proposals
        ]
        self.fields["attendee"] = _attendee_field(members)
        self.fields["attendee"].label_from_instance = lambda user: user.get_full_name() or user.email

    def clean_proposal(self):
        return self.proposals[self.cleaned_data["proposal"]]


class MeetingProposeForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("Another time"), widget=DATETIME_WIDGET)

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendee"] = _attendee_field(members)
        self.fields["attendee"].label_from_instance = lambda user: user.get_full_name() or user.email


class AbuseReportForm(forms.Form):
    subject = forms.CharField(label=_("About (inquiry, quote, meeting…)"), max_length=64, required=False)
    reason = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 5}))
