"""Buyer companies (buyers.csv): profile and interests."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from django.utils.translation import gettext_lazy

from buyers.models import Buyer, BuyerType
from exhibitors.models import CompanyStatus

from ..bulk import bulk_update_changed, insert_rows
from ..cells import (
    certification_list,
    choice,
    decimal,
    export_cell,
    text_list,
)
from .base import CREATED, UNCHANGED, UPDATED, Column, Kind, Row, batched, company_fields


class BuyerKind(Kind):
    """buyers.csv: the company, its interests and what every supplier must hold."""

    name = "buyers"
    identity_columns = ("key",)
    one_of = (("name_zh", "name_en"),)

    def build_columns(self) -> tuple[Column, ...]:
        return (
            *self._company_columns(),
            Column(
                "buyer_type",
                attr="buyer_type",
                parse=choice(BuyerType.values, label=gettext_lazy("buyer type")),
                default=BuyerType.OTHER,
            ),
            Column("interests", parse=self.categories, default=set),
            Column("keywords", attr="keywords", parse=text_list, default=list),
            Column(
                "annual_volume_cny",
                attr="annual_volume_cny",
                parse=decimal(max_digits=16, places=2),
                default=None,
            ),
            Column("target_markets", attr="target_markets", parse=text_list, default=list),
            Column(
                "required_certifications",
                attr="required_certifications",
                parse=certification_list,
                default=list,
            ),
            self._status_column(),
            *self._contact_columns(),
        )

    def parse(self, row: Row) -> None:
        super().parse(row)
        if "status" not in row.values and not row.errors:
            row.clean["status"] = CompanyStatus.VERIFIED
        if row.values.get("interests") == "":
            row.clean["interests"] = set()

    def plan(self, rows: list[Row]) -> None:
        keys = [row.identity[0] for row in rows]
        attrs = [c.attr for c in self.columns if c.attr and c.attr != "key"]
        current = {b["key"]: b for b in Buyer.objects.filter(key__in=keys).values(*company_fields(attrs))}
        interests = defaultdict(set)
        through = Buyer.interests.through.objects.filter(buyer_id__in=[b["id"] for b in current.values()])
        for buyer_id, category_id in through.values_list("buyer_id", "category_id"):
            interests[buyer_id].add(category_id)
        for row in rows:
            existing = current.get(row.identity[0])
            if existing is None:
                row.outcome = CREATED
                continue
            changed = self.changes(row, existing, attrs)
            if "status" in changed:
                changed.update(self.company_status_extras(changed["status"], existing))
            row.plan = {"id": existing["id"], "changed": changed, "current": existing}
            if "interests" in row.clean and row.clean["interests"] != interests[existing["id"]]:
                row.plan["interests"] = row.clean["interests"]
            row.outcome = UPDATED if changed or "interests" in row.plan else UNCHANGED

    def apply(self, rows: list[Row]) -> None:
        created = [row for row in rows if row.outcome == CREATED]
        updated = [row for row in rows if row.outcome == UPDATED]
        interest_sets: dict[int, set[int]] = {}
        fresh: set[int] = set()
        if created:
            plain = [c.attr for c in self.columns if c.attr]
            buyers = []
            for row in created:
                values = {attr: row.clean[attr] for attr in plain if attr in row.clean}
                values.update(self.company_status_extras(values["status"], None))
                buyers.append(values)
            ids = insert_rows(Buyer, buyers, returning=True)
            fresh = set(ids)
            for row, pk in zip(created, ids, strict=True):
                if row.clean.get("interests"):
                    interest_sets[pk] = row.clean["interests"]
        if updated:
            bulk_update_changed(
                Buyer,
                [(row.plan["id"], row.plan["changed"], row.plan["current"]) for row in updated],
                stamp="updated_at",
            )
            for row in updated:
                if "interests" in row.plan:
                    interest_sets[row.plan["id"]] = row.plan["interests"]
        through = Buyer.interests.through
        replaced = [pk for pk in interest_sets if pk not in fresh]
        if replaced:
            through.objects.filter(buyer_id__in=replaced).delete()
        insert_rows(
            through,
            [
                {"buyer_id": pk, "category_id": category_id}
                for pk, category_ids in interest_sets.items()
                for category_id in category_ids
            ],
        )

    def export_rows(self) -> Iterator[list[str]]:
        attrs = [c.attr for c in self.columns if c.attr]
        ids = list(Buyer.objects.order_by("key").values_list("id", flat=True))
        for chunk in batched(ids, 2000):
            interests = defaultdict(list)
            through = Buyer.interests.through.objects.filter(buyer_id__in=chunk)
            for pk, slug in through.order_by("category__path").values_list("buyer_id", "category__slug"):
                interests[pk].append(slug)
            for buyer in Buyer.objects.filter(id__in=chunk).order_by("key").values("id", *attrs):
                buyer["interests"] = interests[buyer["id"]]
                yield [export_cell(buyer[name]) for name in self.column_names]
