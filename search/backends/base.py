"""What every search backend answers: the query and result types and the backend interface."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

KINDS = ("product", "exhibitor", "buyer", "request")

# Field weights of ``keyword_scores``: a term in a title or name counts most, then in
# categories and keywords, then in descriptions. The score of an object is
# 1 - Π(1 - weight of each matching term), so one term in the title gives 0.8, two 0.96.
KEYWORD_WEIGHTS = {"title": 0.8, "extra": 0.6, "body": 0.3}

# Field weights of product and company search (relevance sort): a term in the title, at the
# end of the title (what the product is), in categories/keywords/company names, in the text;
# ``pairs`` is shared out over the character pairs of a longer Chinese term found in a title.
SEARCH_WEIGHTS = {"title": 1.5, "head": 2.0, "extra": 2.0, "body": 1.0, "pairs": 1.5}
# How an understood query ranks (search/understanding.py), in both backends: a close spelling
# counts 0.4 of the word, an attribute word as text half; a row that has the attribute
# (storage, valid certificate, place) gains 4; when only some words had to match, each word
# matched gains 10, so rows matching every word lead.
UNDERSTOOD_WEIGHTS = {"fuzzy": 0.4, "attribute_text": 0.5, "attribute": 4.0, "cover": 10.0}

PRODUCT_SORTS = ("relevance", "newest", "price", "-price", "title")
COMPANY_SORTS = ("relevance", "name", "newest")

# Price ranges (CNY, lower bound inclusive, upper exclusive) and minimum-order steps of the facets.
PRICE_RANGES = (
    ("0-20", Decimal("0"), Decimal("20")),
    ("20-50", Decimal("20"), Decimal("50")),
    ("50-100", Decimal("50"), Decimal("100")),
    ("100-500", Decimal("100"), Decimal("500")),
    ("500-", Decimal("500"), None),
)
PRICE_RANGES_BY_KEY = {key: (low, high) for key, low, high in PRICE_RANGES}
MOQ_STEPS = (1, 10, 50, 100, 500)


class SearchUnavailable(Exception):
    """The search engine cannot answer now (down, unreachable, index missing)."""


def keyword_score(weights: list[float]) -> float:
    """Combine the weights of the terms an object matched (each its best field) into 0..1."""
    miss = 1.0
    for weight in weights:
        miss *= 1.0 - weight
    return round(1.0 - miss, 6)


def price_range(value: Decimal | None) -> str | None:
    if value is None:
        return None
    for key, low, high in PRICE_RANGES:
        if value >= low and (high is None or value < high):
            return key
    return None


@dataclass(frozen=True)
class ProductQuery:
    """A product search: free text plus filters; every field optional.

    ``category`` is a category id (its descendants are included); ``max_moq`` keeps products
    whose minimum order is at most that; ``on`` is the day certificates must be valid on.
    """

    q: str = ""
    category: int | None = None
    certification: str = ""
    storage: str = ""
    province: str = ""
    exhibitor: int | None = None
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    max_moq: int | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = 24
    facets: bool = True
    highlight: bool = True
    on: date | None = None
    # words to take as typed: no synonyms, spellings or attribute meaning (a removed chip)
    literal: tuple[str, ...] = ()


@dataclass(frozen=True)
class CompanyQuery:
    """An exhibitor directory search (``kind="exhibitor"``) or a buyer search (``"buyer"``)."""

    q: str = ""
    kind: str = "exhibitor"
    category: int | None = None
    certification: str = ""
    province: str = ""
    edition: int | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = 24
    facets: bool = True
    highlight: bool = True
    on: date | None = None
    # words to take as typed: no synonyms, spellings or attribute meaning (a removed chip)
    literal: tuple[str, ...] = ()


@dataclass
class SearchResults:
    """One page of hits: primary keys in rank order, the total, facet counts and highlights.

    ``facets`` maps a facet name to ``[(value, count), ...]`` (value: category id,
    certificate code, storage code, province, price range key, MOQ step, edition year).
    ``highlights`` maps a primary key to ``{"title": html, "snippet": html}`` with the
    matching words in ``<mark>``; the HTML is escaped apart from the marks.
    """

    ids: list[int]
    total: int
    page: int = 1
    per_page: int = 24
    facets: dict[str, list[tuple]] = field(default_factory=dict)
    highlights: dict[int, dict[str, str]] = field(default_factory=dict)
    terms: list[str] = field(default_factory=list)
    backend: str = ""
    # what the query was understood to mean (search.understanding.Understanding), and whether
    # the hits match only some of its words
    understood: object = None
    partial: bool = False
    # the query with its misspelt words corrected, when every hit matched only a close spelling
    did_you_mean: str = ""

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


class SearchBackend:
    """The interface of a search backend. Subclasses: database, Elasticsearch."""

    name = ""

    # --- reading -----------------------------------------------------------------------------
    def keyword_scores(
        self, kind: str, terms: list[str], *, ids: list[int] | set[int] | None = None, limit: int = 1000
    ) -> dict[int, float]:
        """{primary key: 0..1} of the ``kind`` objects whose text matches any of ``terms``.

        Searched text, both languages: titles or names, descriptions, keywords and category
        names. A term of several words (``halal snacks``) matches when all its words are in
        one field. Only what search shows publicly takes part: listed products of verified
        exhibitors, verified exhibitors and buyers, open requests of verified buyers.
        Raises :class:`SearchUnavailable` when the engine is down.
        """
        raise NotImplementedError

    def keyword_scores_of(
        self, terms: list[str], ids: dict[str, list[int] | set[int]]
    ) -> dict[str, dict[int, float]]:
        """``keyword_scores`` of several kinds at once, each limited to its ``ids``:
        {kind: {primary key: 0..1}}. A backend may answer them in one round trip."""
        return {
            kind: self.keyword_scores(kind, terms, ids=wanted, limit=len(wanted))
            for kind, wanted in ids.items()
            if wanted
        }

    def search_products(self, query: ProductQuery) -> SearchResults:
        raise NotImplementedError

    def search_companies(self, query: CompanyQuery) -> SearchResults:
        raise NotImplementedError

    def suggest(self, text: str, *, limit: int = 5) -> list[str]:
        """Titles and category names close to ``text``, for "did you mean" and completion."""
        raise NotImplementedError

    # --- writing (called by search.indexing) --------------------------------------------------
    def index_documents(self, kind: str, documents: list[dict]) -> None:
        raise NotImplementedError

    def delete_documents(self, kind: str, ids: list[int]) -> None:
        raise NotImplementedError

    def rebuild(self, kind: str, batches, *, total: int | None = None, progress=None) -> int:
        """Replace the whole index of ``kind`` with the documents of ``batches`` (lists of
        documents); readers keep the old index until the new one is complete."""
        raise NotImplementedError

    def indexed_ids(self, kind: str, *, owners=None) -> set[int]:
        """Primary keys in the index; with ``owners`` (ids), only those of these owners (the
        exhibitor of a product, the buyer of a request)."""
        raise NotImplementedError

    def ping(self) -> bool:
        return True
