"""Forms of the review pages; the rules themselves live in ``services``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .services import MAX_ANSWER, MAX_COMMENT, MAX_REASON

STARS = [(n, str(n)) for n in range(1, 6)]


def _score_field(label):
    return forms.TypedChoiceField(
        label=label,
        choices=STARS,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a score from 1 to 5."),
            "invalid_choice": _("Choose a score from 1 to 5."),
        },
    )


class ReviewForm(forms.Form):
    quality = _score_field(_("Quality of the goods"))
    as_described = _score_field(_("As described"))
    delivery = _score_field(_("Delivery"))
    communication = _score_field(_("Communication"))
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Shown on the exhibitor's booth with your scores; your name and order are not."),
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer"),
        max_length=MAX_ANSWER,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown under the review on your booth. You can answer once."),
        error_messages={"required": _("Write your answer.")},
    )


class ReviewModerationForm(forms.ModelForm):
    """Staff hide a review (with the reason shown to the two companies) or show it again."""

    hidden = forms.BooleanField(label=_("Hidden from the public"), required=False)

    class Meta:
        from .models import Review

        model = Review
        fields = ["hidden_reason"]
        widgets = {"hidden_reason": forms.Textarea(attrs={"rows": 3, "maxlength": MAX_REASON})}

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.for_user = for_user
        self.fields["hidden"].initial = self.instance.is_hidden
        self.fields["hidden_reason"].help_text = _("Required to hide; the two companies see it.")

    def clean(self):
        data = super().clean()
        reason = (data.get("hidden_reason") or "").strip()
        if data.get("hidden") and not reason:
            self.add_error("hidden_reason", _("Give the reason for hiding this review."))
        if len(reason) > MAX_REASON:
            self.add_error(
                "hidden_reason", _("Keep the reason within %(count)s characters.") % {"count": MAX_REASON}
            )
        return data
