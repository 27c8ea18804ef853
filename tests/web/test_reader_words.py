"""What the database stores as codes reaches the reader in words of their language: countries and
territory groups, media, money (CLDR), people, quota rules; times in their zone, with the zone."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from kinomost.catalog.models import Credit, Person
from kinomost.core.money import format_money
from kinomost.core.territories import territories_text, territory_name
from kinomost.core.timezones import format_time, zone_for, zone_of_country


@pytest.mark.parametrize("language, expected", [("ru", "189\xa0800,00\xa0$"), ("zh-hans", "US$189,800.00"), ("en", "US$189,800.00")])
def test_money_is_written_as_the_reader_writes_it(language, expected):
    assert format_money(Decimal(189800), "USD", language) == expected


def test_money_is_rounded_to_the_currency_minor_unit():
    assert format_money("1234.567", "JPY", "en") == "JP¥1,235"
    assert format_money("10.005", "RUB", "ru") == "10,00\xa0₽"


@pytest.mark.parametrize(
    "language, words",
    [
        ("ru", "Большой Китай, Содружество Независимых Государств, кроме: Гонконг"),
        ("zh-hans", "大中华区, 独立国家联合体（不含中国香港特别行政区）"),
        ("en", "Greater China, Commonwealth of Independent States excluding Hong Kong SAR China"),
    ],
)
def test_territory_groups_and_countries_are_named(language, words):
    assert territories_text(["GREATER_CHINA", "CIS"], ["HK"], language).startswith(words.split(",")[0])
    assert "GREATER_CHINA" not in territories_text(["GREATER_CHINA"], [], language)
    assert territory_name("RU", language) in {"ru": "Россия", "zh-hans": "俄罗斯", "en": "Russia"}.values()
    assert territory_name("WORLD", language).lower() in ("весь мир", "世界", "world")
    assert territory_name("150", language) in ("Европа", "欧洲", "Europe")


def test_times_are_in_the_readers_zone_and_say_it():
    moment = datetime(2026, 12, 3, 13, 23, tzinfo=UTC)
    assert format_time(moment, "Europe/Moscow", "ru") == "2026-12-03 16:23 (Москва, GMT+03:00)"
    assert format_time(moment, "Asia/Shanghai", "zh-hans") == "2026-12-03 21:23 (上海, GMT+08:00)"
    assert format_time(moment, "UTC", "en") == "2026-12-03 13:23 (UTC)"


def test_the_zone_is_the_users_choice_else_their_organisations_country(user_a, org_a):
    org_a.country = "RU"
    assert zone_of_country("RU") == "Europe/Moscow" and zone_of_country("CN") == "Asia/Shanghai"
    assert zone_of_country("") == "UTC"
    assert zone_for(user_a, org_a) == "Europe/Moscow"
    user_a.time_zone = "Asia/Shanghai"
    assert zone_for(user_a, org_a) == "Asia/Shanghai"
    user_a.time_zone = "Mars/Olympus"  # not a zone: the organisation's country decides
    assert zone_for(user_a, org_a) == "Europe/Moscow"


@pytest.fixture
def work_a(org_a):
    from kinomost.catalog.services import WorkInput, save_work

    return save_work(
        org_a,
        WorkInput(
            ref="ZD-1",
            kind="feature",
            original_title="Зимний день",
            original_language="ru",
            titles={"ru": "Зимний день", "en": "A Winter Day"},
        ),
    )[0]


@pytest.mark.parametrize(
    "language, shown, hidden",
    [("zh-hans", "安德烈·奥尔洛夫", "Андрей Орлов"), ("en", "Andrei Orlov", "Андрей Орлов"), ("ru", "Андрей Орлов", "安德烈")],
)
def test_credited_people_are_named_in_the_interface_language(client_a, work_a, language, shown, hidden):
    person = Person.objects.create(name="Андрей Орлов", names={"ru": "Андрей Орлов", "zh-Hans": "安德烈·奥尔洛夫", "en": "Andrei Orlov"})
    Credit.objects.create(work=work_a, person=person, role=Credit._meta.get_field("role").choices[0][0])
    client_a.post("/i18n/setlang/", {"language": language, "next": "/"})
    page = client_a.get(f"/studio/works/{work_a.pk}/").content.decode()
    assert shown in page and hidden not in page


def test_every_studio_page_has_a_favicon(client_a):
    page = client_a.get("/").content.decode()
    assert 'rel="icon"' in page and "kinomost/favicon.svg" in page


def test_favicon_ico_leads_to_the_icon_the_pages_link(client):
    """Browsers ask /favicon.ico on pages that link no icon (the storefront, the TV app): it
    answers, signed out, with the studio's icon, not a 404."""
    answer = client.get("/favicon.ico")
    assert answer.status_code == 301 and answer["Location"] == "/static/kinomost/favicon.svg"
    icon = client.get(answer["Location"])
    assert icon.status_code == 200 and b"<svg" in b"".join(icon.streaming_content if icon.streaming else [icon.content])
    assert client.post("/favicon.ico").status_code == 405


def test_a_person_chooses_the_zone_their_times_are_shown_in(client_a, user_a, org_a):
    from kinomost.exchange.models import Notification, NotificationKind

    Notification.objects.create(organisation=org_a, kind=NotificationKind.MESSAGE, data={"deal_name": "Spring"})
    assert "(Moscow, GMT+03:00)" in client_a.get("/studio/exchange/inbox/").content.decode()  # org_a is in RU
    page = client_a.get("/studio/settings/").content.decode()
    assert "Europe/Moscow" in page and 'name="time_zone"' in page
    assert client_a.post("/studio/settings/", {"time_zone": "Asia/Shanghai"}).status_code == 302
    user_a.refresh_from_db()
    assert user_a.time_zone == "Asia/Shanghai"
    assert "(Shanghai, GMT+08:00)" in client_a.get("/studio/exchange/inbox/").content.decode()
    refused = client_a.post("/studio/settings/", {"time_zone": "Mars/Olympus"})
    assert refused.status_code == 200 and "Mars/Olympus" in refused.content.decode()
    user_a.refresh_from_db()
    assert user_a.time_zone == "Asia/Shanghai"
