"""The company centre (``/company/``) and the public exhibitor pages (``/exhibitors/<key>/``)."""

from django.urls import path

from buyers.company_urls import company_urlpatterns as buyer_urlpatterns
from credit.urls import company_urlpatterns as credit_urlpatterns
from negotiation.urls import company_urlpatterns as negotiation_urlpatterns

from . import views

app_name = "company"

urlpatterns = [
    path("", views.CompanyDashboardView.as_view(), name="dashboard"),
    path("register/", views.CompanyRegisterView.as_view(), name="register"),
    path("switch/", views.CompanySwitchView.as_view(), name="switch"),
    path("profile/", views.CompanyProfileUpdateView.as_view(), name="profile"),
    path("verification/", views.CompanyResubmitView.as_view(), name="resubmit"),
    path("photos/", views.PhotoListView.as_view(), name="photos"),
    path("photos/<int:pk>/delete/", views.PhotoDeleteView.as_view(), name="photo-delete"),
    path("members/", views.MemberListView.as_view(), name="members"),
    path("members/<int:pk>/role/", views.MemberRoleView.as_view(), name="member-role"),
    path("members/<int:pk>/remove/", views.MemberRemoveView.as_view(), name="member-remove"),
    path("invitations/<int:pk>/revoke/", views.InvitationRevokeView.as_view(), name="invitation-revoke"),
    path("invitations/<str:token>/", views.InvitationAcceptView.as_view(), name="invitation-accept"),
    path("certificates/", views.CertificateListView.as_view(), name="certificates"),
    path("certificates/add/", views.CertificateEditView.as_view(), name="certificate-add"),
    path("certificates/<int:pk>/", views.CertificateEditView.as_view(), name="certificate-edit"),
    path("certificates/<int:pk>/delete/", views.CertificateDeleteView.as_view(), name="certificate-delete"),
    path("products/", views.ProductListView.as_view(), name="products"),
    path("products/add/", views.ProductEditView.as_view(), name="product-add"),
    path("products/upload/", views.ProductUploadView.as_view(), name="product-upload"),
    path("products/<int:pk>/", views.ProductEditView.as_view(), name="product-edit"),
    path("orders/", views.OrderListView.as_view(), name="orders"),
    path("orders/<str:number>/", views.OrderFulfilView.as_view(), name="order-detail"),
    path("orders/<str:number>/packing-list/", views.PackingListView.as_view(), name="packing-list"),
    path("participation/", views.ParticipationListView.as_view(), name="participation"),
    path("participation/add/", views.ParticipationEditView.as_view(), name="participation-add"),
    path("participation/<int:pk>/", views.ParticipationEditView.as_view(), name="participation-edit"),
    path(
        "participation/<int:pk>/delete/", views.ParticipationDeleteView.as_view(), name="participation-delete"
    ),
    *negotiation_urlpatterns,
    *buyer_urlpatterns,
    *credit_urlpatterns,
]

public_urlpatterns = [
    path("exhibitors/<str:key>/", views.ExhibitorDetailView.as_view(), name="exhibitor-detail"),
]
