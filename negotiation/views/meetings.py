"""Meeting pages: the list, asking for a meeting, a meeting with its answers, its calendar file."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from expo.ics import ics_calendar

from .. import selectors, services
from ..forms import MeetingAcceptForm, MeetingProposeForm, MeetingRequestForm, ReasonForm
from ..models import MeetingKind, MeetingStatus, Outcome, Side
from .common import Action, ActionMixin, NegotiationMixin, _error, _public_exhibitor, bound


class MeetingListView(NegotiationMixin, TemplateView):
    template_name = "negotiation/meeting_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            meetings=selectors.meeting_list(membership=self.membership).order_by("-created_at")[:100],
            **kwargs,
        )


class MeetingCreateView(NegotiationMixin, TemplateView):
    """``?exhibitor=KEY``: a buyer asks for a meeting, proposing up to three times."""

    template_name = "negotiation/meeting_form.html"

    def setup_target(self):
        key = self.request.GET.get("exhibitor", "")
        if self.side != Side.BUYER or not key:
            raise Http404("Name the exhibitor.")
        self.exhibitor = _public_exhibitor(key)

    def get(self, request, *args, **kwargs):
        self.setup_target()
        return self.render_to_response(
            self.get_context_data(form=MeetingRequestForm(initial={"kind": MeetingKind.BOOTH}))
        )

    def post(self, request, *args, **kwargs):
        self.setup_target()
        form = MeetingRequestForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    meeting = services.meeting_request(
                        membership=self.membership,
                        exhibitor=self.exhibitor,
                        kind=data["kind"],
                        times=form.times(),
                        topic=data["topic"],
                        duration_minutes=data["duration_minutes"],
                        video_url=data["video_url"],
                    )
                messages.success(
                    request, _("Your meeting request is sent; the exhibitor has 72 hours to answer.")
                )
                return redirect("company:negotiation-meeting", meeting.pk)
            except ValidationError as error:
                _error(form, error)
        return self.render_to_response(self.get_context_data(form=form))

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            counterpart=self.exhibitor,
            editions=selectors.exhibitor_editions(exhibitor=self.exhibitor),
            **kwargs,
        )


def _buyer_proposals(meeting) -> list:
    return [p for p in meeting.proposals.all() if p.side == Side.BUYER]


def _accept_form(view, meeting, name):
    return MeetingAcceptForm(
        view.request.POST, prefix=name, proposals=_buyer_proposals(meeting), members=view.members()
    )


def _accept(view, meeting, data):
    services.meeting_accept(
        membership=view.membership,
        meeting=meeting,
        starts_at=data["proposal"].starts_at,
        attendee=data["attendee"],
        video_url=data["video_url"],
    )


def _propose(view, meeting, data):
    services.meeting_propose(
        membership=view.membership, meeting=meeting, starts_at=data["starts_at"], attendee=data["attendee"]
    )


def _outcome(outcome: str) -> Action:
    return Action(
        run=lambda view, meeting, data: services.meeting_mark_outcome(
            membership=view.membership, meeting=meeting, outcome=outcome
        )
    )


class MeetingDetailView(ActionMixin, NegotiationMixin, TemplateView):
    template_name = "negotiation/meeting_detail.html"
    actions = {
        "accept": Action(run=_accept, form=_accept_form),
        "propose": Action(
            run=_propose,
            form=lambda view, meeting, name: MeetingProposeForm(
                view.request.POST, prefix=name, members=view.members()
            ),
        ),
        "decline": Action(
            run=lambda view, meeting, data: services.meeting_decline(
                membership=view.membership, meeting=meeting, reason=data["reason"]
            ),
            form=bound(ReasonForm),
        ),
        "accept-proposal": Action(
            run=lambda view, meeting, data: services.meeting_accept_proposal(
                membership=view.membership, meeting=meeting
            )
        ),
        "cancel": Action(
            run=lambda view, meeting, data: services.meeting_cancel(
                membership=view.membership, meeting=meeting, reason=view.request.POST.get("reason", "")
            )
        ),
        **{outcome: _outcome(outcome) for outcome in Outcome.values},
    }

    def get_object(self):
        return selectors.meeting_get(membership=self.membership, pk=self.kwargs["pk"])

    def success_url(self, meeting) -> str:
        return reverse("company:negotiation-meeting", args=[meeting.pk])

    def members(self):
        return get_user_model().objects.filter(memberships__exhibitor_id=self.membership.exhibitor_id)

    def get_context_data(self, **kwargs):
        meeting = self.get_object()
        proposals = _buyer_proposals(meeting)
        if self.side == Side.EXHIBITOR:
            me = {"attendee": self.request.user.pk}
            kwargs.setdefault(
                "accept_form",
                MeetingAcceptForm(prefix="accept", proposals=proposals, members=self.members(), initial=me),
            )
            kwargs.setdefault(
                "propose_form", MeetingProposeForm(prefix="propose", members=self.members(), initial=me)
            )
        kwargs.setdefault("decline_form", ReasonForm(prefix="decline"))
        return super().get_context_data(
            meeting=meeting,
            counterpart=meeting.exhibitor if self.side == Side.BUYER else meeting.buyer,
            buyer_proposals=proposals,
            counter_proposal=services.latest_counter_proposal(meeting),
            Status=MeetingStatus,
            Kind=MeetingKind,
            Outcome=Outcome,
            my_outcome=getattr(meeting, f"{self.side}_outcome"),
            can_mark=meeting.has_begun,
            **kwargs,
        )


class MeetingIcsView(NegotiationMixin, View):
    """The accepted meeting as an ``.ics`` calendar file, for both companies."""

    http_method_names = ["get", "head"]

    def get(self, request, pk):
        meeting = selectors.meeting_get(membership=self.membership, pk=pk)
        if not meeting.is_accepted:
            raise Http404("Only accepted meetings go into calendars.")
        if meeting.is_online:
            location = meeting.video_url or _("Online")
        else:
            location = _("Booth of %(company)s") % {"company": meeting.exhibitor.display_name}
            booth = meeting.exhibitor.participations.filter(edition=meeting.edition_year).first()
            if booth and booth.booth:
                location = f"{location} {booth.booth}"
        body = ics_calendar(
            uid=f"meeting-{meeting.pk}@foodexpo",
            start=meeting.starts_at,
            end=meeting.ends_at,
            summary=_("Meeting: %(buyer)s × %(exhibitor)s")
            % {"buyer": meeting.buyer.display_name, "exhibitor": meeting.exhibitor.display_name},
            description=meeting.topic,
            location=location,
            url=request.build_absolute_uri(reverse("company:negotiation-meeting", args=[meeting.pk])),
        )
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
        return response
