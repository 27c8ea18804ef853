"""The start page tells each role what needs them, each item a link; signed out it says what
Kinomost is and leads to sign-in and the storefronts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kinomost.cinema.models import Asset, Platform
from kinomost.exchange.models import (
    Approval,
    ApprovalKind,
    ApprovalStatus,
    Deal,
    DealState,
    Notification,
    NotificationKind,
)
from kinomost.parties import services as parties
from kinomost.parties.models import Role
from tests.conftest import PASSWORD
from tests.web.test_pickers import works  # noqa: F401 - the fixture


@pytest.fixture
def situation(org_a, org_b, works):  # noqa: F811
    mine, _hidden = works
    soon = timezone.localdate() + timedelta(days=5)
    deal = Deal.objects.create(
        licensor=org_b, licensee=org_a, initiator=org_b, name="Pearl package", state=DealState.PROPOSED, expires_on=soon
    )
    Approval.objects.create(
        organisation=org_a, work=mine, territory="CN", kind=ApprovalKind.CN_SCREENING_PERMIT, status=ApprovalStatus.REVOKED
    )
    Notification.objects.create(organisation=org_a, kind=NotificationKind.OFFER_RECEIVED, deal=deal, data={"deal_name": deal.name})
    platform = Platform.objects.create(
        organisation=org_a, slug="kino", name="Kino Plus", territories=["RU"], media=["svod"], languages=["ru"]
    )
    Asset.objects.create(organisation=org_a, work=mine, platform=platform, key=b"k" * 16, iv=b"i" * 16)
    return deal


def test_a_licensing_manager_sees_what_awaits_them_as_links(client_a, situation):
    client_a.post("/i18n/setlang/", {"language": "ru", "next": "/"})
    page = client_a.get("/").content.decode()
    deal = situation
    assert page.count(f'href="/studio/exchange/deals/{deal.pk}/"') >= 3  # awaiting, expiring, the notice
    assert "Сделки, ждущие нашего шага" in page and "Принять" in page and "counter" not in page
    assert "Отозвано" in page and "Китай" in page  # the revoked approval, its country named
    assert "Задания на обработку" in page and "/studio/cinema/assets/" in page
    assert page.index("dash-deals") < page.index("dash-ingest")


def test_a_platform_operator_sees_ingest_first(client, org_a, situation):
    user = parties.create_member(email="ops@rusmedia.example", organisation=org_a, role=Role.PLATFORM_OPERATOR, password=PASSWORD)[0]
    client.force_login(user)
    page = client.get("/").content.decode()
    assert page.index("dash-ingest") < page.index("dash-deals")


def test_another_organisation_sees_none_of_it(client_b, situation):
    page = client_b.get("/").content.decode()
    assert "Pearl package" in page  # B is the licensor: the deal is B's too
    assert "/studio/cinema/assets/" not in page and "Stalingrad" not in page


def test_signed_out_landing_says_what_kinomost_is_and_lists_storefronts(client, situation):
    client.cookies["django_language"] = "zh-hans"
    page = client.get("/").content.decode()
    assert "登录工作台" in page and "在线影院" in page and "/watch/rus-media/kino/" in page
    assert "Pearl package" not in page
