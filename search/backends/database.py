"""The database backend (embedded default and CI)."""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.db.models import Exists, OuterRef, Q
from oscar.core.loading import get_model

from .. import text
from .base import KEYWORD_WEIGHTS, KINDS, SearchBackend, keyword_score

FIELDS = {
    "product": {
        "title": ["title", "title_en"],
        "extra": [
            "categories__name",
            "categories__name_en",
            "stockrecords__partner__exhibitor__name_zh",
            "stockrecords__partner__exhibitor__name_en",
        ],
        "body": ["description", "description_en"],
    },
    "exhibitor": {
        "title": ["name_zh", "name_en"],
        "extra": ["categories__name", "categories__name_en"],
        "body": ["description_zh", "description_en"],
    },
    "buyer": {
        "title": ["name_zh", "name_en"],
        "extra": ["keywords", "interests__name", "interests__name_en"],
        "body": ["description_zh", "description_en"],
    },
    "request": {
        "title": ["title"],
        "extra": ["category__name", "category__name_en"],
        "body": ["description"],
    },
}


def _public(kind: str):
    from buyers.models import Buyer, RequestStatus, SourcingRequest
    from exhibitors.models import CompanyStatus, Exhibitor

    if kind == "product":
        StockRecord = get_model("partner", "StockRecord")
        sold = StockRecord.objects.filter(
            product=OuterRef("pk"), partner__exhibitor__status=CompanyStatus.VERIFIED
        )
        return get_model("catalogue", "Product").objects.filter(
            Exists(sold), is_public=True, structure__in=["standalone", "parent"]
        )
    if kind == "exhibitor":
        return Exhibitor.objects.filter(status=CompanyStatus.VERIFIED)
    if kind == "buyer":
        return Buyer.objects.filter(status=CompanyStatus.VERIFIED)
    return SourcingRequest.objects.filter(status=RequestStatus.OPEN, buyer__status=CompanyStatus.VERIFIED)


class DatabaseBackend(SearchBackend):
    name = "database"

    def keyword_scores(self, kind, terms, *, ids=None, limit=1000):
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r}")
        phrases = [words for words in (text.phrase_words(t) for t in terms or []) if words]
        if not phrases or (ids is not None and not ids):
            return {}
        base = _public(kind)
        if ids is not None:
            base = base.filter(pk__in=list(ids))
        best: dict[int, list[float]] = {}
        for n, words in enumerate(phrases):
            for name, weight in KEYWORD_WEIGHTS.items():
                columns = FIELDS[kind][name]
                condition = Q()
                for word in words:
                    condition &= reduce(or_, (Q(**{f"{c}__icontains": word}) for c in columns))
                for pk in base.filter(condition).values_list("pk", flat=True).distinct():
                    weights = best.setdefault(pk, [0.0] * len(phrases))
                    weights[n] = max(weights[n], weight)
        scores = {pk: keyword_score(weights) for pk, weights in best.items()}
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:limit]
        return dict(ranked)
