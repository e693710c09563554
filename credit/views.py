"""The company centre's review pages: rating a delivered line, the reviews a buyer company wrote,
the reviews an exhibitor received and its answers. Thin: scoped selectors, one service each."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from exhibitors.views import CompanyMemberMixin

from . import selectors, services
from .forms import AnswerForm, ReviewForm


def _form_error(form, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


class ReviewsWrittenView(CompanyMemberMixin, TemplateView):
    """The buyer company's delivered lines waiting for a rating, and the reviews it wrote."""

    template_name = "credit/reviews_written.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            to_rate=selectors.lines_to_rate(membership=self.membership),
            reviews=list(selectors.reviews_written(membership=self.membership)[:200]),
            **kwargs,
        )


class ReviewsReceivedView(CompanyMemberMixin, TemplateView):
    """The exhibitor's reviews, hidden ones marked with the staff's reason, each linking to its answer."""

    template_name = "credit/reviews_received.html"

    def get_context_data(self, **kwargs):
        reviews = list(selectors.reviews_received(membership=self.membership)[:200])
        return super().get_context_data(
            reviews=reviews,
            profile=selectors.credit_profile_of(self.membership.exhibitor),
            **kwargs,
        )


class ReviewCreateView(CompanyMemberMixin, TemplateView):
    """Rate the exhibitor of one delivered line of the buyer company's orders."""

    template_name = "credit/review_form.html"

    def _line(self):
        return selectors.rateable_line_get(membership=self.membership, line_id=self.kwargs["pk"])

    def _refusal(self, line):
        """Why the line cannot be rated now (already rated, not delivered), else ``None``."""
        if selectors.review_of_line(membership=self.membership, line=line) is not None:
            return _("Your company has already rated this order line; each line is rated once.")
        try:
            services.line_buyer_may_rate(membership=self.membership, line=line)
        except ValidationError as error:
            return " ".join(error.messages)
        return None

    def get(self, request, *args, **kwargs):
        line = self._line()
        refusal = self._refusal(line)
        if refusal:
            messages.info(request, refusal)
            return redirect("company:reviews-written")
        return self.render_to_response(self.get_context_data(line=line, form=ReviewForm()))

    def post(self, request, *args, **kwargs):
        line = self._line()
        form = ReviewForm(request.POST)
        if form.is_valid():
            try:
                services.review_create(membership=self.membership, line=line, **form.cleaned_data)
            except ValidationError as error:
                if error.code == "rated":
                    messages.info(request, " ".join(error.messages))
                    return redirect("company:reviews-written")
                _form_error(form, error)
            else:
                messages.success(
                    request, _("Thank you. Your rating is saved and shown on the exhibitor's booth.")
                )
                return redirect("company:reviews-written")
        return self.render_to_response(self.get_context_data(line=line, form=form))


class ReviewAnswerView(CompanyMemberMixin, TemplateView):
    """The rated exhibitor answers one review, once."""

    template_name = "credit/review_answer.html"

    def _review(self):
        return selectors.review_received_get(membership=self.membership, pk=self.kwargs["pk"])

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(review=self._review(), form=AnswerForm()))

    def post(self, request, *args, **kwargs):
        review = self._review()
        form = AnswerForm(request.POST)
        if form.is_valid():
            try:
                with transaction.atomic():
                    services.review_answer(membership=self.membership, review=review, **form.cleaned_data)
            except ValidationError as error:
                _form_error(form, error)
            else:
                messages.success(request, _("Your answer is saved and shown under the review."))
                return redirect("company:reviews-received")
        return self.render_to_response(self.get_context_data(review=review, form=form))
