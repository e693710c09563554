"""Public buyer pages (``/buyers/<key>/``)."""

from django.urls import path

from . import views

public_urlpatterns = [
    path("buyers/<str:key>/", views.BuyerDetailView.as_view(), name="buyer-detail"),
]
