"""``{% company_matches membership as panel %}``: the matches shown on the company dashboard."""

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from buyers.models import SourcingRequest
from search.matching import match_subject
from stats.services import log_matches

register = template.Library()

DASHBOARD_MATCHES = 6


@register.simple_tag
def company_matches(membership, limit: int = DASHBOARD_MATCHES) -> dict:
    """A buyer's recommended suppliers, or the buyers and requests looking for what an
    exhibitor sells (with a link to quote on each request)."""
    company = membership.company
    if company.kind == "exhibitor":
        answer = log_matches(answer=match_subject("exhibitor", company.key, limit=limit), source="page")
        _link_quotes(answer["results"])
        return {"answer": answer, "heading": _("Buyers looking for what you sell")}
    answer = log_matches(answer=match_subject("buyer", company.key, limit=limit), source="page")
    return {"answer": answer, "heading": _("Recommended suppliers")}


def _link_quotes(results: list[dict]) -> None:
    wanted = [tuple(r["key"].split("/", 1)) for r in results if r["kind"] == "request"]
    if not wanted:
        return
    ids = {
        (buyer_key, reference): pk
        for pk, buyer_key, reference in SourcingRequest.objects.filter(
            buyer__key__in={w[0] for w in wanted}, reference__in={w[1] for w in wanted}
        ).values_list("pk", "buyer__key", "reference")
    }
    for result in results:
        pk = ids.get(tuple(result["key"].split("/", 1))) if result["kind"] == "request" else None
        if pk is not None:
            result["quote_url"] = f"{reverse('company:negotiation-quote-new')}?request={pk}"
