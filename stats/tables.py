"""The dashboard's tables, built from the cached figures in the reader's language, each with
the chart drawn above it; and their CSV and XLSX exports."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

HISTORY_METRICS = [
    ("exhibitors.registered", gettext_lazy("Exhibitors registered")),
    ("buyers.registered", gettext_lazy("Buyers registered")),
    ("products.listed", gettext_lazy("Products listed")),
    ("searches.total", gettext_lazy("Searches")),
    ("orders.placed", gettext_lazy("Orders placed")),
    ("orders.paid", gettext_lazy("Orders paid")),
    ("reviews.written", gettext_lazy("Ratings written")),
]


@dataclass
class Table:
    """One table of the dashboard: ``key`` names it in export URLs; ``chart`` says how the
    chart above it is drawn (``bar``, ``doughnut`` or ``line``), ``label_columns`` which
    columns name a chart's points and ``value_columns`` which are plotted."""

    key: str
    title: str
    columns: list[str]
    rows: list[list]
    chart: str = "bar"
    label_columns: list[int] = field(default_factory=lambda: [0])
    value_columns: list[int] = field(default_factory=lambda: [1])
    note: str = ""

    def chart_data(self) -> dict:
        return {
            "type": self.chart,
            "labels": [" · ".join(str(row[i]) for i in self.label_columns) for row in self.rows],
            "datasets": [
                {"label": str(self.columns[i]), "data": [_number(row[i]) for row in self.rows]}
                for i in self.value_columns
            ],
        }


def _number(value):
    if value in (None, ""):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _english() -> bool:
    return (get_language() or "").startswith("en")


def _category(root: str, names: dict) -> str:
    if not root:
        return _("No category")
    name = names.get(root)
    if not name:
        return root
    return name["en"] if _english() else name["zh"]


def _place(value: str) -> str:
    return value or _("Not given")


def _rate(part, whole) -> str:
    return f"{part / whole:.1%}" if whole else "—"


def _blank(value):
    return "—" if value is None else value


KIND_LABELS = {
    "inquiries": gettext_lazy("Inquiries"),
    "quotes": gettext_lazy("Quotes"),
    "samples": gettext_lazy("Sample requests"),
    "meetings": gettext_lazy("Meetings"),
}
SUBJECT_LABELS = {
    "buyer": gettext_lazy("Buyers (recommended suppliers)"),
    "request": gettext_lazy("Sourcing requests (recommended suppliers)"),
    "exhibitor": gettext_lazy("Exhibitors (buyers and requests)"),
}


def _company_tables(figures: dict) -> list[Table]:
    names = figures["categories"]
    companies = figures["companies"]
    registered, verified = _("Registered"), _("Verified")
    tables = [
        Table(
            key="companies",
            title=_("Exhibitors and buyers"),
            columns=[_("Side"), registered, verified],
            rows=[
                [_("Exhibitors"), companies["exhibitors"]["registered"], companies["exhibitors"]["verified"]],
                [_("Buyers"), companies["buyers"]["registered"], companies["buyers"]["verified"]],
            ],
            value_columns=[1, 2],
        )
    ]
    sides = (("exhibitors", _("Exhibitors")), ("buyers", _("Buyers")))
    splits = (
        ("by_province", _("by province"), _("Province"), _place),
        ("by_country", _("by country"), _("Country"), _place),
        ("by_category", _("by category"), _("Category"), lambda v: _category(v, names)),
    )
    for side, side_label in sides:
        for split, split_label, column, label in splits:
            tables.append(
                Table(
                    key=f"{side}_{split.removeprefix('by_')}",
                    title=_("%(side)s %(split)s") % {"side": side_label, "split": split_label},
                    columns=[column, registered, verified],
                    rows=[
                        [label(r["value"]), r["registered"], r["verified"]] for r in companies[side][split]
                    ],
                    value_columns=[1, 2],
                )
            )
    return tables


def dashboard_tables(figures: dict, *, history: dict | None = None) -> list[Table]:
    """Every table of the dashboard, in the active language."""
    names = figures["categories"]
    tables = _company_tables(figures)
    products = figures["products"]
    tables.append(
        Table(
            key="products",
            title=_("Products listed by category"),
            columns=[_("Category"), _("Products")],
            rows=[[_category(r["value"], names), r["products"]] for r in products["by_category"]],
        )
    )
    searches = figures["searches"]
    tables += [
        Table(
            key="searches",
            title=_("Searches"),
            columns=[_("Searches"), _("With no result"), _("From the search page"), _("From the API")],
            rows=[[searches["total"], searches["no_result"], searches["page"], searches["api"]]],
            chart="",
        ),
        Table(
            key="top_queries",
            title=_("Top queries"),
            columns=[_("Query"), _("Searches")],
            rows=[[r["query"], r["searches"]] for r in searches["top"]],
        ),
        Table(
            key="no_result_queries",
            title=_("Queries with no result"),
            columns=[_("Query"), _("Searches")],
            rows=[[r["query"], r["searches"]] for r in searches["no_result_top"]],
        ),
    ]
    matches = figures["matches"]
    tables.append(
        Table(
            key="matches",
            title=_("Matches shown and acted on"),
            columns=[_("Shown to"), _("Shown"), _("Acted on"), _("Share acted on")],
            rows=[
                [
                    str(SUBJECT_LABELS.get(r["value"], r["value"])),
                    r["shown"],
                    r["acted_on"],
                    _rate(r["acted_on"], r["shown"]),
                ]
                for r in matches["by_kind"]
            ]
            + [
                [
                    _("Total"),
                    matches["shown"],
                    matches["acted_on"],
                    _rate(matches["acted_on"], matches["shown"]),
                ]
            ],
            value_columns=[1, 2],
            note=_(
                "A match is acted on when the two companies started an inquiry, a sample request, a meeting "
                "or a quote after it was shown (checked every 10 minutes)."
            ),
        )
    )
    tables.append(
        Table(
            key="negotiation",
            title=_("Inquiries, quotes, samples and meetings"),
            columns=[_("What"), _("Sent"), _("Answered"), _("Accepted"), _("Median first answer (hours)")],
            rows=[
                [
                    str(KIND_LABELS[r["value"]]),
                    r["sent"],
                    r["answered"],
                    _blank(r["accepted"]),
                    _blank(r["median_first_answer_hours"]),
                ]
                for r in figures["negotiation"]
            ],
            value_columns=[1, 2, 3],
            note=_(
                "Answered: the other side answered at least once. Accepted: a quote the buyer accepted, "
                "a sample request the exhibitor accepted, a meeting accepted at some time; inquiries are "
                "not accepted."
            ),
        )
    )
    orders = figures["orders"]
    tables += [
        Table(
            key="orders",
            title=_("Orders"),
            columns=[_("Currency"), _("Orders placed"), _("Orders paid"), _("GMV")],
            rows=[[r["value"], r["placed"], r["paid"], r["gmv"]] for r in orders["by_currency"]],
            value_columns=[1, 2],
            note=_(
                "GMV: the total (with tax and shipping) of the orders paid, before refunds, in each "
                "currency; currencies are never added together."
            ),
        ),
        Table(
            key="gmv_category",
            title=_("GMV by category"),
            columns=[_("Currency"), _("Category"), _("Orders"), _("GMV")],
            rows=[
                [r["currency"], _category(r["value"], names), r["orders"], r["gmv"]]
                for r in orders["by_category"]
            ],
            label_columns=[1, 0],
            value_columns=[3],
            note=_(
                "Paid order lines (without shipping) under the top-level category of their product (under "
                "each, for a product in two)."
            ),
        ),
        Table(
            key="gmv_province",
            title=_("GMV by province"),
            columns=[_("Currency"), _("Province"), _("Orders"), _("GMV")],
            rows=[[r["currency"], _place(r["value"]), r["orders"], r["gmv"]] for r in orders["by_province"]],
            label_columns=[1, 0],
            value_columns=[3],
            note=_("Paid order lines (without shipping) under the province of the exhibitor selling them."),
        ),
    ]
    deals = figures["deals"]
    share = "—" if deals["share"] is None else f"{deals['share']:.1%}"
    tables.append(
        Table(
            key="deals",
            title=_("Online share of deals"),
            columns=[_("Deals"), _("Count")],
            rows=[
                [_("Online: orders paid through the platform"), deals["online"]],
                [_("Off-line: accepted quotes never checked out here"), deals["offline"]],
                [_("Online share"), share],
            ],
            chart="doughnut",
            note=_(
                "A deal is an order paid through the platform's checkout (online), or a quote the buyer "
                "accepted that was never checked out on the platform (agreed here, settled off-line). "
                "Online share = online deals / (online + off-line deals). Sample requests are not deals."
            ),
        )
    )
    tables += _review_tables(figures["reviews"])
    if history is not None:
        tables.append(history_table(history))
    return tables


SCORE_LABELS = {
    "quality": gettext_lazy("Quality"),
    "as_described": gettext_lazy("As described"),
    "delivery": gettext_lazy("Delivery"),
    "communication": gettext_lazy("Communication"),
}


def _review_tables(reviews: dict) -> list[Table]:
    return [
        Table(
            key="reviews",
            title=_("Ratings by buyers"),
            columns=[_("Reviews"), _("Count")],
            rows=[
                [_("Written"), reviews["written"]],
                [_("Shown"), reviews["visible"]],
                [_("Hidden by staff"), reviews["hidden"]],
                [_("Answered by the exhibitor"), reviews["answered"]],
            ],
            note=_(
                "Ratings buyer companies wrote in the period on delivered order lines, one per line. Hidden "
                "ones are left out of every average, on the booths as here."
            ),
        ),
        Table(
            key="ratings",
            title=_("Average scores"),
            columns=[_("Score"), _("Average (1–5)")],
            rows=[[str(SCORE_LABELS[r["value"]]), _blank(r["average"])] for r in reviews["averages"]],
            note=_("The average of each score over the ratings shown, from 1 (poor) to 5 (excellent)."),
        ),
    ]


def history_table(history: dict) -> Table:
    """Snapshotted totals by day: one column per figure of ``HISTORY_METRICS``."""
    days = sorted({day for series in history.values() for day, _value in series})
    values = {(metric, day): value for metric, series in history.items() for day, value in series}
    metrics = [(metric, label) for metric, label in HISTORY_METRICS if metric in history]
    return Table(
        key="history",
        title=_("History (daily snapshots)"),
        columns=[_("Date")] + [str(label) for _metric, label in metrics],
        rows=[
            [day.isoformat()] + [_blank(_plain(values.get((metric, day)))) for metric, _label in metrics]
            for day in days
        ],
        chart="line",
        value_columns=list(range(1, len(metrics) + 1)),
        note=_("Written every night, so the history stays when the data changes later."),
    )


def _plain(value):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


# --- exports ------------------------------------------------------------------------------------


def _cell(value):
    return "" if value in (None, "—") else value


def table_csv(table: Table) -> bytes:
    """The table as UTF-8 CSV with a byte order mark (Excel then reads Chinese correctly)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([str(c) for c in table.columns])
    writer.writerows([[_cell(v) for v in row] for row in table.rows])
    return out.getvalue().encode("utf-8")


def table_xlsx(table: Table) -> bytes:
    """The table as an Excel workbook: one sheet, a bold header row, numbers as numbers (the
    columns naming the rows, such as queries, stay text)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = table.key[:31]
    sheet.append([str(c) for c in table.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    labels = set(table.label_columns)
    for row in table.rows:
        sheet.append([_cell(v) if i in labels else _xlsx_value(v) for i, v in enumerate(row)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _xlsx_value(value):
    value = _cell(value)
    if isinstance(value, str):
        number = _number(value) if value.replace(".", "", 1).replace("-", "", 1).isdigit() else None
        return number if number is not None else value
    return value
