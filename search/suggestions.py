"""Help when a search finds nothing: "did you mean" spellings and related categories.

Spellings come from a vocabulary of category names and the words of product titles
(cached for a few minutes); Elasticsearch adds its fuzzy completion suggester. Related
categories are found the same way for every backend.
"""

from __future__ import annotations

import difflib

from django.core.cache import cache
from django.db.models import Count, Max
from oscar.core.loading import get_model

from . import text

VOCABULARY_KEY = "search:vocabulary:v1"
VOCABULARY_SECONDS = 600
MAX_VOCABULARY = 20_000


def vocabulary() -> list[str]:
    """Category names and title words (Chinese titles whole, English words one by one)."""
    Category = get_model("catalogue", "Category")
    Product = get_model("catalogue", "Product")
    state = Product.objects.aggregate(n=Count("id"), latest=Max("date_updated"))
    stamp = state["latest"].timestamp() if state["latest"] else 0
    key = f"{VOCABULARY_KEY}:{state['n']}:{stamp:.6f}"
    words = cache.get(key)
    if words is not None:
        return words
    seen: dict[str, None] = {}
    for name, name_en in Category.objects.filter(is_public=True).values_list("name", "name_en"):
        for value in (name, name_en):
            seen.update({token: None for token in text.tokens(value)})
            if value:
                seen[text.normalize(value)] = None
    titles = Product.objects.filter(is_public=True).values_list("title", "title_en").distinct()
    for pair in titles[:MAX_VOCABULARY].iterator(chunk_size=2000):
        for title in pair:
            seen.update({token: None for token in text.tokens(title) if len(token) >= 2})
        if len(seen) >= MAX_VOCABULARY:
            break
    words = list(seen)
    cache.set(key, words, VOCABULARY_SECONDS)
    return words


def _close(term: str, words: list[str]) -> list[str]:
    cutoff = 0.5 if text.is_cjk(term) else 0.75
    pool = [w for w in words if text.is_cjk(w) == text.is_cjk(term) and w != term]
    return difflib.get_close_matches(term, pool, n=3, cutoff=cutoff)


def did_you_mean(query: str, *, limit: int = 3) -> list[str]:
    """Queries with each unknown term replaced by a close word of the vocabulary."""
    terms = text.query_terms(query)
    words = vocabulary()
    known = set(words)
    options: list[str] = []
    for index, term in enumerate(terms):
        if term in known or any(term in w for w in words if text.is_cjk(term)):
            continue
        for replacement in _close(term, words):
            candidate = " ".join(terms[:index] + [replacement] + terms[index + 1 :])
            if candidate not in options:
                options.append(candidate)
    return options[:limit]


def database_suggestions(query: str, *, limit: int = 5) -> list[str]:
    return did_you_mean(query, limit=limit)


def related_categories(query: str, *, limit: int = 6) -> list:
    """Public categories whose name shares a term (or most of its characters) with the query."""
    Category = get_model("catalogue", "Category")
    terms = text.query_terms(query)
    if not terms:
        return []
    scored = []
    for category in Category.objects.filter(is_public=True).order_by("path"):
        names = [text.normalize(category.name), text.normalize(category.name_en)]
        best = 0.0
        for term in terms:
            for name in names:
                if not name:
                    continue
                if term in name or (len(name) >= 2 and name in term):
                    best = max(best, 1.0)
                elif text.is_cjk(term):
                    shared = len(set(term) & set(name))
                    best = max(best, shared / max(len(set(term)), 1) if shared >= 1 else 0)
                else:
                    best = max(best, difflib.SequenceMatcher(None, term, name).ratio() * 0.9)
        if best >= 0.5:
            scored.append((-best, category.path, category))
    return [category for _s, _p, category in sorted(scored, key=lambda item: item[:2])[:limit]]
