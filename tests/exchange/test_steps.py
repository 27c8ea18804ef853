"""`exchange.steps.take_step`: the one dispatcher the studio's buttons and the API share."""

import pytest

from kinomost.core.errors import InvalidInput, NotFound
from kinomost.exchange.models import DealState as S
from kinomost.exchange.steps import STEPS, StepInput, take_step

from .conftest import proposal

pytestmark = pytest.mark.django_db


def test_a_stranger_hears_nothing_but_not_found_whatever_the_step_or_input(proposed, actor_c):
    for step in [*STEPS, "dance"]:
        with pytest.raises(NotFound):
            take_step(actor_c, proposed.pk, step, StepInput())


def test_an_unknown_step_names_the_steps_there_are(proposed, actor_a):
    with pytest.raises(InvalidInput) as refused:
        take_step(actor_a, proposed.pk, "dance")
    assert refused.value.details == [{"step": "dance", "steps": sorted(STEPS)}]


def test_a_counter_needs_a_proposal_and_takes_the_note(proposed, actor_b, catalogue):
    with pytest.raises(InvalidInput):
        take_step(actor_b, proposed.pk, "counter", StepInput())
    deal = take_step(actor_b, proposed.pk, "counter", StepInput(proposal=proposal(catalogue[:1]), note="one film"))
    assert deal.state == S.COUNTERED
    latest = deal.versions.order_by("-number").first()
    assert (latest.note, latest.works.count()) == ("one film", 1)
