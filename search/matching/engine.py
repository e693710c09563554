"""Matchmaking: who fits a buyer, a sourcing request or an exhibitor, with the reasons why.

``match_subject`` answers the JSON object of ``manage.py match --json`` and of
``GET /api/match/{kind}/{key}/`` (CONTRACTS.md). Candidates are filtered in SQL by the hard
rules and the categories (``candidates``); each is then scored in Python by soft signals,
every one of which a person can read as a reason. The score is the weighted sum of the
signals (weights below add up to 1), so scores lie between 0 and 1 and compare within one
answer.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import date, datetime, time

from django.utils import timezone
from oscar.core.loading import get_model

from search.backends import SearchUnavailable, get_backend

from . import candidates as sql
from . import counterparts
from .candidates import Candidate
from .categories import CategoryTree
from .markets import market_match
from .reasons import _details, _result
from .subjects import Subject, load_subject

logger = logging.getLogger(__name__)

Product = get_model("catalogue", "Product")

WEIGHTS = {
    "category": 0.38,
    "keywords": 0.21,
    "market": 0.08,
    "responsive": 0.06,
    "credit": 0.05,
    "price": 0.08,
    "exhibiting": 0.06,
    "moq": 0.05,
    "verified": 0.03,
}
DEFAULT_LIMIT = 20
MAX_LIMIT = 100
KEYWORD_LIMIT = 500
# At most this many products of one exhibitor in one answer, so one catalogue does not fill it.
PRODUCTS_PER_EXHIBITOR = 3
FAST_ANSWER_HOURS = 24
SLOW_ANSWER_HOURS = 72


def match_subject(
    kind: str,
    key: str,
    *,
    limit: int = DEFAULT_LIMIT,
    as_of: date | None = None,
    since: datetime | None = None,
) -> dict:
    """The matches of one subject (``buyer``, ``request`` as ``BUYER_KEY/REFERENCE``, or
    ``exhibitor``), best first, as the contract's JSON object.

    ``as_of`` is the day certificates must be valid on (default today); ``since`` keeps only
    counterparts created from then on (the weekly digest's "new matches"). Reasons come in
    the active language. Raises :class:`UnknownSubject` for a key nobody has.
    """
    if not 1 <= limit <= MAX_LIMIT:
        raise ValueError(f"limit must be between 1 and {MAX_LIMIT}")
    as_of = as_of or timezone.localdate()
    tree = CategoryTree.load()
    subject = load_subject(kind, key, tree=tree, as_of=as_of)
    keywords = KeywordSearch(subject.terms)
    answer: dict = {
        "subject": {"kind": kind, "key": subject.key},
        "backend": keywords.backend_name,
        "results": [],
    }
    if subject.closed:
        answer["note"] = "closed"
        return answer
    if subject.seeks_suppliers:
        found = _suppliers(subject, tree=tree, keywords=keywords, as_of=as_of, since=since)
    else:
        found = _buyers_and_requests(subject, tree=tree, keywords=keywords, since=since)
    for candidate in found:
        _score(candidate, subject=subject, tree=tree)
    # Keywords, responsiveness and credit cost queries: ask them only for the candidates that
    # could still reach the answer with them (the others stay below whatever they get).
    contenders = _contenders(found, limit=limit)
    answers = _responsiveness(contenders, subject=subject, as_of=as_of)
    ids: dict[str, list[int]] = {}
    for candidate in contenders:
        ids.setdefault(candidate.kind, []).append(candidate.id)
    scores = keywords.scores(ids)
    for candidate in contenders:
        score = scores.get(candidate.kind, {}).get(candidate.id)
        if score:
            candidate.signals["keywords"] = min(1.0, score)
    for candidate in contenders:
        candidate.score = _total(candidate)
    if subject.seeks_suppliers:
        # Credit last, and only for those it could still lift into the answer: far fewer.
        contenders = _contenders(found, limit=limit, late=("credit",))
        _credit(contenders, as_of=as_of, answers=answers)
        for candidate in contenders:
            candidate.score = _total(candidate)
    chosen = _best(found, limit=limit)
    details = _details(chosen, tree=tree)
    answer["results"] = [_result(c, subject=subject, details=details[(c.kind, c.id)]) for c in chosen]
    answer["as_of"] = as_of.isoformat()
    if keywords.warnings:
        answer["warnings"] = keywords.warnings
    return answer


# --- candidates ---------------------------------------------------------------------------------


class KeywordSearch:
    """The subject's terms asked of the search backend: keyword scores of the candidates (the
    soft signal) and, for a subject naming no category, the hits that become its candidates.
    With the engine down the match still answers, on the other signals."""

    def __init__(self, terms: list[str]) -> None:
        self.terms = terms
        self.warnings: list[str] = []
        self.asked: dict[str, dict[int, float]] = {}
        try:
            self.backend = get_backend()
            self.backend_name = self.backend.name
        except SearchUnavailable as error:
            self.backend, self.backend_name = None, "elasticsearch"
            self._down(error)

    def _down(self, error: Exception) -> None:
        logger.warning("matching without keywords: %s", error)
        self.backend = None
        self.warnings = ["keywords unavailable: the search engine is down"]

    def _ask(self, ask, default):
        if not self.terms or self.backend is None:
            return default
        try:
            return ask(self.backend)
        except SearchUnavailable as error:
            self._down(error)
            return default

    def discover(self, kind: str) -> set[int]:
        """The best keyword hits of ``kind`` anywhere (their scores are kept)."""
        self.asked[kind] = self._ask(
            lambda backend: backend.keyword_scores(kind, self.terms, limit=KEYWORD_LIMIT), {}
        )
        return set(self.asked[kind])

    def scores(self, ids: dict[str, list[int]]) -> dict[str, dict[int, float]]:
        """{kind: {id: score}} of these candidates, every kind not discovered in one ask."""
        unasked = {kind: values for kind, values in ids.items() if values and kind not in self.asked}
        scores = {}
        if unasked:
            scores = self._ask(lambda backend: backend.keyword_scores_of(self.terms, unasked), {})
        return {**scores, **{kind: self.asked[kind] for kind in ids if kind in self.asked}}


def _suppliers(subject, *, tree, keywords, as_of, since) -> list[Candidate]:
    fit = tree.subtree_ids(subject.wanted)
    found = None if fit else {kind: keywords.discover(kind) for kind in ("product", "exhibitor")}
    return sql.supplier_candidates(
        subject, fit=fit, found=found, as_of=as_of, since=since, edition=current_edition_year()
    )


def _buyers_and_requests(subject, *, tree, keywords, since) -> list[Candidate]:
    fit = tree.lineage_ids(subject.have)
    buyers = counterparts.buyer_candidates(
        subject, tree=tree, found=None if fit else keywords.discover("buyer"), since=since
    )
    requests = counterparts.request_candidates(
        subject, tree=tree, found=None if fit else keywords.discover("request"), since=since
    )
    return [*buyers, *requests]


def current_edition_year() -> int | None:
    """The year of the edition that has not ended yet and opens first; else the latest."""
    from expo.models import ExpoEditionPage

    editions = ExpoEditionPage.objects.live()
    year = (
        editions.filter(ends_at__gte=timezone.now())
        .order_by("starts_at")
        .values_list("year", flat=True)
        .first()
    )
    return year or editions.order_by("-starts_at").values_list("year", flat=True).first()


def _responsiveness(found: list[Candidate], *, subject: Subject, as_of: date) -> dict | None:
    """How fast each counterpart answers enquiries (the negotiation app's figures), as 0..1.
    Returns the figures read, per company id."""
    try:
        from negotiation.selectors import responsiveness_for
    except ImportError:
        return None
    ids = sorted({c.company_id for c in found})
    if not ids:
        return None
    until = None if as_of >= timezone.localdate() else timezone.make_aware(datetime.combine(as_of, time.max))
    if subject.seeks_suppliers:
        # Every exhibitor asked anything lately: fewer than the candidates, and one read.
        figures = responsiveness_for(as_of=until)
    else:
        figures = responsiveness_for(buyer_ids=ids, as_of=until)
    for candidate in found:
        value = figures.get(candidate.company_id) or {}
        rate, hours = value.get("answer_rate"), value.get("median_first_answer_hours")
        if value.get("received") and rate is not None:
            speed = 1.0 if hours is not None and hours <= FAST_ANSWER_HOURS else 0.6
            if hours is None or hours > SLOW_ANSWER_HOURS:
                speed = 0.3
            candidate.signals["responsive"] = round(rate * speed, 4)
            candidate.answer_rate, candidate.answer_hours = rate, hours
    return figures


def _credit(found: list[Candidate], *, as_of: date, answers: dict | None) -> None:
    """The supplier's credit (诚信: ratings, on-time delivery, refunds, years, certificates) as
    0..1, a soft signal: it moves a supplier up or down a little, it never removes one.
    ``answers`` are the responsiveness figures already read for the same day, if any."""
    try:
        from credit.selectors import credit_scores
    except ImportError:
        return
    ids = sorted({c.company_id for c in found})
    if not ids:
        return
    until = None if as_of >= timezone.localdate() else timezone.make_aware(datetime.combine(as_of, time.max))
    signals = credit_scores(ids, as_of=until, answers=answers)
    for candidate in found:
        signal = signals.get(candidate.company_id)
        if signal is not None:
            candidate.signals["credit"] = signal.score
            candidate.credit = signal


# --- scoring ------------------------------------------------------------------------------------


def _score(candidate: Candidate, *, subject: Subject, tree: CategoryTree) -> None:
    """Fill the signals read from the candidate itself (each 0..1) and its score so far."""
    signals = candidate.signals
    if subject.seeks_suppliers:
        fit = tree.closeness(wanted=subject.wanted, have=candidate.categories)
        markets, where, country = subject.markets, candidate.where, candidate.country
        if candidate.exhibiting:
            signals["exhibiting"] = 1.0
        quantity, target, currency = subject.quantity, subject.target_price, subject.currency
        moq, price, price_currency = candidate.moq, candidate.price, candidate.currency
    else:
        fit = tree.closeness(wanted=candidate.categories, have=subject.have)
        markets, where, country = candidate.markets, subject.where, subject.company.country
        quantity, target, currency = candidate.quantity, candidate.target_price, candidate.currency
        moq, price, price_currency = candidate.moq, candidate.price, subject.currency
        if candidate.kind == "request":
            price_currency = currency  # the exhibitor's offer was priced in the request's currency
    candidate.fit = fit
    if fit is not None:
        signals["category"] = fit.value
    candidate.market = market_match(markets, where, country=country)
    if candidate.market:
        signals["market"] = 1.0
    signals["verified"] = 1.0  # unverified companies are never candidates
    if quantity is not None and moq is not None and moq <= quantity:
        signals["moq"] = 1.0
    if target is not None and price is not None and price_currency == currency and price <= target:
        signals["price"] = 1.0
    candidate.score = _total(candidate)


def _total(candidate: Candidate) -> float:
    return round(sum(WEIGHTS[name] * value for name, value in candidate.signals.items()), 4)


LATE_SIGNALS = ("keywords", "responsive", "credit")


def _contenders(
    found: list[Candidate], *, limit: int, late: tuple[str, ...] = LATE_SIGNALS
) -> list[Candidate]:
    """The candidates that could still make the answer once the ``late`` signals (not yet
    asked) count: those within the weight of those signals of the last place (ties included).
    Exact: the answer's last place can only rise, and the others cannot pass it."""
    chosen = _best(found, limit=limit)
    if len(chosen) < limit:
        return found
    bar = chosen[-1].score - sum(WEIGHTS[name] for name in late)
    return [c for c in found if c.score >= bar]


def _best(found: list[Candidate], *, limit: int) -> list[Candidate]:
    """Highest score first (ties by kind and key, so answers are stable), at most
    ``PRODUCTS_PER_EXHIBITOR`` products of one exhibitor."""
    per_exhibitor: Counter = Counter()
    chosen = []
    for candidate in sorted(found, key=lambda c: (-c.score, c.kind, c.key)):
        if candidate.kind == "product":
            per_exhibitor[candidate.company_id] += 1
            if per_exhibitor[candidate.company_id] > PRODUCTS_PER_EXHIBITOR:
                continue
        chosen.append(candidate)
        if len(chosen) == limit:
            break
    return chosen


# --- presenting ---------------------------------------------------------------------------------
