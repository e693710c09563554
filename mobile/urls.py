"""``/api/v1/``: the versioned API for phone apps (token log-in, catalogue reads)."""

from django.urls import path

from catalogue.api import CategoryListView

from . import auth, catalogue, register

urlpatterns = [
    path("auth/register/", register.RegisterView.as_view(), name="api-v1-register"),
    path("auth/login/", auth.LoginView.as_view(), name="api-v1-login"),
    path("auth/refresh/", auth.RefreshView.as_view(), name="api-v1-refresh"),
    path("auth/logout/", auth.LogoutView.as_view(), name="api-v1-logout"),
    path("me/", auth.MeView.as_view(), name="api-v1-me"),
    path("categories/", CategoryListView.as_view(), name="api-v1-categories"),
    path("products/", catalogue.ProductListView.as_view(), name="api-v1-products"),
    path("products/<int:pk>/", catalogue.ProductDetailView.as_view(), name="api-v1-product"),
    path("exhibitors/", catalogue.ExhibitorListView.as_view(), name="api-v1-exhibitors"),
]
