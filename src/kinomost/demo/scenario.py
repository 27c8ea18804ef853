"""The demo scenario: the market Kinomost serves, with fictional names.

A Russian media group (with a TV channel and a film studio) offers its first package of 300
features to a Shanghai media group; a Chinese state distributor imports films; a Chinese
streaming service opens an online cinema in Russia. Loading is one transaction and happens
once: a second run finds the organisations and only prints the logins.
"""

from __future__ import annotations

import os
import random
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction

from kinomost.catalog import search, services
from kinomost.catalog.models import Credit, CreditRole, Person, Work
from kinomost.core.identifiers import eidr_check_character
from kinomost.demo import words
from kinomost.demo.posters import poster_svg
from kinomost.parties import services as parties
from kinomost.parties.models import Organisation, OrganisationKind, Role, User

DEFAULT_PASSWORD = "kinomost-demo"
URL = "http://127.0.0.1:8000/"

ORGANISATIONS = [
    # slug, name, kind, country, parent
    ("severny-media", "Северный Медиа Холдинг · Severny Media Group", OrganisationKind.MEDIA_GROUP, "RU", None),
    ("severny-tv", "Телеканал «Север» · Sever TV", OrganisationKind.BROADCASTER, "RU", "severny-media"),
    ("severny-films", "Киностудия «Северный свет» · Northern Light Films", OrganisationKind.PRODUCER, "RU", "severny-media"),
    ("pearl-media", "上海明珠传媒集团 · Shanghai Pearl Media Group", OrganisationKind.MEDIA_GROUP, "CN", None),
    ("huaxia-film", "华夏电影发行公司 · Huaxia Film Distribution", OrganisationKind.DISTRIBUTOR, "CN", None),
    ("longbo-video", "龙波视频 · Longbo Video", OrganisationKind.PLATFORM, "CN", None),
    # The online cinema Longbo opens in Russia is a Russian company: Russian law (149-FZ art.
    # 10.5) lets foreigners own more than 20% of an online cinema with a large Russian audience
    # only with a government commission's approval, so it is a separate, Russian-registered
    # subsidiary of the Chinese service.
    ("longbo-kino", "Лунбо Кино · Longbo Kino", OrganisationKind.PLATFORM, "RU", "longbo-video"),
]
LOGINS = [
    # email, organisation, role, name
    ("anna@severny.example", "severny-media", Role.OWNER, "Анна Ковалёва"),
    ("films@severny.example", "severny-films", Role.LICENSING_MANAGER, "Игорь Волков"),
    ("tv@severny.example", "severny-tv", Role.LICENSING_MANAGER, "Ольга Новикова"),
    ("lina@pearl.example", "pearl-media", Role.LICENSING_MANAGER, "李娜"),
    ("zhang@huaxia.example", "huaxia-film", Role.LICENSING_MANAGER, "张伟"),
    ("ops@longbo.example", "longbo-video", Role.PLATFORM_OPERATOR, "王明"),
    ("ops@longbo-kino.example", "longbo-kino", Role.PLATFORM_OPERATOR, "Павел Зайцев"),
]
ADMIN_EMAIL = "admin@kinomost.example"
RU_GENRES = ["drama", "war", "comedy", "history", "thriller", "romance", "adventure", "sport", "crime", "family"]
CN_GENRES = ["drama", "martial_arts", "history", "comedy", "romance", "science_fiction", "action", "fantasy", "crime", "family"]
RATINGS = ["0+", "6+", "12+", "16+", "18+"]


@dataclass
class Loaded:
    created: bool
    works: int


def password() -> str:
    return os.environ.get("KINOMOST_DEMO_PASSWORD") or DEFAULT_PASSWORD


def is_loaded() -> bool:
    return Organisation.objects.filter(slug=ORGANISATIONS[0][0]).exists()


def load() -> Loaded:
    if is_loaded():
        return Loaded(created=False, works=Work.objects.filter(owner__slug__in=[o[0] for o in ORGANISATIONS]).count())
    with transaction.atomic():
        orgs = _organisations()
        _people_logins(orgs)
        builder = _Catalogue(orgs)
        builder.build()
    search.index_works(builder.work_ids)
    return Loaded(created=True, works=Work.objects.filter(owner__slug__in=[o[0] for o in ORGANISATIONS]).count())


def _organisations() -> dict[str, Organisation]:
    orgs: dict[str, Organisation] = {}
    for slug, name, kind, country, parent in ORGANISATIONS:
        orgs[slug] = parties.create_organisation(slug=slug, name=name, kind=kind, country=country, parent_slug=parent)
    return orgs


def _people_logins(orgs: dict[str, Organisation]) -> None:
    for email, slug, role, name in LOGINS:
        parties.create_member(email=email, organisation=orgs[slug], role=role, password=password(), display_name=name)
    parties.create_member(email="anna@severny.example", organisation=orgs["severny-films"], role=Role.OWNER)
    if not User.objects.filter(email=ADMIN_EMAIL).exists():
        User.objects.create_superuser(email=ADMIN_EMAIL, password=password(), display_name="Kinomost admin")


def _eidr(rng: random.Random) -> str:
    digits = "".join(rng.choice("0123456789ABCDEF") for _ in range(20))
    groups = "-".join(digits[i : i + 4] for i in range(0, 20, 4))
    return f"10.5240/{groups}-{eidr_check_character(digits)}"


class _Catalogue:
    """Builds the works of the scenario, deterministically (one seed)."""

    def __init__(self, orgs: dict[str, Organisation]):
        self.orgs = orgs
        self.rng = random.Random(2026)
        self.work_ids: list[int] = []
        self.ru_people = [self._person(ru, zh, en, "ru") for ru, zh, en in words.RU_PEOPLE]
        self.cn_people = [self._person(zh, ru, en, "zh-Hans") for zh, ru, en in words.CN_PEOPLE]

    def build(self) -> None:
        self._headliners()
        self._russian_package()
        self._russian_other()
        self._chinese_features()
        for i, (ru, zh, en) in enumerate(words.RU_SERIES):
            self._series(self.orgs["severny-tv"], f"SEV-TV-{i + 1:02d}", {"ru": ru, "zh-Hans": zh, "en": en}, "ru", "RU")
        for i, (zh, ru, en) in enumerate(words.CN_SERIES):
            self._series(self.orgs["pearl-media"], f"PEARL-S{i + 1:02d}", {"zh-Hans": zh, "ru": ru, "en": en}, "zh-Hans", "CN")

    def _person(self, name: str, other: str, en: str, lang: str) -> Person:
        other_lang = "zh-Hans" if lang == "ru" else "ru"
        return Person.objects.create(name=name, names={lang: name, other_lang: other, "en": en})

    def _synopses(self) -> dict[str, str]:
        plot = self.rng.choice(words.PLOTS)
        place = self.rng.choice(words.PLACES)
        return {lang: plot[i].format(place=place[i]) for i, lang in enumerate(("ru", "zh-Hans", "en"))}

    def _work(self, owner, ref, kind, titles, original_language, country, genres, *, year=None, listed=True, poster=False, **extra) -> Work:
        rating = extra.pop("rating", None) or self.rng.choice(RATINGS[1:] if kind == "feature" else RATINGS[:3])
        data = services.WorkInput(
            ref=ref, kind=kind, titles=titles, synopses=extra.pop("synopses", None) or self._synopses(),
            original_language=original_language, original_title=titles[original_language], countries=[country],
            year=year or self.rng.randint(1958, 2025),
            runtime_minutes=None if kind == "series" else (extra.pop("runtime", None) or self.rng.randint(85, 150)),
            genres=genres, ratings=[("RU", "MKRF", rating)], is_listed=listed, popularity=round(self.rng.random() * 100, 1), **extra,
        )
        work, _ = services.save_work(owner, data, reindex=False)
        work.production_companies.add(owner)
        if poster:
            subtitle = titles.get("en", "")
            work.poster.save(f"{ref.lower()}.svg", ContentFile(poster_svg(titles[original_language], subtitle, ref)), save=True)
        self.work_ids.append(work.pk)
        return work

    def _credits(self, work: Work, people: list[Person]) -> None:
        picked = self.rng.sample(people, 4)
        Credit.objects.create(work=work, person=picked[0], role=CreditRole.DIRECTOR)
        Credit.objects.create(work=work, person=picked[1], role=CreditRole.WRITER)
        for order, person in enumerate(picked[2:]):
            Credit.objects.create(work=work, person=person, role=CreditRole.CAST, order=order)

    def _headliners(self) -> None:
        films = self.orgs["severny-films"]
        headliners = [
            ("SEV-F-0001", {"ru": "Сталинград", "zh-Hans": "斯大林格勒", "zh-Hant": "斯大林格勒", "en": "Stalingrad"}, 2013, ["war", "drama"], "16+"),
            ("SEV-F-0002", {"ru": "Тихий Дон", "zh-Hans": "静静的顿河", "zh-Hant": "靜靜的頓河", "en": "Quiet Flows the Don"}, 1958, ["drama", "history"], "12+"),
            ("SEV-F-0003", {"ru": "Ёлки", "zh-Hans": "圣诞树", "en": "Six Degrees of Celebration"}, 2010, ["comedy", "family"], "6+"),
            ("SEV-F-0004", {"ru": "Москва слезам не верит", "zh-Hans": "莫斯科不相信眼泪", "zh-Hant": "莫斯科不相信眼淚", "en": "Moscow Does Not Believe in Tears"}, 1980, ["drama", "romance"], "12+"),
        ]
        for ref, titles, year, genres, rating in headliners:
            work = self._work(films, ref, "feature", titles, "ru", "RU", genres, year=year, poster=True, eidr=_eidr(self.rng), rating=rating)
            self._credits(work, self.ru_people)

    def _russian_package(self) -> None:
        """The first package: 300 Russian features in all (with the headliners), listed for partners."""
        films = self.orgs["severny-films"]
        phrases = list(words.RU_PHRASES)
        combos = [(a, b) for a in phrases for b in phrases if a != b]
        self.rng.shuffle(combos)
        titles = [dict(zip(("ru", "zh-Hans", "en"), p)) for p in phrases]
        for a, b in combos[: 296 - len(titles)]:
            titles.append({"ru": f"{a[0]}. {b[0]}", "zh-Hans": f"{a[1]}·{b[1]}", "en": f"{a[2]}: {b[2]}"})
        for n, t in enumerate(titles, start=5):
            work = self._work(films, f"SEV-F-{n:04d}", "feature", t, "ru", "RU", self.rng.sample(RU_GENRES, 2), poster=n < 17)
            self._credits(work, self.ru_people)

    def _russian_other(self) -> None:
        films, tv = self.orgs["severny-films"], self.orgs["severny-tv"]
        for n in range(1, 9):
            a = self.rng.choice(words.RU_PHRASES)
            self._work(films, f"SEV-A-{n:03d}", "animation", {"ru": a[0], "zh-Hans": a[1], "en": a[2]}, "ru", "RU", ["animation", "family"], runtime=self.rng.randint(70, 95))
        for n, place in enumerate(words.PLACES, start=1):
            t = {"ru": f"Путешествие {place[0]}", "zh-Hans": f"旅行{place[1].removeprefix('在')}", "en": f"A Journey {place[2]}"}
            self._work(films, f"SEV-D-{n:03d}", "documentary", t, "ru", "RU", ["documentary"], runtime=self.rng.randint(45, 90))
        for n in range(1, 6):
            t = {"ru": f"Вечерний Север, выпуск {n}", "zh-Hans": f"北方之夜 第{n}期", "en": f"Evening North, issue {n}"}
            self._work(tv, f"SEV-TV-P{n:02d}", "programme", t, "ru", "RU", ["music"], runtime=52, listed=False)

    def _chinese_features(self) -> None:
        pearl = self.orgs["pearl-media"]
        phrases = list(words.CN_PHRASES)
        for n, (zh, ru, en) in enumerate(phrases, start=1):
            titles = {"zh-Hans": zh, "ru": ru, "en": en}
            kind = "animation" if zh in {"哪吒", "大鱼海棠", "白蛇", "熊猫"} else "feature"
            work = self._work(pearl, f"PEARL-F-{n:04d}", kind, titles, "zh-Hans", "CN", self.rng.sample(CN_GENRES, 2), listed=n <= 32, poster=n <= 8)
            self._credits(work, self.cn_people)

    def _series(self, owner, ref, titles, lang, country) -> None:
        series = self._work(owner, ref, "series", titles, lang, country, ["drama"], poster=True)
        for s in range(1, self.rng.randint(1, 3) + 1):
            season_titles = {"ru": f"Сезон {s}", "zh-Hans": f"第{s}季", "en": f"Season {s}"}
            season = services.save_work(owner, services.WorkInput(ref=f"{ref}/S{s}", kind="season", titles=season_titles, parent_ref=ref, number=s, is_listed=True), reindex=False)[0]
            for e in range(1, self.rng.randint(4, 10) + 1):
                ep_titles = {"ru": f"Серия {e}", "zh-Hans": f"第{e}集", "en": f"Episode {e}"}
                services.save_work(owner, services.WorkInput(
                    ref=f"{ref}/S{s}E{e}", kind="episode", titles=ep_titles, parent_ref=season.ref, number=e,
                    runtime_minutes=self.rng.randint(42, 55), ratings=[("RU", "MKRF", "16+")], is_listed=True,
                ), reindex=False)
