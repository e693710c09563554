"""Freeze the buyer intents into judged products: ``tests/data/relevance/buyer_queries.yaml``.

Each intent in ``tests/data/relevance/buyer_intents.yaml`` says what a buyer wants in the
catalogue's own facts (base product title, category, storage, a certificate the product
claims, the exhibitor's country or province). This script reads those facts from the demo
catalogue, never from a search backend, and writes the judgments::

    DATABASE_URL=sqlite:////tmp/labels.db python manage.py migrate -v0
    DATABASE_URL=sqlite:////tmp/labels.db python benchmarks/relevance_labels.py --load

Grades: 2 for a product that is what the intent wants; 1 for a product in the same
category as a wanted title (or named in ``near``) that is not wanted. The halves alternate
within each class in the intents' order, so each class has queries in both.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
INTENTS = PROJECT / "tests" / "data" / "relevance" / "buyer_intents.yaml"
JUDGED = PROJECT / "tests" / "data" / "relevance" / "buyer_queries.yaml"


@dataclass(frozen=True)
class Fact:
    key: str
    title: str  # English base title, without the pack variant
    category: str
    storage: str
    certificates: frozenset[str]
    country: str
    province: str


def base_title(title_en: str) -> str:
    from expo.demo.data import VARIANTS

    for _zh, suffix in VARIANTS:
        if suffix and title_en.endswith(suffix):
            return title_en[: -len(suffix)]
    return title_en


def catalogue_facts() -> list[Fact]:
    from django.utils import timezone
    from oscar.core.loading import get_model

    from catalogue.claims import claims
    from exhibitors.models import Certificate

    StockRecord = get_model("partner", "StockRecord")
    today = timezone.localdate()
    held = defaultdict(set)
    for certificate in Certificate.objects.all():
        if certificate.is_valid_on(today):
            held[certificate.exhibitor_id].add(certificate.code)
    facts = []
    records = (
        StockRecord.objects.select_related("product", "partner__exhibitor")
        .prefetch_related("product__categories")
        .order_by("product_id", "id")
    )
    seen = set()
    for record in records:
        product, exhibitor = record.product, record.partner.exhibitor
        if product.pk in seen or exhibitor is None or not record.partner_sku:
            continue
        seen.add(product.pk)
        category = max(product.categories.all(), key=lambda c: c.depth, default=None)
        codes = frozenset(
            code
            for code in held[exhibitor.pk]
            if claims(
                product.certifications,
                product.certification_expiry,
                code,
                day=today,
                none=product.claims_none,
            )
        )
        facts.append(
            Fact(
                key=f"{exhibitor.key}/{record.partner_sku}",
                title=base_title(product.title_en),
                category=category.slug if category else "",
                storage=product.storage,
                certificates=codes,
                country=(exhibitor.country or "").upper(),
                province=exhibitor.province or "",
            )
        )
    return facts


def wanted(fact: Fact, want: dict) -> bool:
    titles, categories = want.get("titles", []), want.get("categories", [])
    if (titles or categories) and fact.title not in titles and fact.category not in categories:
        return False
    if want.get("storage") and fact.storage != want["storage"]:
        return False
    if want.get("certificate") and want["certificate"] not in fact.certificates:
        return False
    if want.get("country") and fact.country != want["country"]:
        return False
    if want.get("province") and not fact.province.startswith(want["province"]):
        return False
    return True


def judge(intent: dict, facts: list[Fact]) -> dict:
    want = intent["want"]
    relevant = [fact for fact in facts if wanted(fact, want)]
    if not relevant:
        raise ValueError(f"{intent['q']!r}: no product of the catalogue is what it wants")
    titles = set(want.get("titles", []))
    near_categories = {fact.category for fact in facts if fact.title in titles}
    near_categories |= set(want.get("categories", []))
    near_titles = set(intent.get("near", []))
    relevant_keys = {fact.key for fact in relevant}
    related = [
        fact.key
        for fact in facts
        if fact.key not in relevant_keys and (fact.category in near_categories or fact.title in near_titles)
    ]
    return {"relevant": sorted(relevant_keys), "related": sorted(related)}


def label(intents: list[dict], facts: list[Fact]) -> list[dict]:
    counters: dict[str, int] = defaultdict(int)
    judged = []
    for intent in intents:
        klass = intent["class"]
        half = "dev" if counters[klass] % 2 == 0 else "heldout"
        counters[klass] += 1
        judged.append({"query": str(intent["q"]), "class": klass, "half": half, **judge(intent, facts)})
    return judged


HEADER = """\
# Judged buyer queries on the demo catalogue (load_demo, scale 1), frozen from
# buyer_intents.yaml by benchmarks/relevance_labels.py from the catalogue's facts (never from
# a search backend). Do not edit by hand: edit the intents and run the labeller.
#   relevant: grade 2, what the buyer asks for; related: grade 1, acceptable lower down.
#   half: dev (may guide tuning) or heldout (reported, never tuned on).
"""


def main(argv=None) -> int:
    sys.path.insert(0, str(PROJECT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    import yaml
    from django.core.management import call_command

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--load", action="store_true", help="load the demo data first (load_demo)")
    args = parser.parse_args(argv)
    if args.load:
        call_command("load_demo", verbosity=0)
    intents = yaml.safe_load(INTENTS.read_text(encoding="utf-8"))
    judged = label(intents, catalogue_facts())
    body = yaml.safe_dump(judged, allow_unicode=True, sort_keys=False, width=110)
    JUDGED.write_text(HEADER + body, encoding="utf-8")
    print(f"{len(judged)} queries judged into {JUDGED.relative_to(PROJECT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
