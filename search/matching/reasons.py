"""What a person reads about a match: the names and details of each counterpart and the
reasons it was chosen, in the reader's language."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from buyers.models import Buyer, SourcingRequest
from catalogue.models import Storage
from exhibitors.models import Exhibitor

from . import terms as term_tools
from .candidates import Candidate
from .categories import CategoryTree
from .subjects import Subject

Product = get_model("catalogue", "Product")


def _details(chosen: list[Candidate], *, tree: CategoryTree) -> dict[tuple[str, int], dict]:
    """Names, links and the texts keywords are looked for in, for the chosen results only."""
    ids: dict[str, set[int]] = {"product": set(), "exhibitor": set(), "buyer": set(), "request": set()}
    for candidate in chosen:
        ids[candidate.kind].add(candidate.id)
    details: dict[tuple[str, int], dict] = {}
    for product in Product.objects.filter(id__in=ids["product"]).only(
        "id", "title", "title_en", "slug", "description", "description_en"
    ):
        details[("product", product.id)] = {
            "name": product.display_title,
            "url": reverse("catalogue:detail", kwargs={"product_slug": product.slug, "pk": product.id}),
            "texts": [product.title, product.title_en, product.description, product.description_en],
        }
    # Category names come from the tree: the candidate knows its categories that fit
    # (declared or of its products; a buyer's interests), so no query is needed for them.
    fitting = {(c.kind, c.id): c.categories for c in chosen}

    def category_names(kind: str, pk: int) -> list[str]:
        return [n for i in sorted(fitting[(kind, pk)]) for n in (tree.by_id[i].name, tree.by_id[i].name_en)]

    for exhibitor in Exhibitor.objects.filter(id__in=ids["exhibitor"]):
        details[("exhibitor", exhibitor.id)] = {
            "name": exhibitor.display_name,
            "url": reverse("directory:exhibitor-detail", args=[exhibitor.key]),
            "texts": [
                exhibitor.name_zh,
                exhibitor.name_en,
                exhibitor.description_zh,
                exhibitor.description_en,
                *category_names("exhibitor", exhibitor.id),
            ],
        }
    for buyer in Buyer.objects.filter(id__in=ids["buyer"]):
        details[("buyer", buyer.id)] = {
            "name": buyer.display_name,
            "url": reverse("directory:buyer-detail", args=[buyer.key]),
            "texts": [
                buyer.name_zh,
                buyer.name_en,
                buyer.description_zh,
                buyer.description_en,
                *(buyer.keywords or []),
                *category_names("buyer", buyer.id),
            ],
        }
    for request in SourcingRequest.objects.filter(id__in=ids["request"]).select_related("buyer", "category"):
        details[("request", request.id)] = {
            "name": f"{request.title} · {request.buyer.display_name}",
            "url": reverse("directory:buyer-detail", args=[request.buyer.key]),
            "texts": [
                request.title,
                request.description,
                *((request.category.name, request.category.name_en) if request.category else ()),
            ],
        }
    return details


def _result(candidate: Candidate, *, subject: Subject, details: dict) -> dict:
    return {
        "kind": candidate.kind,
        "key": candidate.key,
        "score": candidate.score,
        "reasons": _reasons(candidate, subject=subject, texts=details["texts"]),
        "name": details["name"],
        "url": details["url"],
    }


def _reasons(candidate: Candidate, *, subject: Subject, texts: list[str]) -> list[str]:
    """What a person reads: one line per signal that counted, strongest first."""
    signals = candidate.signals
    reasons = []
    fit = candidate.fit
    if fit is not None:
        if fit.have.id == fit.wanted.id:
            reasons.append(_("category: %(category)s") % {"category": fit.have.label})
        else:
            reasons.append(
                _("category: %(category)s (in %(parent)s)")
                % {"category": fit.have.label, "parent": fit.wanted.label}
            )
    for code in subject.required if subject.seeks_suppliers else candidate.required:
        reasons.append(_("certified: %(code)s") % {"code": code})
    storage = subject.storage if subject.seeks_suppliers else candidate.storage
    if storage:
        reasons.append(_("storage: %(storage)s") % {"storage": _storage_label(storage)})
    if "keywords" in signals:
        words = term_tools.matched_terms(subject.terms, *texts)
        if words:
            reasons.append(_("keywords: %(words)s") % {"words": ", ".join(words)})
        else:
            reasons.append(_("keywords match"))
    if candidate.market:
        reasons.append(_("market: %(market)s") % {"market": candidate.market})
    if "moq" in signals:
        quantity = subject.quantity if subject.seeks_suppliers else candidate.quantity
        reasons.append(
            _("minimum order %(moq)s within the %(quantity)s wanted")
            % {"moq": candidate.moq, "quantity": _number(quantity)}
        )
    if "price" in signals:
        target = subject.target_price if subject.seeks_suppliers else candidate.target_price
        currency = subject.currency if subject.seeks_suppliers else candidate.currency
        reasons.append(
            _("price %(price)s %(currency)s within the target %(target)s")
            % {"price": _number(candidate.price), "currency": currency, "target": _number(target)}
        )
    if "exhibiting" in signals:
        reasons.append(_("exhibiting at the %(year)s expo") % {"year": candidate.exhibiting})
    if "responsive" in signals:
        hours, rate = candidate.answer_hours, round(100 * candidate.answer_rate)
        if hours is not None:
            reasons.append(
                _("answers %(rate)s%% of enquiries, typically within %(hours)s h")
                % {"rate": rate, "hours": _number(Decimal(str(round(hours, 1))))}
            )
        else:
            reasons.append(_("answers %(rate)s%% of enquiries") % {"rate": rate})
    if candidate.credit is not None:
        reasons.append(candidate.credit.reason)
    reasons.append(_("verified by the expo"))
    return reasons


def _storage_label(code: str) -> str:
    return str(dict(Storage.choices).get(code, code))


def _number(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
    return str(value)
