"""Staff moderation of reviews in the Wagtail admin: list, inspect, and hide an abusive review
with a reason (or show it again). Reviews are written by buyers only: staff cannot add,
copy or delete them here."""

from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from . import services
from .forms import ReviewModerationForm
from .models import Review


class ReviewPermissionPolicy(ModelPermissionPolicy):
    """Staff read and moderate reviews; nobody adds, copies or deletes them in the admin."""

    closed = frozenset({"add", "copy", "delete"})

    def user_has_permission(self, user, action):
        return action not in self.closed and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(Review, ReviewPermissionPolicy(Review))


class ReviewModerateView(generic.EditView):
    """Saving goes through the services, so hiding always carries its reason and its author."""

    def save_instance(self):
        review = self.object
        data = self.form.cleaned_data
        if data.get("hidden"):
            return services.review_hide(review=review, by=self.request.user, reason=data["hidden_reason"])
        return services.review_unhide(review=review, by=self.request.user)


class ReviewViewSet(ModelViewSet):
    model = Review
    icon = "comment"
    menu_label = gettext_lazy("Reviews")
    menu_order = 925
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = True
    edit_view_class = ReviewModerateView
    list_display = ["created_at", "exhibitor", "buyer", "quality", "delivery", "comment", "hidden_at"]
    list_filter = ["hidden_at"]
    list_export = [
        "created_at",
        "exhibitor",
        "buyer",
        "quality",
        "as_described",
        "delivery",
        "communication",
        "comment",
        "answer",
        "hidden_at",
        "hidden_reason",
    ]
    export_filename = "reviews"
    inspect_view_fields = [
        "created_at",
        "exhibitor",
        "buyer",
        "author",
        "line",
        "quality",
        "as_described",
        "delivery",
        "communication",
        "comment",
        "answer",
        "answered_at",
        "hidden_at",
        "hidden_reason",
        "hidden_by",
    ]
    search_backend_name = None
    search_fields = ["comment", "answer"]

    def get_form_class(self, for_update=False):
        return ReviewModerationForm


@hooks.register("register_admin_viewset")
def register_reviews():
    return ReviewViewSet("credit_reviews")
