"""The statistics dashboard in the Wagtail admin and the exports of its tables (staff only)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from . import services
from .forms import PeriodForm
from .selectors import snapshot_series
from .tables import HISTORY_METRICS, dashboard_tables, table_csv, table_xlsx

EXPORTS = {
    "csv": ("text/csv; charset=utf-8", table_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", table_xlsx),
}


def may_see_statistics(user) -> bool:
    """Expo staff: staff accounts, or people given the ``stats.view_statistics`` permission."""
    return user.is_authenticated and (user.is_staff or user.has_perm("stats.view_statistics"))


def _tables(request):
    if not may_see_statistics(request.user):
        raise PermissionDenied
    form = PeriodForm(request.GET or None)
    period = form.period()
    figures = services.figures_get(period=period)
    history = snapshot_series(edition=period.snapshot_edition, metrics=[m for m, _l in HISTORY_METRICS])
    return form, figures, dashboard_tables(figures, history=history)


def dashboard_view(request):
    if request.method == "POST":
        return _refresh(request)
    form, figures, tables = _tables(request)
    query = urlencode({k: v for k, v in request.GET.items() if k in form.fields and v})
    for table in tables:
        table.exports = {
            fmt: reverse("stats_export", kwargs={"key": table.key, "fmt": fmt})
            + (f"?{query}" if query else "")
            for fmt in EXPORTS
        }
    return TemplateResponse(
        request,
        "stats/admin/dashboard.html",
        {
            "header_title": _("Statistics"),
            "cache_minutes": settings.STATS_CACHE_SECONDS // 60,
            "form": form,
            "figures": figures,
            "tables": tables,
            "charts": {table.key: table.chart_data() for table in tables if table.chart},
            "recent": [
                (days, urlencode({"start": period.start.isoformat(), "end": period.end.isoformat()}))
                for days, period in services.recent_periods()
            ],
        },
    )


def _refresh(request):
    """ "Refresh now": forget the period's cached figures, then show them freshly computed."""
    if not may_see_statistics(request.user):
        raise PermissionDenied
    services.figures_forget(period=PeriodForm(request.GET or None).period())
    query = request.META.get("QUERY_STRING", "")
    return redirect(reverse("stats_dashboard") + (f"?{query}" if query else ""))


def export_view(request, key: str, fmt: str):
    if fmt not in EXPORTS:
        raise Http404
    _form, _figures, tables = _tables(request)
    table = next((t for t in tables if t.key == key), None)
    if table is None:
        raise Http404
    content_type, render = EXPORTS[fmt]
    response = HttpResponse(render(table), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="statistics-{key}.{fmt}"'
    return response
