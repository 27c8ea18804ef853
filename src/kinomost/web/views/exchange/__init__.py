"""Studio pages of the exchange, a module per concern: `deals` (the list, offers, deals, counters),
`approvals` (approvals and quota counters), `balance`, `inbox`; what they share is in `forms`
(inputs) and `presenters` (how results are written). The names below are what `web.urls` routes."""

from kinomost.web.views.exchange.approvals import approval_list, approval_status, quota_page
from kinomost.web.views.exchange.balance import balance_page
from kinomost.web.views.exchange.deals import (
    deal_confirm,
    deal_counter,
    deal_detail,
    deal_message,
    deal_step,
    exchange_home,
    offer_detail,
    offer_edit,
    offer_from_available,
    offer_new,
    offer_send,
)
from kinomost.web.views.exchange.inbox import inbox_page, inbox_read

__all__ = [
    "approval_list",
    "approval_status",
    "balance_page",
    "deal_confirm",
    "deal_counter",
    "deal_detail",
    "deal_message",
    "deal_step",
    "exchange_home",
    "inbox_page",
    "inbox_read",
    "offer_detail",
    "offer_edit",
    "offer_from_available",
    "offer_new",
    "offer_send",
    "quota_page",
]
