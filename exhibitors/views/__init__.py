"""The company centre: self-service pages for members of exhibitor and buyer companies, one
module per sub-domain (company, members, records, products, orders) and the public page."""

from .company import (
    CompanyDashboardView,
    CompanyMemberMixin,
    CompanyProfileUpdateView,
    CompanyRegisterView,
    CompanyResubmitView,
    CompanySwitchView,
    PhotoDeleteView,
    PhotoListView,
    _errors_to_messages,  # noqa: F401 - used by buyers.views
)
from .members import (
    InvitationAcceptView,
    InvitationRevokeView,
    MemberListView,
    MemberRemoveView,
    MemberRoleView,
)
from .orders import OrderFulfilView, OrderListView, PackingListView
from .products import ProductEditView, ProductListView, ProductUploadView
from .public import ExhibitorDetailView
from .records import (
    CertificateDeleteView,
    CertificateEditView,
    CertificateListView,
    ParticipationDeleteView,
    ParticipationEditView,
    ParticipationListView,
)

__all__ = [
    "CertificateDeleteView",
    "CertificateEditView",
    "CertificateListView",
    "CompanyDashboardView",
    "CompanyMemberMixin",
    "CompanyProfileUpdateView",
    "CompanyRegisterView",
    "CompanyResubmitView",
    "CompanySwitchView",
    "ExhibitorDetailView",
    "InvitationAcceptView",
    "InvitationRevokeView",
    "MemberListView",
    "MemberRemoveView",
    "MemberRoleView",
    "OrderFulfilView",
    "OrderListView",
    "PackingListView",
    "ParticipationDeleteView",
    "ParticipationEditView",
    "ParticipationListView",
    "PhotoDeleteView",
    "PhotoListView",
    "ProductEditView",
    "ProductListView",
    "ProductUploadView",
]
