"""The studio nav's unread count of the exchange inbox (one query per page)."""

from django import template

from kinomost.exchange import inbox

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notices(context) -> int:
    request = context.get("request")
    actor = getattr(request, "actor", None)
    if actor is None or getattr(actor, "user", None) is None:
        return 0
    return inbox.inbox(actor, unread_only=True).count()
