"""What the product results page shows besides the hits: facet groups, active filters,
the chips of an understood query, labels and links (``search/views.py``)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from catalogue.models import Storage
from exhibitors.codes import Certification

from .selectors import (
    ProductFilters,
)

PRODUCT_SORT_LABELS = [
    ("relevance", gettext_lazy("Best match")),
    ("newest", gettext_lazy("Newest")),
    ("price", gettext_lazy("Price: low to high")),
    ("-price", gettext_lazy("Price: high to low")),
    ("title", gettext_lazy("Name")),
]


def price_label(key: str) -> str:
    low, _sep, high = key.partition("-")
    if not high:
        return _("¥%(low)s and more") % {"low": low}
    if low == "0":
        return _("Under ¥%(high)s") % {"high": high}
    return _("¥%(low)s to ¥%(high)s") % {"low": low, "high": high}


def moq_label(step: int) -> str:
    return _("At most %(count)s units") % {"count": step}


def is_english() -> bool:
    return (get_language() or "").startswith("en")


def url_with(params: dict, **changes) -> str:
    merged = {k: v for k, v in {**params, **changes}.items() if v not in ("", None)}
    merged.pop("page", None)
    return "?" + urlencode(merged) if merged else "?"


def decorate_hits(objects: list, highlights: dict, *, title_of, snippet_of) -> None:
    """Give each hit ``hit_title`` and ``hit_snippet`` (HTML with <mark>) in the reader's language,
    falling back to the other language when only that one matched."""
    first, second = ("en", "zh") if is_english() else ("zh", "en")
    for obj in objects:
        marks = highlights.get(obj.pk) or {}
        title = marks.get(f"title_{first}") or ""
        other_title = marks.get(f"title_{second}") or ""
        obj.hit_title = mark_safe(title or other_title or escape(title_of(obj)))  # noqa: S308 - escaped by search.highlight
        snippet = ""
        for candidate in (
            marks.get(f"snippet_{first}"),
            marks.get(f"snippet_{second}"),
            other_title if "<mark>" in other_title and "<mark>" not in title else "",
        ):
            if candidate and "<mark>" in candidate:
                snippet = candidate
                break
        obj.hit_snippet = mark_safe(snippet)  # noqa: S308 - escaped by search.highlight


def facet_groups(facets: dict, params: dict, categories: list, category) -> list[dict]:
    if not facets:
        return []
    names = {c.pk: c for c in categories}
    storages = dict(Storage.choices)
    certificates = dict(Certification.choices)
    groups = []

    def group(name, label, values, param, current):
        items = [
            {
                "label": shown,
                "count": count,
                "url": url_with(params, **{param: value}),
                "active": str(value) == str(current),
            }
            for value, shown, count in values
        ]
        if items:
            groups.append({"name": name, "label": label, "items": items})

    group(
        "category",
        _("Category"),
        [(names[pk].slug, names[pk].display_name, n) for pk, n in facets.get("category", []) if pk in names],
        "category",
        category.slug if category else "",
    )
    group(
        "certification",
        _("Certificate"),
        [(code, certificates.get(code, code), n) for code, n in facets.get("certification", [])],
        "certification",
        params.get("certification", ""),
    )
    group(
        "storage",
        _("Storage"),
        [(code, storages.get(code, code), n) for code, n in facets.get("storage", [])],
        "storage",
        params.get("storage", ""),
    )
    group(
        "province",
        _("Province"),
        [(p, p, n) for p, n in facets.get("province", [])],
        "province",
        params.get("province", ""),
    )
    price_items = []
    for key, n in facets.get("price", []):
        low, _sep, high = key.partition("-")
        price_items.append(
            {
                "label": price_label(key),
                "count": n,
                "url": url_with(params, min_price=low, max_price=high),
                "active": params.get("min_price") == low and params.get("max_price", "") == high,
            }
        )
    if price_items:
        groups.append({"name": "price", "label": _("Price (CNY)"), "items": price_items})
    steps, previous = [], None
    for step, n in facets.get("moq", []):
        if n != previous:  # "at most 10" adds nothing when it holds what "at most 1" does
            steps.append((step, moq_label(step), n))
        previous = n
    group(
        "moq",
        _("Minimum order"),
        steps,
        "max_moq",
        params.get("max_moq", ""),
    )
    return groups


def understood_chips(found, filters: ProductFilters, params: dict) -> list[dict]:
    """What the search understood (storage, certificate, place, synonyms, spellings), each
    with a link that takes its word as typed instead."""
    understood = found.results.understood if found.results else None
    if understood is None:
        return []
    labels = {
        "storage": _("Storage"),
        "certificate": _("Certificate"),
        "place": _("Place"),
        "synonym": _("Also searched"),
        "spelling": _("Spelling"),
    }
    storages, certificates = dict(Storage.choices), dict(Certification.choices)
    chips = []
    for chip in understood.chips:
        value = chip["value"]
        if chip["kind"] == "storage":
            value = storages.get(value, value)
        elif chip["kind"] == "certificate":
            value = certificates.get(value, value)
        literal = ",".join((*filters.literal, chip["word"]))
        chips.append(
            {
                "kind": chip["kind"],
                "label": labels.get(chip["kind"], ""),
                "word": chip["word"],
                "value": value,
                "remove_url": url_with(params, literal=literal),
            }
        )
    return chips


def active_filters(filters: ProductFilters, params: dict, category) -> list[dict]:
    labels = {
        "certification": dict(Certification.choices),
        "storage": dict(Storage.choices),
    }
    active = []
    for name in ("certification", "storage", "province", "min_price", "max_price", "max_moq", "category"):
        value = params.get(name)
        if not value:
            continue
        shown = labels.get(name, {}).get(value, value)
        if name == "category" and category is not None:
            shown = category.display_name
        active.append({"label": shown, "url": url_with(params, **{name: ""})})
    return active
