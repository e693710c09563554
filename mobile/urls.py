"""``/api/v1/``: the versioned API for phone apps (sign-up and token log-in, catalogue reads,
basket, checkout and orders, negotiation, sourcing, notifications and web push)."""

from django.urls import path

from . import (
    auth,
    basket,
    catalogue,
    checkout,
    negotiation,
    notifications,
    orders,
    register,
    sourcing,
    staff,
)
from .negotiation import MEETING_ACTIONS, QUOTE_ACTIONS, SAMPLE_ACTIONS, action_view

urlpatterns = [
    path("auth/register/", register.RegisterView.as_view(), name="api-v1-register"),
    path("auth/login/", auth.LoginView.as_view(), name="api-v1-login"),
    path("auth/refresh/", auth.RefreshView.as_view(), name="api-v1-refresh"),
    path("auth/logout/", auth.LogoutView.as_view(), name="api-v1-logout"),
    path("me/", auth.MeView.as_view(), name="api-v1-me"),
    path("categories/", catalogue.CategoryListView.as_view(), name="api-v1-categories"),
    path("products/", catalogue.ProductListView.as_view(), name="api-v1-products"),
    path("products/<int:pk>/", catalogue.ProductDetailView.as_view(), name="api-v1-product"),
    path("exhibitors/", catalogue.ExhibitorListView.as_view(), name="api-v1-exhibitors"),
    path(
        "editions/<int:year>/booths/", catalogue.EditionBoothListView.as_view(), name="api-v1-edition-booths"
    ),
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
    # negotiation
    path("threads/", negotiation.ThreadListView.as_view(), name="api-v1-threads"),
    path("threads/<int:pk>/", negotiation.ThreadDetailView.as_view(), name="api-v1-thread"),
    path(
        "threads/<int:pk>/messages/", negotiation.ThreadMessageView.as_view(), name="api-v1-thread-messages"
    ),
    path("inquiries/", negotiation.InquiryCreateView.as_view(), name="api-v1-inquiries"),
    path("unread/", negotiation.UnreadView.as_view(), name="api-v1-unread"),
    path("samples/", negotiation.SampleListView.as_view(), name="api-v1-samples"),
    *[
        path(
            f"samples/<int:pk>/{name}/",
            action_view(negotiation.SampleActionView, name, fields, example, "sample"),
            name=f"api-v1-sample-{name}",
        )
        for name, (fields, example) in SAMPLE_ACTIONS.items()
    ],
    path("quotes/", negotiation.QuoteListView.as_view(), name="api-v1-quotes"),
    *[
        path(
            f"quotes/<int:pk>/{name}/",
            action_view(negotiation.QuoteActionView, name, fields, example, "quote"),
            name=f"api-v1-quote-{name}",
        )
        for name, (fields, example) in QUOTE_ACTIONS.items()
    ],
    path("meetings/", negotiation.MeetingListView.as_view(), name="api-v1-meetings"),
    *[
        path(
            f"meetings/<int:pk>/{name}/",
            action_view(negotiation.MeetingActionView, name, fields, example, "meeting"),
            name=f"api-v1-meeting-{name}",
        )
        for name, (fields, example) in MEETING_ACTIONS.items()
    ],
    # sourcing and matches
    path("sourcing-requests/", sourcing.SourcingRequestListView.as_view(), name="api-v1-sourcing-requests"),
    path(
        "sourcing-requests/<int:pk>/close/",
        sourcing.SourcingRequestCloseView.as_view(),
        name="api-v1-sourcing-request-close",
    ),
    path("matches/", sourcing.MatchListView.as_view(), name="api-v1-matches"),
    # notifications and web push
    path("notifications/", notifications.NotificationFeedView.as_view(), name="api-v1-notifications"),
    path(
        "notifications/read/", notifications.NotificationReadView.as_view(), name="api-v1-notifications-read"
    ),
    path("push/key/", notifications.PushKeyView.as_view(), name="api-v1-push-key"),
    path(
        "push/subscriptions/", notifications.PushSubscriptionView.as_view(), name="api-v1-push-subscriptions"
    ),
    # expo staff: review the companies that signed up
    path("staff/companies/<str:side>/", staff.StaffCompanyListView.as_view(), name="api-v1-staff-companies"),
    path(
        "staff/companies/<str:side>/<str:key>/", staff.StaffCompanyView.as_view(), name="api-v1-staff-company"
    ),
]
