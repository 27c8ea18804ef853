"""Licence territories as the trade writes them: a former country is refused naming what to write
instead, Kosovo is licensed as XK, UK means GB."""

import pytest

from kinomost.core.errors import InvalidInput
from kinomost.rights.avails import values
from kinomost.rights.models import Term
from tests.factories import hold

API = "/api/v1/rights"


def test_a_holding_for_the_ussr_is_refused_with_its_successors_and_nothing_is_recorded(client, film, token_a):
    body = {"works": ["brother"], "territories": ["SU"], "media": ["vod"], "start": "2026-01-01", "reference": "ACQ-SU"}
    r = client.post(f"{API}/holdings", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token_a}")
    assert r.status_code == 422, r.content
    answer = r.json()
    assert answer["error"] == "invalid_input" and "'SU'" in answer["message"]
    problem = next(d["message"] for d in answer["details"] if d.get("field") == "territories")
    assert all(code in problem for code in ("RU", "UA", "KZ", "CIS"))
    assert not Term.objects.exists()


def test_kosovo_and_uk_are_licence_territories(org_a, film):
    term = hold(org_a, [film], territories="XK; UK", media="svod")
    assert sorted(term.atoms.values_list("territory", flat=True).distinct()) == ["GB", "XK"]


def test_the_avails_reader_notes_uk_and_refuses_a_former_country():
    assert values.territory("UK")[0] == "GB" and "'UK'" in values.territory("UK")[1]
    assert values.territory("XK") == ("XK", None)
    with pytest.raises(InvalidInput, match="DE"):
        values.territory("DD")
