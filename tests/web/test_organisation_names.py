"""Organisations and quota rules are named in the reader's language (issue 17 §1): names per
language (`names`, as people's) set where they are created and edited, shown through the names
filters on deal pages, offers, the balance, the switcher, pickers' results and notices."""

import pytest
from django.core.management import call_command

from kinomost.core.errors import InvalidInput
from kinomost.exchange import deals, offers, quotas
from kinomost.exchange.models import Notification, NotificationKind, QuotaRule
from kinomost.parties import services as parties
from kinomost.parties.models import Organisation, Role
from tests.factories import proposal
from tests.web.test_exchange_pages import catalogue  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

A_NAMES = {"ru": "Рус Медиа Групп", "zh-Hans": "俄罗斯传媒集团", "en": "Rus Media Group"}
B_NAMES = {"ru": "Шанхайская медиагруппа", "zh-Hans": "上海传媒集团", "en": "Shanghai Media Group"}


@pytest.fixture
def named(org_a, org_b):
    parties.rename_organisation(organisation=org_a, names=A_NAMES, name="RMG stored")
    parties.rename_organisation(organisation=org_b, names=B_NAMES, name="SMG stored")
    return org_a, org_b


def _get(client, url, language):
    client.cookies["django_language"] = language
    return client.get(url).content.decode()


@pytest.mark.parametrize("language, tag", [("ru", "ru"), ("zh-hans", "zh-Hans"), ("en", "en")])
def test_the_deal_page_names_both_parties_in_the_readers_language(client_a, actor_a, named, catalogue, language, tag):  # noqa: F811
    deal = deals.propose(actor_a, deals.create_deal(actor_a, named[1], proposal(catalogue)).pk)
    page = _get(client_a, f"/studio/exchange/deals/{deal.pk}/", language)
    assert A_NAMES[tag] in page and B_NAMES[tag] in page
    assert "RMG stored" not in page and "SMG stored" not in page
    exchange_home = _get(client_a, "/studio/exchange/", language)
    assert B_NAMES[tag] in exchange_home and "SMG stored" not in exchange_home  # the deals' other party


def test_the_offer_page_names_its_sender_for_the_buyer(client_b, actor_a, named, catalogue):  # noqa: F811
    offer = offers.create_offer(actor_a, name="Spring", proposal=proposal(catalogue))
    offers.send_offer(actor_a, offer.pk, [named[1].slug])
    page = _get(client_b, f"/studio/exchange/offers/{offer.pk}/", "zh-hans")
    assert "Spring" in page and A_NAMES["zh-Hans"] in page and "RMG stored" not in page


def test_a_name_missing_in_the_readers_language_falls_back(client_a, org_a):
    parties.rename_organisation(organisation=org_a, names={"en": "Rus Media Group"}, name="Рус Медиа")
    assert "Rus Media Group" in _get(client_a, "/studio/organisation/", "zh-hans")
    parties.rename_organisation(organisation=org_a, names={})
    assert "Рус Медиа" in _get(client_a, "/studio/organisation/", "zh-hans")  # the stored name at last


def test_the_switcher_and_the_top_bar_name_organisations_in_the_readers_language(client_a, user_a, named):
    sub = parties.create_organisation(
        slug="rus-sub", name="stored sub", names={"ru": "Дочерняя студия", "zh-Hans": "子公司"}, parent_slug=named[0].slug
    )
    assert sub.names == {"ru": "Дочерняя студия", "zh-Hans": "子公司"}
    page = _get(client_a, "/", "ru")
    switcher = page[page.index('id="org-switcher"') : page.index("</form>", page.index('id="org-switcher"'))]
    assert "Рус Медиа Групп" in switcher and "Дочерняя студия" in switcher and "stored sub" not in switcher


def test_the_organisation_picker_finds_and_labels_by_any_name(client_a, named):
    client_a.cookies["django_language"] = "ru"
    for typed in ("上海", "шанхай", "shanghai-media", "SMG"):
        results = client_a.get("/studio/lookup/organisations/", {"q": typed}).json()["results"]
        assert results == [{"value": "shanghai-media", "label": "Шанхайская медиагруппа"}], typed
    assert client_a.get("/studio/lookup/organisations/", {"q": "Рус Медиа"}).json()["results"] == []  # not itself
    assert len(client_a.get("/studio/lookup/organisations/", {"q": "Рус Медиа", "self": "1"}).json()["results"]) == 1


def test_an_owner_names_the_organisation_on_its_page(client, org_a):
    owner = parties.create_member(email="owner@rusmedia.example", organisation=org_a, role=Role.OWNER)[0]
    client.force_login(owner)
    assert 'id="organisation-names"' in _get(client, "/studio/organisation/", "en")
    response = client.post("/studio/organisation/names/", {"name_ru": " Рус Медиа ", "name_zh-Hans": "俄传媒", "name_en": ""})
    assert response.status_code == 302
    org_a.refresh_from_db()
    assert org_a.names == {"ru": "Рус Медиа", "zh-Hans": "俄传媒"}  # trimmed; the empty one removed
    assert "<h1>俄传媒</h1>" in _get(client, "/studio/organisation/", "zh-hans")


def test_a_licensing_manager_cannot_rename_the_organisation(client_a, org_a):
    assert 'id="organisation-names"' not in _get(client_a, "/studio/organisation/", "en")
    response = client_a.post("/studio/organisation/names/", {"name_ru": "Захват"})
    assert response.status_code == 403
    org_a.refresh_from_db()
    assert "Захват" not in str(org_a.names)


def test_names_that_are_not_a_mapping_of_tags_are_refused():
    with pytest.raises(InvalidInput):
        parties.create_organisation(slug="bad-names", name="Bad", names={"not a tag!": "x"})
    with pytest.raises(InvalidInput):
        parties.create_organisation(slug="bad-names", name="Bad", names=["ru", "x"])
    assert not Organisation.objects.filter(slug="bad-names").exists()


def test_the_cli_names_an_organisation_and_a_quota_rule_per_language(capsys):
    call_command("orgs", "create", "cli-org", "--name", "CLI Org", "--name-ru", "Орг", "--name-zh", "机构", "--country", "RU")
    assert Organisation.objects.get(slug="cli-org").names == {"ru": "Орг", "zh-Hans": "机构"}
    call_command(
        "quotas", "define", "--name", "KZ films", "--name-ru", "Казахстан: фильмы", "--rule-territory", "KZ",
        "--media", "theatrical", "--measure", "count", "--limit", "5",
    )  # fmt: skip
    assert QuotaRule.objects.get(name="KZ films").names == {"ru": "Казахстан: фильмы"}


@pytest.mark.parametrize(
    "language, name",
    [("ru", "Китай, онлайн: доля зарубежных названий в каталоге платформы"), ("zh-hans", "中国网络：平台片库中的境外影视剧")],
)
def test_a_shipped_quota_rule_is_named_in_the_readers_language(client_a, language, name):
    page = _get(client_a, "/studio/exchange/quotas/", language)
    assert name in page and "China, online" not in page


def test_a_quota_rule_renamed_per_language_is_shown_so(client_a):
    rule = quotas.define_rule(
        name="KZ films", names={"ru": "Казахстан: фильмы", "zh-Hans": "哈萨克斯坦：影片"}, territory="KZ", media="theatrical",
        measure="count", limit=5,
    )  # fmt: skip
    assert "哈萨克斯坦：影片" in _get(client_a, "/studio/exchange/quotas/", "zh-hans")
    with pytest.raises(InvalidInput):
        quotas.define_rule(name="bad", names={"??": "x"}, territory="KZ", media="theatrical", measure="count", limit=5)
    assert QuotaRule.objects.filter(pk=rule.pk).exists()


def test_a_quota_notice_names_the_rule_in_the_readers_language(client_a, org_a):
    rule = QuotaRule.objects.get(name="China, online: foreign titles in the platform's catalogue")
    Notification.objects.create(
        organisation=org_a,
        kind=NotificationKind.QUOTA_NEAR_LIMIT,
        data={"rule": rule.pk, "name": rule.name, "year": 2027, "after": "28", "limit": "30", "measure": "share",
              "over": False, "near_limit": True, "hard": False},
    )  # fmt: skip
    page = _get(client_a, "/studio/exchange/inbox/", "zh-hans")
    assert "中国网络：平台片库中的境外影视剧" in page and "China, online" not in page


def test_the_balance_names_its_sides_not_their_slugs(client_a, actor_a, named, catalogue):  # noqa: F811
    deals.propose(actor_a, deals.create_deal(actor_a, named[1], proposal(catalogue)).pk)
    page = _get(client_a, "/studio/exchange/balance/?scope=organisation&a=rus-media&b=shanghai-media", "ru")
    table = page[page.index('id="balance"') :]
    assert "Рус Медиа Групп → Шанхайская медиагруппа" in table and "rus-media →" not in table
