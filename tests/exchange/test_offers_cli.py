"""Packages by a saved filter, the inbox, and the CLI."""

from io import StringIO

import pytest
from django.core.management import call_command

from kinomost.catalog.models import Work
from kinomost.exchange import deals, inbox, notifications, offers, selectors
from kinomost.exchange.models import DealState as S, NotificationKind
from tests.factories import give

from tests.factories import CN_SVOD, proposal

pytestmark = pytest.mark.django_db


def test_a_saved_filter_selects_works_by_year_and_availability(actor_a, org_a, org_c, catalogue):
    Work.objects.filter(pk__in=[w.pk for w in catalogue]).update(year=2001)
    Work.objects.filter(pk=catalogue[2].pk).update(year=1990)
    give(org_a, org_c, [catalogue[1]], territories="CN", media="svod")
    flt = offers.PackageFilter(kind="feature", year_from=2000, available_for=CN_SVOD)
    offer = offers.create_offer(actor_a, name="2000s", proposal=proposal([]), package_filter=flt)
    assert list(offer.items.values_list("work__ref", flat=True)) == ["film-1"]
    assert offer.saved_filter["year_from"] == 2000


def test_sending_to_two_organisations_opens_two_deals(actor_a, actor_b, org_b, org_c, catalogue):
    offer = offers.create_offer(actor_a, name="Package", proposal=proposal(catalogue), message="hello")
    opened = offers.send_offer(actor_a, offer.pk, ["shanghai-media", "kazakh-film"])
    assert sorted(d.licensee.slug for d in opened) == ["kazakh-film", "shanghai-media"]
    assert all(d.state == S.PROPOSED for d in opened)
    assert [d.reference for d in selectors.deals_of(actor_b)] == [next(d for d in opened if d.licensee == org_b).reference]


def test_inbox_read_per_member(proposed, user_b, actor_b):
    from kinomost.parties.context import Actor

    member = Actor(organisation=actor_b.organisation, role=actor_b.role, user=user_b)
    (notice,) = inbox.inbox(member, unread_only=True)
    assert notice.kind == NotificationKind.OFFER_RECEIVED
    assert inbox.notification_text(notice) == "Offer received: First package"
    notifications.mark_read(member, [notice.pk])
    assert list(inbox.inbox(member, unread_only=True)) == []


def test_offer_expiring_reminder_is_sent_once(actor_a, org_b, catalogue):
    deal = deals.propose(actor_a, deals.create_deal(actor_a, org_b, proposal(catalogue), expires_on="2027-01-31").pk)
    assert deals.refresh("2027-01-20").reminded == 2
    assert deals.refresh("2027-01-21").reminded == 0
    assert deal.pk in [n.deal_id for n in inbox.inbox(type("A", (), {"organisation_id": org_b.pk, "user": None})())]


def test_cli_deals_list_and_quotas(proposed):
    out = StringIO()
    call_command("deals", "list", "--org", "shanghai-media", stdout=out)
    assert proposed.reference in out.getvalue() and "licensee" in out.getvalue()
    out = StringIO()
    call_command("quotas", "--territory", "CN", "--year", "2027", stdout=out)
    assert "China, theatrical" in out.getvalue() and "0 / 34" in out.getvalue()
