"""Search relevance: precision@5 and nDCG@10 of the labelled queries, per reachable backend.

Two sets refer to the demo data (``manage.py load_demo``, scale 1), which is deterministic:
``tests/data/relevance/buyer_queries.yaml`` (the default, ``--set buyer``): 206 buyer queries
in nine classes, judged from the catalogue's facts before any tuning (see
``benchmarks/relevance_labels.py``), reported per class and per half (development, held-out);
and ``queries.yaml`` (``--set legacy``), the first set, written beside the code. Run against a
throwaway database::

    DATABASE_URL=sqlite:////tmp/relevance.db python manage.py migrate -v0
    DATABASE_URL=sqlite:////tmp/relevance.db python benchmarks/relevance.py --load

``--load`` loads the demo data (and indexes it) first; ``--reindex`` rebuilds every
backend's index before measuring (needed for a backend that is not the active one);
``--verbose`` prints every query. The database backend always runs; Elasticsearch too when
``ELASTICSEARCH_URL`` is set and the server answers.

precision@5: the share of the first five results that are judged relevant or related, out
of at most five (a query with two judged products can reach 1.0 with those two on top).
nDCG@10: discounted gain of the first ten (relevant 2, related 1) over the ideal order.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
QUERIES = PROJECT / "tests" / "data" / "relevance" / "queries.yaml"
BUYER_QUERIES = PROJECT / "tests" / "data" / "relevance" / "buyer_queries.yaml"
HALVES = ("dev", "heldout")


@dataclass
class Judged:
    query: str
    lang: str
    grades: dict[str, int]  # product key -> 2 relevant, 1 related
    klass: str = ""
    half: str = ""


@dataclass
class Scored:
    query: str
    precision_at_5: float
    ndcg_at_10: float
    top: list[str] = field(default_factory=list)
    klass: str = ""
    half: str = ""


def load_queries(path: Path = QUERIES) -> list[Judged]:
    import yaml

    judged = []
    for item in yaml.safe_load(path.read_text(encoding="utf-8")):
        grades = {key: 1 for key in item.get("related", [])}
        grades.update({key: 2 for key in item["relevant"]})
        judged.append(
            Judged(
                query=str(item["query"]),
                lang=item.get("lang", ""),
                grades=grades,
                klass=item.get("class", ""),
                half=item.get("half", ""),
            )
        )
    return judged


def precision_at(ranked: list[str], grades: dict[str, int], k: int = 5) -> float:
    wanted = min(k, len(grades))
    if not wanted:
        return 0.0
    return sum(1 for key in ranked[:k] if grades.get(key)) / wanted


def ndcg_at(ranked: list[str], grades: dict[str, int], k: int = 10) -> float:
    def dcg(gains: list[int]) -> float:
        return sum((2**gain - 1) / math.log2(position + 2) for position, gain in enumerate(gains))

    ideal = dcg(sorted(grades.values(), reverse=True)[:k])
    return dcg([grades.get(key, 0) for key in ranked[:k]]) / ideal if ideal else 0.0


def product_keys() -> dict[int, str]:
    """Product id -> EXHIBITOR_KEY/SKU, from the catalogue."""
    from oscar.core.loading import get_model

    StockRecord = get_model("partner", "StockRecord")
    keys: dict[int, str] = {}
    rows = StockRecord.objects.order_by("product_id", "id").values_list(
        "product_id", "partner__exhibitor__key", "partner_sku"
    )
    for product_id, exhibitor_key, sku in rows:
        if exhibitor_key and sku:
            keys.setdefault(product_id, f"{exhibitor_key}/{sku}")
    return keys


def evaluate(backend, judged: list[Judged] | None = None, *, more: bool = True) -> list[Scored]:
    """Run every labelled query on ``backend`` (first page of 10, relevance order).

    ``more``: rank what the results page shows, in its order: the hits, then (a search with
    few hits) the "More in this category" products under them; without: the hits alone."""
    from search.backends import ProductQuery
    from search.selectors import category_neighbours

    judged = judged if judged is not None else load_queries()
    keys = product_keys()
    scored = []
    for item in judged:
        query = ProductQuery(q=item.query, sort="relevance", per_page=10, facets=False, highlight=False)
        results = backend.search_products(query)
        ids = results.ids + (category_neighbours(backend, query, results)[1] if more else [])
        ranked = [keys.get(pk, str(pk)) for pk in ids]
        scored.append(
            Scored(
                query=item.query,
                precision_at_5=precision_at(ranked, item.grades),
                ndcg_at_10=ndcg_at(ranked, item.grades),
                top=ranked[:5],
                klass=item.klass,
                half=item.half,
            )
        )
    return scored


def summary(scored: list[Scored]) -> dict[str, float]:
    count = len(scored) or 1
    return {
        "queries": len(scored),
        "precision@5": round(sum(s.precision_at_5 for s in scored) / count, 3),
        "ndcg@10": round(sum(s.ndcg_at_10 for s in scored) / count, 3),
    }


def breakdown(scored: list[Scored]) -> dict[tuple[str, str], dict[str, float]]:
    """Figures per (class, half), per class over both halves ("all") and per half ("all", half)."""
    groups: dict[tuple[str, str], list[Scored]] = {}
    for s in scored:
        for group in ((s.klass, s.half), (s.klass, "all"), ("all", s.half), ("all", "all")):
            groups.setdefault(group, []).append(s)
    return {group: summary(items) for group, items in sorted(groups.items())}


def print_breakdown(name: str, scored: list[Scored]) -> None:
    table = breakdown(scored)
    classes = sorted({klass for klass, _half in table if klass != "all"}) + ["all"]
    print(f"{name}: P@5 / nDCG@10 per class and half")
    print(f"  {'class':12} {'dev':>17} {'heldout':>17} {'all':>17}")
    for klass in classes:
        cells = []
        for half in (*HALVES, "all"):
            figures = table.get((klass, half))
            cells.append(
                f"{figures['precision@5']:.3f}/{figures['ndcg@10']:.3f} ({figures['queries']:>3})"
                if figures
                else "-"
            )
        print(f"  {klass:12} " + " ".join(f"{cell:>17}" for cell in cells))


# --- MATCH SUBJECTS ------------------------------------------------------------------------------
# Matchmaking relevance is added here by the matchmaking work: labelled subjects (a buyer, a
# sourcing request or an exhibitor key, with the counterpart keys that should come first),
# scored through ``search.matching.match_subject(kind, key, *, limit=20, as_of=None) -> dict``
# with the same precision@5 / nDCG@10 functions above. Left empty on purpose.
MATCH_SUBJECTS: list[dict] = []


def evaluate_matches(subjects: list[dict] | None = None) -> list[Scored]:
    """Score labelled match subjects ``{"kind", "key", "relevant": [...], "related": [...]}``."""
    subjects = subjects if subjects is not None else MATCH_SUBJECTS
    if not subjects:
        return []
    from search.matching import match_subject

    scored = []
    for subject in subjects:
        grades = {key: 1 for key in subject.get("related", [])}
        grades.update({key: 2 for key in subject["relevant"]})
        answer = match_subject(subject["kind"], subject["key"], limit=20)
        ranked = [result["key"] for result in answer.get("results", [])]
        scored.append(
            Scored(
                query=f"{subject['kind']} {subject['key']}",
                precision_at_5=precision_at(ranked, grades),
                ndcg_at_10=ndcg_at(ranked, grades),
                top=ranked[:5],
            )
        )
    return scored


# --- END MATCH SUBJECTS --------------------------------------------------------------------------


def reachable_backends() -> list:
    from django.conf import settings

    from search.backends import get_backend

    backends = [get_backend("database")]
    if settings.ELASTICSEARCH_URL:
        elastic = get_backend("elasticsearch")
        if elastic.ping():
            backends.append(elastic)
        else:
            print(f"elasticsearch: {settings.ELASTICSEARCH_URL} does not answer, skipped")
    return backends


def main(argv=None) -> int:
    sys.path.insert(0, str(PROJECT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    from django.core.management import call_command

    from search.indexing import rebuild

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--load", action="store_true", help="load the demo data first (load_demo)")
    parser.add_argument("--reindex", action="store_true", help="rebuild each backend's index first")
    parser.add_argument("--verbose", action="store_true", help="print every query")
    parser.add_argument("--set", choices=("buyer", "legacy"), default="buyer", help="which labelled set")
    parser.add_argument("--hits-only", action="store_true", help="rank the hits alone, not the page")
    parser.add_argument("--half", choices=(*HALVES, "all"), default="all", help="print only this half")
    args = parser.parse_args(argv)
    if args.load:
        call_command("load_demo", verbosity=0)
    path = BUYER_QUERIES if args.set == "buyer" else QUERIES
    judged = [item for item in load_queries(path) if args.half in ("all", item.half)]
    print(f"{len(judged)} labelled queries from {path.relative_to(PROJECT)}")
    for backend in reachable_backends():
        if args.reindex:
            rebuild(backend=backend)
        scored = evaluate(backend, judged, more=not args.hits_only)
        if args.verbose:
            for s in scored:
                print(
                    f"  {backend.name:13} {s.klass:11} {s.half:7} {s.precision_at_5:4.2f} "
                    f"{s.ndcg_at_10:4.2f}  {s.query}  {' '.join(s.top)}"
                )
        if args.set == "buyer":
            print_breakdown(backend.name, scored)
        figures = summary(scored)
        print(
            f"{backend.name:13} precision@5 {figures['precision@5']:.3f}  "
            f"nDCG@10 {figures['ndcg@10']:.3f}  ({figures['queries']} queries)"
        )
    matches = evaluate_matches()
    if matches:
        figures = summary(matches)
        print(f"matchmaking   precision@5 {figures['precision@5']:.3f}  nDCG@10 {figures['ndcg@10']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
