"""Sourcing requests (requests.csv)."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from buyers.models import Buyer, RequestStatus, SourcingRequest
from catalogue.models import Storage

from ..bulk import bulk_update_changed, insert_rows
from ..cells import (
    certification_list,
    choice,
    currency,
    decimal,
    export_cell,
    parse_date,
    parse_key,
    text,
)
from .base import CREATED, UNCHANGED, UPDATED, Column, Kind, Row, batched


class RequestKind(Kind):
    """sourcing_requests.csv: a buyer's request, identified by buyer and reference."""

    name = "requests"
    identity_columns = ("buyer_key", "reference")

    def __init__(self) -> None:
        super().__init__()
        self.buyers: dict[str, int | None] = {}

    def build_columns(self) -> tuple[Column, ...]:
        return (
            Column("buyer_key", required=True, attr="buyer_key", parse=parse_key),
            Column("reference", required=True, attr="reference", parse=parse_key),
            Column("title", required=True, attr="title", parse=text(255)),
            Column("category", attr="category_id", parse=self.category, default=None),
            Column("description", attr="description", parse=text()),
            Column("quantity", attr="quantity", parse=decimal(max_digits=14, places=2), default=None),
            Column("unit", attr="unit", parse=text(32)),
            Column("target_price", attr="target_price", parse=decimal(max_digits=12, places=2), default=None),
            Column("currency", attr="currency", parse=currency, default="CNY"),
            Column("delivery_region", attr="delivery_region", parse=text(128)),
            Column("deliver_by", attr="deliver_by", parse=parse_date, default=None),
            Column(
                "required_certifications",
                attr="required_certifications",
                parse=certification_list,
                default=list,
            ),
            Column(
                "storage", attr="storage", parse=choice(Storage.values, label=gettext_lazy("storage code"))
            ),
            Column(
                "status",
                attr="status",
                parse=choice(RequestStatus.values, label=gettext_lazy("request status")),
                default=RequestStatus.OPEN,
            ),
        )

    def attrs(self) -> list[str]:
        return [c.attr for c in self.columns if c.attr and c.name not in self.identity_columns]

    def plan(self, rows: list[Row]) -> None:
        missing = {row.clean["buyer_key"] for row in rows} - self.buyers.keys()
        if missing:
            found = dict(Buyer.objects.filter(key__in=missing).values_list("key", "id"))
            self.buyers.update({key: found.get(key) for key in missing})
        known = []
        for row in rows:
            buyer_id = self.buyers[row.clean["buyer_key"]]
            if buyer_id is None:
                row.error(
                    "buyer_key",
                    _("No buyer has the key '%(key)s'; import the buyers first.")
                    % {"key": row.clean["buyer_key"]},
                )
                continue
            row.plan = {"buyer_id": buyer_id}
            known.append(row)
        attrs = self.attrs()
        current = {
            (r["buyer_id"], r["reference"]): r
            for r in SourcingRequest.objects.filter(
                buyer_id__in={row.plan["buyer_id"] for row in known},
                reference__in={row.clean["reference"] for row in known},
            ).values("id", "buyer_id", "reference", *attrs)
        }
        for row in known:
            existing = current.get((row.plan["buyer_id"], row.clean["reference"]))
            if existing is None:
                row.outcome = CREATED
                continue
            changed = self.changes(row, existing, attrs)
            row.plan.update(id=existing["id"], changed=changed, current=existing)
            row.outcome = UPDATED if changed else UNCHANGED

    def apply(self, rows: list[Row]) -> None:
        attrs = self.attrs()
        insert_rows(
            SourcingRequest,
            [
                {
                    "buyer_id": row.plan["buyer_id"],
                    "reference": row.clean["reference"],
                    **{attr: row.clean[attr] for attr in attrs if attr in row.clean},
                }
                for row in rows
                if row.outcome == CREATED
            ],
        )
        bulk_update_changed(
            SourcingRequest,
            [
                (row.plan["id"], row.plan["changed"], row.plan["current"])
                for row in rows
                if row.outcome == UPDATED
            ],
            stamp="updated_at",
        )

    def export_rows(self) -> Iterator[list[str]]:
        attrs = self.attrs()
        ids = list(SourcingRequest.objects.order_by("buyer__key", "reference").values_list("id", flat=True))
        for chunk in batched(ids, 2000):
            for request in (
                SourcingRequest.objects.filter(id__in=chunk)
                .order_by("buyer__key", "reference")
                .values("buyer__key", "reference", "category__slug", *attrs)
            ):
                request.update(buyer_key=request["buyer__key"], category=request["category__slug"])
                yield [export_cell(request[name]) for name in self.column_names]
