"""Staff tools in the Wagtail admin: negotiation figures per edition and category (with CSV
export) and the abuse reports companies send."""

import csv

from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSet

from .models import AbuseReport
from .selectors import staff_figures

COLUMNS = [
    ("edition", gettext_lazy("Edition")),
    ("category", gettext_lazy("Category")),
    ("inquiries", gettext_lazy("Inquiries")),
    ("inquiries_answered", gettext_lazy("Answered")),
    ("answer_rate", gettext_lazy("Answer rate")),
    ("samples", gettext_lazy("Sample requests")),
    ("meetings_requested", gettext_lazy("Meetings requested")),
    ("meetings_accepted", gettext_lazy("Accepted")),
    ("meetings_held", gettext_lazy("Held")),
    ("meetings_no_show", gettext_lazy("No-show")),
    ("quotes", gettext_lazy("Quotes")),
    ("quotes_accepted", gettext_lazy("Quotes accepted")),
    ("quotes_ordered", gettext_lazy("Quotes ordered")),
    ("quote_order_rate", gettext_lazy("Quote → order")),
]


def figures_view(request):
    """Counts and rates per edition and category; ``?format=csv`` downloads them."""
    rows = staff_figures()
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="negotiation-figures.csv"'
        response.write("\ufeff")  # Excel opens UTF-8 with a BOM correctly
        writer = csv.writer(response)
        writer.writerow([key for key, _label in COLUMNS])
        for row in rows:
            writer.writerow(["" if row[key] is None else row[key] for key, _label in COLUMNS])
        return response
    table = [[row[key] for key, _label in COLUMNS] for row in rows]
    return TemplateResponse(
        request,
        "negotiation/admin/figures.html",
        {
            "header_title": _("Negotiation figures"),
            "columns": [label for _key, label in COLUMNS],
            "table": table,
            "csv_url": reverse("negotiation_figures") + "?format=csv",
        },
    )


@hooks.register("register_admin_urls")
def register_figures_url():
    return [path("negotiation/figures/", figures_view, name="negotiation_figures")]


@hooks.register("register_admin_menu_item")
def register_figures_menu_item():
    return MenuItem(
        gettext_lazy("Negotiation figures"), reverse("negotiation_figures"), icon_name="table", order=910
    )


class AbuseReportViewSet(ModelViewSet):
    """Abuse reports from companies; staff mark them handled."""

    model = AbuseReport
    icon = "warning"
    menu_label = gettext_lazy("Abuse reports")
    menu_order = 920
    add_to_admin_menu = True
    copy_view_enabled = False
    list_display = ["created_at", "reporter_side", "buyer", "exhibitor", "subject", "handled_at"]
    list_filter = ["reporter_side"]
    list_export = ["created_at", "reporter_side", "buyer", "exhibitor", "subject", "reason", "handled_at"]
    export_filename = "abuse-reports"
    form_fields = ["subject", "reason", "handled_at"]
    search_backend_name = None
    search_fields = ["subject", "reason"]


@hooks.register("register_admin_viewset")
def register_abuse_reports():
    return AbuseReportViewSet("negotiation_abuse_reports")
