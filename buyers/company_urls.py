"""The buyer's pages in the company centre (namespace ``company``): sourcing requests and the
weekly e-mail of new matches. They sit flat in the company URLconf, so the permission walk
over company pages covers them."""

from django.urls import path

from . import views

company_urlpatterns = [
    path("requests/", views.SourcingRequestListView.as_view(), name="requests"),
    path("requests/add/", views.SourcingRequestEditView.as_view(), name="request-add"),
    path("requests/<int:pk>/", views.SourcingRequestDetailView.as_view(), name="request-detail"),
    path("requests/<int:pk>/edit/", views.SourcingRequestEditView.as_view(), name="request-edit"),
    path("requests/<int:pk>/close/", views.SourcingRequestCloseView.as_view(), name="request-close"),
    path("requests/<int:pk>/reopen/", views.SourcingRequestReopenView.as_view(), name="request-reopen"),
    path("matches/e-mail/", views.MatchDigestView.as_view(), name="digest"),
    path("matches/e-mail/off/<str:token>/", views.MatchDigestOffView.as_view(), name="digest-off"),
]
