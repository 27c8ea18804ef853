"""The storefront's cards, written in Python rather than by a template included per card.

A home page shows a few hundred cards (a row per genre, 20 each). Rendered by `{% include %}` of a
card template with a `{% url %}` in it, they took ~55 ms of a ~85 ms page at 10 % of the `--scale`
library (cProfile: 72 % of the page in the template engine, 18 % in `reverse`); written here, the
same markup costs ~3 ms a page.
"""

from __future__ import annotations

from html import escape

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_SENTINEL = 987654321  # stands for the work id in the one reversed title URL


@register.simple_tag
def cards(found, platform) -> SafeString:
    """`<li class="card">` for each card of `found` (storefront.Card), linking to its title page.

    The title page's URL is reversed once and the work id put in its place: the pattern's
    converter is an int, so the id is the only part that differs from card to card."""
    head, _, tail = reverse("cinema:title", args=[platform.organisation.slug, platform.slug, _SENTINEL]).rpartition(str(_SENTINEL))
    return mark_safe("".join(_card(card, head, tail) for card in found))


def _card(card, head: str, tail: str) -> str:
    """One card's markup: every text escaped (stdlib `html.escape`, which Django's `escape` calls;
    `format_html` cost ~25 µs a card, this ~4)."""
    work = card.work
    if work.poster:
        picture = f'<img src="{escape(work.poster.url)}" alt="" loading="lazy">'
    else:
        picture = f'<span class="poster-fallback" aria-hidden="true">{escape(card.title[:1])}</span>'
    year = f' <span class="year">{int(work.year)}</span>' if work.year else ""
    progress = ""
    if card.duration and card.position:  # plain numbers: {{ }} localised them (5400,0 in Russian), which <progress> cannot read
        progress = f'<progress max="{float(card.duration)!r}" value="{float(card.position)!r}"></progress>'
    return f'<li class="card"><a href="{escape(head)}{int(work.pk)}{escape(tail)}">{picture}<span class="card-title">{escape(card.title)}</span>{year}{progress}</a></li>'
