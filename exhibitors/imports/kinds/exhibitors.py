"""Exhibitor companies (exhibitors.csv): profile, categories, certificates, participations."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from exhibitors.models import Certificate, CompanyStatus, Exhibitor, Participation
from exhibitors.services import certificate_status_for

from ..bulk import UPDATE_BATCH, bulk_update_changed, insert_rows
from ..cells import (
    LIST_SEPARATOR,
    CellError,
    certification_pairs,
    export_cell,
    parse_year,
    shown,
    split_list,
    text,
    website,
)
from .base import CREATED, UNCHANGED, UPDATED, Column, Kind, Row, batched, company_fields

Partner = get_model("partner", "Partner")


class ExhibitorKind(Kind):
    """exhibitors.csv: the company, its Oscar partner, categories, certificates, booths."""

    name = "exhibitors"
    identity_columns = ("key",)
    one_of = (("name_zh", "name_en"),)

    def __init__(self) -> None:
        super().__init__()
        self.folded_keys: dict[str, tuple[str, int]] = {}

    def build_columns(self) -> tuple[Column, ...]:
        return (
            *self._company_columns(),
            Column("categories", parse=self.categories, default=set),
            Column("certifications", parse=self.certifications, default=dict),
            Column("description_zh", attr="description_zh", parse=text()),
            Column("description_en", attr="description_en", parse=text()),
            Column("website", attr="website", parse=website),
            *self._contact_columns(),
            Column("edition"),
            Column("booth"),
            self._status_column(),
        )

    @staticmethod
    def certifications(value: str) -> dict[str, date | None]:
        return certification_pairs(value)

    def parse(self, row: Row) -> None:
        super().parse(row)
        if "status" not in row.values and not row.errors:
            row.clean["status"] = CompanyStatus.VERIFIED  # staff imports verify unless told otherwise
        for name, empty in (("categories", set), ("certifications", dict)):
            if row.values.get(name) == "":
                row.clean[name] = empty()

    def parse_more(self, row: Row) -> None:
        if "edition" in row.values or "booth" in row.values:
            editions: list[int] = []
            for item in split_list(row.values.get("edition", "")):
                try:
                    year = parse_year(item)
                except CellError:
                    row.error("edition", _("'%(value)s' is not a year like 2026.") % {"value": shown(item)})
                    return
                editions.append(year)
            booths = [b.strip() for b in LIST_SEPARATOR.split(row.values.get("booth", ""))]
            while booths and not booths[-1]:
                booths.pop()
            if len(booths) > len(editions):
                row.error(
                    "booth",
                    _(
                        "%(booths)s booths for %(editions)s editions; "
                        "list one edition per booth, in the same order."
                    )
                    % {"booths": len(booths), "editions": len(editions)},
                )
                return
            for booth in booths:
                if len(booth) > 64:
                    row.error("booth", _("Booth '%(value)s' is too long.") % {"value": shown(booth)})
                    return
            booths += [""] * (len(editions) - len(booths))
            row.clean["participations"] = dict(zip(editions, booths, strict=True))
        key = row.clean["key"]
        seen = self.folded_keys.setdefault(key.casefold(), (key, row.number))
        if seen[0] != key:
            row.error(
                "key",
                _(
                    "'%(key)s' differs from '%(other)s' of row %(row)s only in letter case; "
                    "the shop needs them apart."
                )
                % {"key": key, "other": seen[0], "row": seen[1]},
            )

    @staticmethod
    def hall_of(booth: str) -> str:
        """The hall is the booth's prefix: ``A-1021`` is in hall ``A``."""
        prefix, dash, _rest = booth.partition("-")
        return prefix if dash else ""

    @staticmethod
    def partner_name(values: dict[str, Any]) -> str:
        return (values.get("name_zh") or values.get("name_en") or "")[:128]

    def plan(self, rows: list[Row]) -> None:
        keys = [row.identity[0] for row in rows]
        attrs = [c.attr for c in self.columns if c.attr and c.attr != "key"]
        current = {
            e["key"]: e
            for e in Exhibitor.objects.filter(key__in=keys).values(*company_fields(attrs), "partner_id")
        }
        ids = [e["id"] for e in current.values()]
        categories = defaultdict(set)
        certificates = defaultdict(dict)
        participations = defaultdict(dict)
        if ids:
            through = Exhibitor.categories.through.objects.filter(exhibitor_id__in=ids)
            for exhibitor_id, category_id in through.values_list("exhibitor_id", "category_id"):
                categories[exhibitor_id].add(category_id)
            for cert in Certificate.objects.filter(exhibitor_id__in=ids).values(
                "id", "exhibitor_id", "code", "valid_until", "status", "warned_30_at", "warned_7_at"
            ):
                certificates[cert["exhibitor_id"]][cert["code"]] = cert
            for part in Participation.objects.filter(exhibitor_id__in=ids).values(
                "id", "exhibitor_id", "edition", "booth", "hall"
            ):
                participations[part["exhibitor_id"]][part["edition"]] = part
        new_codes = [key.lower() for key in keys if key not in current]
        partners = {
            p["code"]: p
            for p in Partner.objects.filter(code__in=new_codes).values("id", "code", "exhibitor__key")
        }
        for row in rows:
            key = row.identity[0]
            existing = current.get(key)
            if existing is None:
                partner = partners.get(key.lower())
                if partner and partner["exhibitor__key"]:
                    row.error(
                        "key",
                        _("'%(key)s' differs from the existing exhibitor '%(other)s' only in letter case.")
                        % {"key": key, "other": partner["exhibitor__key"]},
                    )
                    continue
                row.plan = {"partner_id": partner["id"] if partner else None}
                row.outcome = CREATED
                continue
            pk = existing["id"]
            changed = self.changes(row, existing, attrs)
            if "status" in changed:
                changed.update(self.company_status_extras(changed["status"], existing))
            plan: dict[str, Any] = {"id": pk, "changed": changed, "current": existing}
            if "categories" in row.clean and row.clean["categories"] != categories[pk]:
                plan["categories"] = row.clean["categories"]
            cert_new, cert_changed = self._certificate_changes(row, certificates[pk])
            if cert_new or cert_changed:
                plan["certificates"] = (cert_new, cert_changed)
            part_new, part_changed = self._participation_changes(row, participations[pk])
            if part_new or part_changed:
                plan["participations"] = (part_new, part_changed)
            if {"name_zh", "name_en"} & changed.keys():
                plan["partner_name"] = self.partner_name({**existing, **changed})
            row.plan = plan
            extra = {"categories", "certificates", "participations"} & plan.keys()
            row.outcome = UPDATED if changed or extra else UNCHANGED

    def _certificate_changes(self, row: Row, held: dict[str, dict]) -> tuple[list, list]:
        new, changed = [], []
        for code, valid_until in row.clean.get("certifications", {}).items():
            status = certificate_status_for(valid_until, today=self.today)
            cert = held.get(code)
            if cert is None:
                new.append((code, valid_until, status))
                continue
            diff = {}
            if cert["valid_until"] != valid_until:
                diff = {"valid_until": valid_until, "warned_30_at": None, "warned_7_at": None}
            if cert["status"] != status:
                diff["status"] = status
            if diff:
                changed.append((cert["id"], diff, cert))
        return new, changed

    def _participation_changes(self, row: Row, held: dict[int, dict]) -> tuple[list, list]:
        new, changed = [], []
        for edition, booth in row.clean.get("participations", {}).items():
            part = held.get(edition)
            if part is None:
                new.append((edition, booth, self.hall_of(booth)))
            elif part["booth"] != booth:
                changed.append((part["id"], {"booth": booth, "hall": self.hall_of(booth)}, part))
        return new, changed

    def apply(self, rows: list[Row]) -> None:
        created = [row for row in rows if row.outcome == CREATED]
        updated = [row for row in rows if row.outcome == UPDATED]
        cert_new: list[dict] = []
        cert_changed: list = []
        part_new: list[dict] = []
        part_changed: list = []
        category_sets: dict[int, set[int]] = {}
        if created:
            needing = [row for row in created if not row.plan["partner_id"]]
            new_partners = insert_rows(
                Partner,
                [{"code": row.identity[0].lower(), "name": self.partner_name(row.clean)} for row in needing],
                returning=True,
            )
            partner_ids = {id(row): pk for row, pk in zip(needing, new_partners, strict=True)}
            plain = [c.attr for c in self.columns if c.attr]
            exhibitors = []
            for row in created:
                values = {attr: row.clean[attr] for attr in plain if attr in row.clean}
                values.update(self.company_status_extras(values["status"], None))
                values["partner_id"] = row.plan["partner_id"] or partner_ids[id(row)]
                exhibitors.append(values)
            ids = insert_rows(Exhibitor, exhibitors, returning=True)
            for row, pk in zip(created, ids, strict=True):
                if row.clean.get("categories"):
                    category_sets[pk] = row.clean["categories"]
                new, _changed = self._certificate_changes(row, {})
                cert_new += [
                    {"exhibitor_id": pk, "code": code, "valid_until": until, "status": status}
                    for code, until, status in new
                ]
                new, _changed = self._participation_changes(row, {})
                part_new += [
                    {"exhibitor_id": pk, "edition": edition, "booth": booth, "hall": hall}
                    for edition, booth, hall in new
                ]
            fresh = set(ids)
        else:
            fresh = set()
        if updated:
            bulk_update_changed(
                Exhibitor,
                [(row.plan["id"], row.plan["changed"], row.plan["current"]) for row in updated],
                stamp="updated_at",
            )
            renamed = [
                Partner(pk=row.plan["current"]["partner_id"], name=row.plan["partner_name"])
                for row in updated
                if "partner_name" in row.plan
            ]
            if renamed:
                Partner.objects.bulk_update(renamed, ["name"], batch_size=UPDATE_BATCH)
            for row in updated:
                pk = row.plan["id"]
                if "categories" in row.plan:
                    category_sets[pk] = row.plan["categories"]
                new, changed = row.plan.get("certificates", ([], []))
                cert_new += [
                    {"exhibitor_id": pk, "code": code, "valid_until": until, "status": status}
                    for code, until, status in new
                ]
                cert_changed += changed
                new, changed = row.plan.get("participations", ([], []))
                part_new += [
                    {"exhibitor_id": pk, "edition": edition, "booth": booth, "hall": hall}
                    for edition, booth, hall in new
                ]
                part_changed += changed
        through = Exhibitor.categories.through
        replaced = [pk for pk in category_sets if pk not in fresh]
        if replaced:
            through.objects.filter(exhibitor_id__in=replaced).delete()
        insert_rows(
            through,
            [
                {"exhibitor_id": pk, "category_id": category_id}
                for pk, category_ids in category_sets.items()
                for category_id in category_ids
            ],
        )
        insert_rows(Certificate, cert_new)
        bulk_update_changed(Certificate, cert_changed)
        insert_rows(Participation, part_new)
        bulk_update_changed(Participation, part_changed)

    def export_rows(self) -> Iterator[list[str]]:
        attrs = [c.attr for c in self.columns if c.attr]
        ids = list(Exhibitor.objects.order_by("key").values_list("id", flat=True))
        for chunk in batched(ids, 2000):
            categories = defaultdict(list)
            through = Exhibitor.categories.through.objects.filter(exhibitor_id__in=chunk)
            for pk, slug in through.order_by("category__path").values_list("exhibitor_id", "category__slug"):
                categories[pk].append(slug)
            certificates = defaultdict(list)
            for pk, code, until in (
                Certificate.objects.filter(exhibitor_id__in=chunk)
                .order_by("code")
                .values_list("exhibitor_id", "code", "valid_until")
            ):
                certificates[pk].append(f"{code}:{until.isoformat()}" if until else code)
            participations = defaultdict(list)
            for pk, edition, booth in (
                Participation.objects.filter(exhibitor_id__in=chunk)
                .order_by("edition")
                .values_list("exhibitor_id", "edition", "booth")
            ):
                participations[pk].append((edition, booth))
            for exhibitor in Exhibitor.objects.filter(id__in=chunk).order_by("key").values("id", *attrs):
                pk = exhibitor["id"]
                booths = [booth for _edition, booth in participations[pk]]
                while booths and not booths[-1]:
                    booths.pop()
                exhibitor.update(
                    categories=categories[pk],
                    certifications=certificates[pk],
                    edition=[edition for edition, _booth in participations[pk]],
                    booth=booths,
                )
                yield [export_cell(exhibitor[name]) for name in self.column_names]
