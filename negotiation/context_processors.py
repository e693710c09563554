"""The unread-messages badge in the site header."""

from functools import cache


def unread(request):
    """``negotiation_unread``: threads of the current company with unread messages; computed only
    when a template shows it (two small queries), nothing for visitors."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    @cache
    def count() -> int:
        from exhibitors.selectors import current_membership

        from .selectors import unread_thread_count

        membership = current_membership(user=user, session=request.session)
        return unread_thread_count(membership=membership) if membership else 0

    return {"negotiation_unread": count}
