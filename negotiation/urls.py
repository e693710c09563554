"""Negotiation pages, added to the company centre (namespace ``company``) under ``negotiation/``.

They sit flat in the company URLconf so the permission walk over company pages covers them.
"""

from django.urls import path

from . import views

company_urlpatterns = [
    path("negotiation/", views.OverviewView.as_view(), name="negotiation"),
    path("negotiation/threads/<int:pk>/", views.ThreadView.as_view(), name="negotiation-thread"),
    path("negotiation/inquiries/", views.InquiryListView.as_view(), name="negotiation-inquiries"),
    path("negotiation/inquiries/new/", views.InquiryCreateView.as_view(), name="negotiation-inquiry-new"),
    path("negotiation/inquiries/<int:pk>/", views.InquiryDetailView.as_view(), name="negotiation-inquiry"),
    path("negotiation/attachments/<int:pk>/", views.AttachmentView.as_view(), name="negotiation-attachment"),
    path("negotiation/samples/", views.SampleListView.as_view(), name="negotiation-samples"),
    path("negotiation/samples/new/", views.SampleCreateView.as_view(), name="negotiation-sample-new"),
    path("negotiation/samples/<int:pk>/", views.SampleDetailView.as_view(), name="negotiation-sample"),
    path("negotiation/quotes/", views.QuoteListView.as_view(), name="negotiation-quotes"),
    path("negotiation/quotes/new/", views.QuoteCreateView.as_view(), name="negotiation-quote-new"),
    path("negotiation/quotes/<int:pk>/", views.QuoteDetailView.as_view(), name="negotiation-quote"),
    path(
        "negotiation/requests/<int:pk>/quotes/",
        views.RequestQuotesView.as_view(),
        name="negotiation-request-quotes",
    ),
    path("negotiation/meetings/", views.MeetingListView.as_view(), name="negotiation-meetings"),
    path("negotiation/meetings/new/", views.MeetingCreateView.as_view(), name="negotiation-meeting-new"),
    path("negotiation/meetings/<int:pk>/", views.MeetingDetailView.as_view(), name="negotiation-meeting"),
    path(
        "negotiation/meetings/<int:pk>/ics/", views.MeetingIcsView.as_view(), name="negotiation-meeting-ics"
    ),
    path("negotiation/blocked/", views.BlockListView.as_view(), name="negotiation-blocks"),
    path("negotiation/report/", views.AbuseReportView.as_view(), name="negotiation-report"),
]
