"""``/api/v1/``: the versioned API for phone apps (token log-in, catalogue reads, basket,
checkout and orders)."""

from django.urls import path

from catalogue.api import CategoryListView

from . import auth, basket, catalogue, checkout, orders

urlpatterns = [
    path("auth/login/", auth.LoginView.as_view(), name="api-v1-login"),
    path("auth/refresh/", auth.RefreshView.as_view(), name="api-v1-refresh"),
    path("auth/logout/", auth.LogoutView.as_view(), name="api-v1-logout"),
    path("me/", auth.MeView.as_view(), name="api-v1-me"),
    path("categories/", CategoryListView.as_view(), name="api-v1-categories"),
    path("products/", catalogue.ProductListView.as_view(), name="api-v1-products"),
    path("products/<int:pk>/", catalogue.ProductDetailView.as_view(), name="api-v1-product"),
    path("exhibitors/", catalogue.ExhibitorListView.as_view(), name="api-v1-exhibitors"),
    path("basket/", basket.BasketView.as_view(), name="api-v1-basket"),
    path("basket/lines/", basket.BasketLineListView.as_view(), name="api-v1-basket-lines"),
    path("basket/lines/<int:pk>/", basket.BasketLineView.as_view(), name="api-v1-basket-line"),
    path("checkout/", checkout.CheckoutView.as_view(), name="api-v1-checkout"),
    path("orders/", orders.OrderListView.as_view(), name="api-v1-orders"),
    path("orders/<str:number>/", orders.OrderDetailView.as_view(), name="api-v1-order"),
    path(
        "orders/<str:number>/payment/confirm/",
        checkout.PaymentConfirmView.as_view(),
        name="api-v1-order-payment-confirm",
    ),
    path("orders/<str:number>/confirm/", orders.OrderConfirmView.as_view(), name="api-v1-order-confirm"),
    path("orders/<str:number>/ship/", orders.OrderShipView.as_view(), name="api-v1-order-ship"),
    path("orders/<str:number>/deliver/", orders.OrderDeliverView.as_view(), name="api-v1-order-deliver"),
    path("order-lines/", orders.ExhibitorLineListView.as_view(), name="api-v1-order-lines"),
]
