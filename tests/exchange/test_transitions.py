"""Every step of the deal state machine: taken by the right party, refused to the wrong one,
refused from the wrong state, and to roles that may not negotiate."""

from decimal import Decimal

import pytest

from kinomost.core.models import AuditEvent
from kinomost.exchange import deals
from kinomost.exchange.errors import NotYourStep, StepRefused
from kinomost.exchange.models import DealState as S
from kinomost.core.errors import NotFound, PermissionDenied

from tests.factories import proposal

pytestmark = pytest.mark.django_db


def test_the_table_covers_the_states_of_the_issue():
    targets = {step.target for step in deals.TRANSITIONS.values()}
    assert targets == {S.PROPOSED, S.COUNTERED, S.AGREED, S.COUNTERSIGNED, S.SIGNED, S.ACTIVE, S.EXPIRED, S.CANCELLED, S.TERMINATED}


def test_a_draft_is_proposed_by_its_initiator_only(actor_a, actor_b, org_b, catalogue):
    deal = deals.create_deal(actor_a, org_b, proposal(catalogue))
    assert deal.state == S.DRAFT
    with pytest.raises(NotFound):  # a draft is private to its initiator: the other party does not see it
        deals.propose(actor_b, deal.pk)
    assert deals.propose(actor_a, deal.pk).state == S.PROPOSED


def test_the_receiver_counters_any_number_of_rounds_and_every_version_is_kept(proposed, actor_a, actor_b, catalogue):
    deals.counter(actor_b, proposed.pk, proposal(catalogue[:2], fee_per_work=Decimal("800")), note="two films, lower fee")
    with pytest.raises(NotYourStep):  # B wrote the latest version: it is A's turn
        deals.counter(actor_b, proposed.pk, proposal(catalogue[:1]))
    deals.counter(actor_a, proposed.pk, proposal(catalogue[:2], fee_per_work=Decimal("900")))
    deal = deals.accept(actor_b, proposed.pk)
    assert deal.state == S.AGREED
    versions = list(deal.versions.order_by("number"))
    assert [(v.number, v.author_id, v.fee_per_work, v.works.count()) for v in versions] == [
        (1, actor_a.organisation.pk, Decimal("1000.00"), 3),
        (2, actor_b.organisation.pk, Decimal("800.00"), 2),
        (3, actor_a.organisation.pk, Decimal("900.00"), 2),
    ]


def test_the_author_cannot_accept_its_own_proposal(proposed, actor_a):
    with pytest.raises(NotYourStep):
        deals.accept(actor_a, proposed.pk)


def test_reject_by_the_receiver_and_withdraw_by_the_author(proposed, actor_a, actor_b):
    with pytest.raises(NotYourStep):
        deals.reject(actor_a, proposed.pk)
    with pytest.raises(NotYourStep):
        deals.withdraw(actor_b, proposed.pk)
    deal = deals.reject(actor_b, proposed.pk, reason="not for us")
    assert (deal.state, deal.closed_reason) == (S.CANCELLED, "rejected")
    assert deal.messages.get().body == "not for us"


def test_withdraw(proposed, actor_a):
    assert deals.withdraw(actor_a, proposed.pk).state == S.CANCELLED


def test_either_party_calls_off_an_agreement(agreed, actor_b):
    assert deals.call_off(actor_b, agreed.pk).state == S.CANCELLED


def test_both_parties_sign_the_licensee_first(agreed, actor_a, actor_b):
    with pytest.raises(StepRefused):  # the licensee has not countersigned: nothing to sign yet
        deals.sign(actor_a, agreed.pk)
    with pytest.raises(NotYourStep):  # only the licensee countersigns
        deals.countersign(actor_a, agreed.pk)
    deal = deals.countersign(actor_b, agreed.pk, on_date="2026-11-30")
    assert (deal.state, str(deal.countersigned_on)) == (S.COUNTERSIGNED, "2026-11-30")
    assert deals.steps_for(actor_a, deal) == ["call_off", "sign"]
    with pytest.raises(NotYourStep):  # only the licensor signs
        deals.sign(actor_b, agreed.pk)
    assert deals.sign(actor_a, agreed.pk, on_date="2026-12-01").deal.state == S.SIGNED


def test_accepting_fewer_works_is_a_counter_proposal(proposed, actor_a, actor_b, catalogue):
    deal = deals.accept(actor_b, proposed.pk, works=[catalogue[0].pk, catalogue[2].pk])
    assert deal.state == S.COUNTERED  # the package's money must be re-agreed: the seller answers
    latest = deal.versions.order_by("-number").first()
    assert (latest.number, latest.author_id, set(latest.works.values_list("pk", flat=True))) == (
        2,
        actor_b.organisation_id,
        {catalogue[0].pk, catalogue[2].pk},
    )
    assert "re-agreed" in latest.note
    assert deals.steps_for(actor_a, deal) == ["counter", "accept", "reject"]
    assert deals.accept(actor_a, proposed.pk).state == S.AGREED


def test_steps_from_the_wrong_state_are_refused(countersigned, actor_a, actor_b):
    agreed = countersigned
    deals.sign(actor_a, agreed.pk, on_date="2026-12-01")
    for step in (
        lambda: deals.accept(actor_b, agreed.pk),
        lambda: deals.call_off(actor_b, agreed.pk),
        lambda: deals.propose(actor_a, agreed.pk),
        lambda: deals.sign(actor_a, agreed.pk),
        lambda: deals.countersign(actor_b, agreed.pk),
    ):
        with pytest.raises(StepRefused):
            step()


def test_a_proposed_deal_cannot_be_signed(proposed, actor_a):
    with pytest.raises(StepRefused):
        deals.sign(actor_a, proposed.pk)


def test_read_only_members_take_no_step(proposed, reader_a, actor_b):
    with pytest.raises(PermissionDenied):
        deals.withdraw(reader_a, proposed.pk)
    assert deals.steps_for(reader_a, proposed) == []
    assert deals.steps_for(actor_b, proposed) == ["counter", "accept", "reject"]


def test_a_third_organisation_does_not_see_the_deal(proposed, actor_c):
    for step in (
        lambda: deals.accept(actor_c, proposed.pk),
        lambda: deals.withdraw(actor_c, proposed.pk),
        lambda: deals.post_message(actor_c, proposed.pk, "hello"),
    ):
        with pytest.raises(NotFound):
            step()


def test_activate_terminate_and_expire(countersigned, actor_a, actor_b):
    agreed = countersigned
    deals.sign(actor_a, agreed.pk, on_date="2026-12-01")
    with pytest.raises(StepRefused):  # the window has not begun
        deals.activate(actor_b, agreed.pk, on_date="2026-12-15")
    with pytest.raises(NotYourStep):
        deals.terminate(actor_b, agreed.pk, on_date="2028-01-01")
    from kinomost.exchange.models import Deal

    deal = Deal.objects.get(pk=agreed.pk)
    assert deals.refresh("2029-12-31").expired == []
    assert deals.refresh("2030-01-01").expired == [deal.pk]
    assert Deal.objects.get(pk=deal.pk).state == S.EXPIRED


def test_termination_ends_the_remaining_grants(countersigned, actor_a, catalogue, org_b):
    agreed = countersigned
    from kinomost.rights.licensed import is_licensed

    deals.sign(actor_a, agreed.pk, on_date="2026-12-01")
    assert is_licensed(org_b, catalogue[0], "CN", "svod", __import__("datetime").date(2028, 6, 1))
    deal = deals.terminate(actor_a, agreed.pk, on_date="2028-01-01", reason="breach")
    assert deal.state == S.TERMINATED
    from datetime import date

    assert is_licensed(org_b, catalogue[0], "CN", "svod", date(2027, 6, 1))
    assert not is_licensed(org_b, catalogue[0], "CN", "svod", date(2028, 6, 1))


def test_offers_past_their_expiry_lapse(actor_a, org_b, catalogue):
    deal = deals.propose(actor_a, deals.create_deal(actor_a, org_b, proposal(catalogue), expires_on="2027-01-31").pk)
    assert deals.refresh("2027-01-31").lapsed == []
    assert deals.refresh("2027-02-01").lapsed == [deal.pk]


def test_every_step_is_audited_with_who_and_what_changed(countersigned, actor_a):
    agreed = countersigned
    deals.sign(actor_a, agreed.pk, on_date="2026-12-01")
    actions = list(
        AuditEvent.objects.filter(object_type="exchange.deal", object_id=str(agreed.pk)).order_by("id").values_list("action", "data")
    )
    names = [a for a, _ in actions]
    assert names[:5] == [
        "exchange.deal.drafted",
        "exchange.deal.propose",
        "exchange.deal.accept",
        "exchange.deal.countersign",
        "exchange.deal.sign",
    ]
    sign = dict(actions)["exchange.deal.sign"]
    assert (sign["before"], sign["after"], sign["signed_on"]) == ("countersigned", "signed", "2026-12-01")


def test_a_draft_is_revised_by_its_initiator_and_each_revision_kept(actor_a, actor_b, org_b, catalogue):
    deal = deals.create_deal(actor_a, org_b, proposal(catalogue))
    deals.revise_draft(actor_a, deal.pk, proposal(catalogue[:1], currency="EUR"))
    assert [(v.number, v.currency, v.works.count()) for v in deal.versions.order_by("number")] == [(1, "USD", 3), (2, "EUR", 1)]
    with pytest.raises(NotFound):
        deals.revise_draft(actor_b, deal.pk, proposal(catalogue))
    deals.propose(actor_a, deal.pk)
    with pytest.raises(StepRefused):
        deals.revise_draft(actor_a, deal.pk, proposal(catalogue))


def test_a_buyer_may_draft_a_request_for_the_sellers_works(actor_a, actor_b, org_a, catalogue):
    deal = deals.create_deal(actor_b, org_a, proposal(catalogue[:2]), as_licensor=False)
    assert (deal.licensor, deal.licensee, deal.initiator) == (org_a, actor_b.organisation, actor_b.organisation)
    deal = deals.propose(actor_b, deal.pk)
    assert deals.steps_for(actor_a, deal) == ["counter", "accept", "reject"]


def test_works_outside_the_licensors_catalogue_are_refused(actor_a, org_b, catalogue):
    from kinomost.core.errors import InvalidInput
    from tests.factories import make_work

    foreign = make_work(org_b, "not-yours")
    with pytest.raises(InvalidInput) as refused:
        deals.create_deal(actor_a, org_b, proposal([*catalogue, foreign]))
    assert "works" in refused.value.field_problems()


def test_messages_sit_beside_the_versions_and_notify_the_other_party(proposed, actor_b, org_a):
    from kinomost.exchange.models import Notification

    deals.post_message(actor_b, proposed.pk, "Can you add subtitles?")
    assert list(proposed.messages.values_list("body", flat=True)) == ["Can you add subtitles?"]
    assert Notification.objects.filter(organisation=org_a, kind="message", deal=proposed).exists()
