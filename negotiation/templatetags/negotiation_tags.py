"""Negotiation on public pages: responsiveness, the ways to start talks, and the viewer's own history."""

from django import template

register = template.Library()


@register.inclusion_tag("negotiation/_company_panel.html", takes_context=True)
def negotiation_panel(context, company, product=None):
    """On a company's booth or public page (or a product page, with ``product``): its answer
    figures for everyone; for a member of a counterpart company, the buttons to ask, request
    samples, book a meeting, block or report, and that company's own history with this one."""
    from exhibitors.selectors import current_membership

    from ..selectors import relationship_history, responsiveness_of

    request = context.get("request")
    user = getattr(request, "user", None)
    membership = None
    if user is not None and user.is_authenticated:
        membership = current_membership(user=user, session=request.session)
    counterpart = membership is not None and (
        (membership.buyer_id and company.kind == "exhibitor")
        or (membership.exhibitor_id and company.kind == "buyer")
    )
    return {
        "request": request,
        "user": user,
        "company": company,
        "product": product,
        "figures": responsiveness_of(company),
        "membership": membership,
        "is_counterpart": bool(counterpart),
        "as_buyer": bool(counterpart and membership.buyer_id),
        "history": relationship_history(membership=membership, company=company) if counterpart else None,
    }


@register.simple_tag(takes_context=True)
def negotiation_unread_count(context) -> int:
    value = context.get("negotiation_unread")
    return value() if callable(value) else (value or 0)
