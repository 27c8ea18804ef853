"""Which roles may act in the exchange — the one owner of that rule for this app."""

from kinomost.parties.roles import WRITE_CATALOGUE

NEGOTIATE = WRITE_CATALOGUE  # build offers, counter, accept, sign, terminate, record approvals
