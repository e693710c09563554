"""Credit on pages: the company credit profile (booth, company page) and the review state of the
lines on the buyer's order page."""

from django import template

register = template.Library()


@register.inclusion_tag("credit/_profile.html", takes_context=True)
def credit_profile(context, company):
    """An exhibitor's credit figures, each with its explanation, and its newest public reviews."""
    from ..selectors import credit_profile_of, public_reviews

    if getattr(company, "kind", "") != "exhibitor":
        return {"profile": None}
    return {
        "request": context.get("request"),
        "company": company,
        "profile": credit_profile_of(company),
        "reviews": public_reviews(exhibitor_id=company.pk),
    }


@register.simple_tag(takes_context=True)
def credit_order_reviews(context, order) -> dict:
    """The reviews of the person's own order, by line id (one query)."""
    from ..selectors import order_reviews

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return order_reviews(user=user, order=order)


@register.filter
def review_for(reviews: dict, line):
    return reviews.get(getattr(line, "pk", None)) if reviews else None


@register.filter
def percent(value) -> str:
    return "" if value is None else f"{round(value * 100)}%"


@register.filter
def is_delivered(line) -> bool:
    from order.statuses import LineStatus

    return getattr(line, "status", None) == LineStatus.DELIVERED
