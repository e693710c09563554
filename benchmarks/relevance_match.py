"""Relevance of matchmaking: precision@5 and nDCG@10 over judged subjects.

The judgments are in ``tests/data/relevance/matches.yaml`` (buyers, sourcing requests and
exhibitors, Chinese and foreign, with the counterparts that should come first). They refer
to the demo data set plus the staff sample files; ``--load`` loads both into an empty
database first:

    DATABASE_URL=sqlite:////tmp/relevance.db .venv/bin/python manage.py migrate -v0
    DATABASE_URL=sqlite:////tmp/relevance.db .venv/bin/python benchmarks/relevance_match.py --load

The search relevance benchmark (``benchmarks/relevance.py``) calls :func:`evaluate`;
``tests/search/test_match_relevance.py`` checks the minimum figures.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "data" / "relevance" / "matches.yaml"
SAMPLES = ROOT / "tests" / "data" / "samples"
PRECISION_AT = 5
NDCG_AT = 10
# An answer shows at most this many products of one exhibitor, so an ideal one does too.
PRODUCTS_PER_EXHIBITOR = 3


def load_cases(path: Path = CASES) -> list[dict]:
    import yaml

    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)["cases"]


SAMPLE_FILES = (
    ("exhibitors", "exhibitors.csv"),
    ("products", "products.csv"),
    ("buyers", "buyers.csv"),
    ("requests", "sourcing_requests.csv"),
)


def import_samples(kinds: tuple[str, ...] = ("exhibitors", "products", "buyers", "requests")) -> None:
    """The staff sample files, imported the way staff import them (``manage.py import_resources``)."""
    from io import StringIO

    from django.core.management import call_command

    for kind, name in SAMPLE_FILES:
        if kind in kinds:
            call_command("import_resources", kind, str(SAMPLES / name), stdout=StringIO(), stderr=StringIO())


def load_data() -> None:
    """The data the judgments refer to: the demo data set and the four staff sample files."""
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)
    import_samples()


class Judge:
    """The grade of each result of one case; product rules are resolved through the database."""

    def __init__(self, case: dict, tree) -> None:
        self.case = case
        self.tree = tree
        self.explicit = {str(key): int(grade) for key, grade in (case.get("relevant") or {}).items()}
        self.rules: dict[str, list[tuple[set[int], int]]] = {}
        slugs = {node.slug: node.id for node in tree.by_id.values()}
        for rule in case.get("products") or []:
            categories = tree.subtree_ids(slugs[slug] for slug in rule["categories"])
            self.rules.setdefault(str(rule["exhibitor"]), []).append((categories, int(rule["grade"])))

    def is_product(self, key: str) -> bool:
        """``A/B`` keys are products (``EXHIBITOR/SKU``), or requests when the subject is an exhibitor."""
        return "/" in key and self.case["subject"]["kind"] != "exhibitor"

    def product_grades(self) -> dict[str, int]:
        """Every product the case makes relevant, by rule or by key, with its grade."""
        from oscar.core.loading import get_model

        ProductCategory = get_model("catalogue", "ProductCategory")
        grades = {key: grade for key, grade in self.explicit.items() if self.is_product(key)}
        for exhibitor_key, rules in self.rules.items():
            rows = ProductCategory.objects.filter(
                product__stockrecords__partner__exhibitor__key=exhibitor_key
            ).values_list("product__stockrecords__partner_sku", "category_id")
            for sku, category_id in rows:
                key = f"{exhibitor_key}/{sku}"
                for categories, grade in rules:
                    if category_id in categories:
                        grades[key] = max(grades.get(key, 0), grade)
        return grades

    def grades(self, results: list[dict], products: dict[str, int]) -> list[int]:
        return [(products if self.is_product(r["key"]) else self.explicit).get(r["key"], 0) for r in results]

    def ideal(self, products: dict[str, int]) -> list[int]:
        """The grades of the best possible answer: everything relevant, at most three
        products of one exhibitor."""
        grades = [grade for key, grade in self.explicit.items() if not self.is_product(key)]
        per_exhibitor: dict[str, list[int]] = {}
        for key, grade in products.items():
            per_exhibitor.setdefault(key.split("/")[0], []).append(grade)
        for product_grades in per_exhibitor.values():
            grades += sorted(product_grades, reverse=True)[:PRODUCTS_PER_EXHIBITOR]
        return sorted(grades, reverse=True)


def precision_at(grades: list[int], ideal: list[int], k: int = PRECISION_AT) -> float:
    """Share of the first ``k`` results that are relevant; a subject with fewer than ``k``
    relevant counterparts is judged on that many."""
    possible = min(k, sum(1 for g in ideal if g > 0))
    if possible == 0:
        return 1.0
    return sum(1 for g in grades[:k] if g > 0) / possible


def ndcg_at(grades: list[int], ideal: list[int], k: int = NDCG_AT) -> float:
    def dcg(values: list[int]) -> float:
        return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(values[:k]))

    best = dcg(ideal)
    return dcg(grades) / best if best else 1.0


def evaluate(*, cases_path: Path = CASES, as_of: date | None = None, verbose: bool = False) -> dict:
    """Mean precision@5 and nDCG@10 of ``match_subject`` over the judged subjects, with the
    figures of each subject. Needs the data of :func:`load_data` in the database."""
    from django.utils import translation

    from search.matching import match_subject
    from search.matching.categories import CategoryTree

    tree = CategoryTree.load()
    rows = []
    with translation.override("en"):
        for case in load_cases(cases_path):
            subject = case["subject"]
            answer = match_subject(subject["kind"], str(subject["key"]), limit=NDCG_AT, as_of=as_of)
            judge = Judge(case, tree)
            products = judge.product_grades()
            grades, ideal = judge.grades(answer["results"], products), judge.ideal(products)
            rows.append(
                {
                    "subject": f"{subject['kind']} {subject['key']}",
                    "name": case.get("name", ""),
                    "precision@5": precision_at(grades, ideal),
                    "ndcg@10": ndcg_at(grades, ideal),
                    "grades": grades,
                    "results": [r["key"] for r in answer["results"]] if verbose else [],
                }
            )
    return {
        "subjects": len(rows),
        "precision@5": round(sum(r["precision@5"] for r in rows) / len(rows), 4),
        "ndcg@10": round(sum(r["ndcg@10"] for r in rows) / len(rows), 4),
        "per_subject": rows,
    }


def report(figures: dict, *, verbose: bool = False) -> str:
    lines = []
    for row in figures["per_subject"]:
        lines.append(f"{row['precision@5']:.2f}  {row['ndcg@10']:.2f}  {row['subject']:<45} {row['name']}")
        if verbose:
            pairs = zip(row["results"], row["grades"], strict=True)
            lines += [f"          {key}  grade {grade}" for key, grade in pairs]
    lines.append(
        f"matching: {figures['subjects']} subjects, precision@5 {figures['precision@5']:.3f}, "
        f"nDCG@10 {figures['ndcg@10']:.3f}"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--load", action="store_true", help="load the demo data and staff samples first")
    parser.add_argument("--cases", type=Path, default=CASES)
    parser.add_argument("--as-of", type=date.fromisoformat, default=None)
    parser.add_argument("--verbose", action="store_true", help="list each subject's results and grades")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    if args.load:
        load_data()
    figures = evaluate(cases_path=args.cases, as_of=args.as_of, verbose=args.verbose)
    print(report(figures, verbose=args.verbose))
    return 0


if __name__ == "__main__":
    sys.exit(main())
