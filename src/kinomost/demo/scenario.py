"""The demo scenario: the market Kinomost serves, with fictional names.

A Russian media group (with a TV channel and a film studio) offers its first package of 300
features to a Shanghai media group; a Chinese state distributor imports films; a Chinese
streaming service opens an online cinema in Russia. Loading is one transaction (search index
included) and happens once: a second run finds the organisations and only prints the logins,
and a run that failed half-way left nothing behind to confuse the next one.
"""

from __future__ import annotations

import os
import random
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction

from kinomost.catalog import search, services
from kinomost.catalog.choices import CreditRole
from kinomost.catalog.models import Credit, Person, Work
from kinomost.catalog.search.people import index_people
from kinomost.core.identifiers import eidr_check_character
from kinomost.demo import exchange_story, titles, words
from kinomost.demo.posters import poster_svg
from kinomost.parties import services as parties
from kinomost.parties.models import Organisation, OrganisationKind, Role, User

# A fixed password is acceptable only because this is a local demo; it passes Django's password
# validators (length, not common, not like the e-mail), so the demo users are created through
# the same `create_member` path as real ones. KINOMOST_DEMO_PASSWORD overrides it.
DEFAULT_PASSWORD = "kinomost-demo"
# Where `kinomost serve` listens (the same variables and defaults as the serve command).
URL = f"http://{os.environ.get('KINOMOST_HOST', '127.0.0.1')}:{os.environ.get('KINOMOST_PORT', '8000')}/"
PACKAGE_SIZE = 300  # the Russian group's first package: 300 feature films

ORGANISATIONS = [
    # slug, name, kind, country, parent
    ("severny-media", "Северный Медиа Холдинг · Severny Media Group", OrganisationKind.MEDIA_GROUP, "RU", None),
    ("severny-tv", "Телеканал «Север» · Sever TV", OrganisationKind.BROADCASTER, "RU", "severny-media"),
    ("severny-films", "Киностудия «Северный свет» · Northern Light Films", OrganisationKind.PRODUCER, "RU", "severny-media"),
    ("pearl-media", "上海明珠传媒集团 · Shanghai Pearl Media Group", OrganisationKind.MEDIA_GROUP, "CN", None),
    ("huaxia-film", "华夏星河电影发行公司 · Huaxia Xinghe Film Distribution", OrganisationKind.DISTRIBUTOR, "CN", None),
    ("longbo-video", "龙波视频 · Longbo Video", OrganisationKind.PLATFORM, "CN", None),
    # The online cinema Longbo opens in Russia is a Russian company (country RU), a subsidiary of
    # the Chinese service: Russian law (149-FZ art. 10.5) lets foreigners own more than 20% of an
    # online cinema with a large Russian audience only with a government commission's approval,
    # and the territory of the storefront and its age labels are Russia's. Ownership is `parent`.
    ("longbo-kino", "Лунбо Кино · Longbo Kino", OrganisationKind.PLATFORM, "RU", "longbo-video"),
]
# Each organisation's name in the three languages: a page shows the reader's (the stored name
# above, in two scripts, is what the CLI and exports write).
ORGANISATION_NAMES = {
    "severny-media": {"ru": "Северный Медиа Холдинг", "zh-Hans": "北方传媒集团", "en": "Severny Media Group"},
    "severny-tv": {"ru": "Телеканал «Север»", "zh-Hans": "北方电视台", "en": "Sever TV"},
    "severny-films": {"ru": "Киностудия «Северный свет»", "zh-Hans": "北光电影制片厂", "en": "Northern Light Films"},
    "pearl-media": {"ru": "Шанхайская медиагруппа «Жемчужина»", "zh-Hans": "上海明珠传媒集团", "en": "Shanghai Pearl Media Group"},
    "huaxia-film": {
        "ru": "Кинопрокатная компания «Хуася Синхэ»",
        "zh-Hans": "华夏星河电影发行公司",
        "en": "Huaxia Xinghe Film Distribution",
    },
    "longbo-video": {"ru": "Лунбо Видео", "zh-Hans": "龙波视频", "en": "Longbo Video"},
    "longbo-kino": {"ru": "Лунбо Кино", "zh-Hans": "龙波影院", "en": "Longbo Kino"},
}
LOGINS = [
    # email, organisation slug, role, display name
    ("anna@severny.example", "severny-media", Role.OWNER, "Анна Ковалёва"),
    ("films@severny.example", "severny-films", Role.LICENSING_MANAGER, "Игорь Волков"),
    ("tv@severny.example", "severny-tv", Role.LICENSING_MANAGER, "Ольга Новикова"),
    ("lina@pearl.example", "pearl-media", Role.LICENSING_MANAGER, "李娜"),
    ("zhang@huaxia.example", "huaxia-film", Role.LICENSING_MANAGER, "张伟"),
    ("ops@longbo.example", "longbo-video", Role.PLATFORM_OPERATOR, "王明"),
    ("ops@longbo-kino.example", "longbo-kino", Role.PLATFORM_OPERATOR, "Павел Зайцев"),
]
ADMIN_EMAIL = "admin@kinomost.example"
RU_GENRES = ["drama", "war", "comedy", "history", "thriller", "romance", "adventure", "sport", "crime", "family", "mystery"]
CN_GENRES = ["drama", "martial_arts", "history", "comedy", "romance", "science_fiction", "action", "fantasy", "crime", "family"]
MKRF = ["0+", "6+", "12+", "16+", "18+"]
HK_FOR_MKRF = {"0+": "I", "6+": "I", "12+": "IIA", "16+": "IIB", "18+": "III"}
MPAA_FOR_MKRF = {"0+": "G", "6+": "PG", "12+": "PG-13", "16+": "R", "18+": "R"}


@dataclass
class Loaded:
    created: bool
    works: int


def password() -> str:
    return os.environ.get("KINOMOST_DEMO_PASSWORD") or DEFAULT_PASSWORD


def demo_slugs() -> list[str]:
    return [slug for slug, *_ in ORGANISATIONS]


def is_loaded() -> bool:
    """The marker: the scenario's organisations exist (they are created in the same transaction as the rest)."""
    return Organisation.objects.filter(slug__in=demo_slugs()).exists()


def load() -> Loaded:
    """Load the scenario unless it is there; everything, index included, commits together or not at all."""
    if not is_loaded():
        with transaction.atomic():
            orgs = _organisations()
            _logins(orgs)
            work_ids = Catalogue(orgs).build()
            search.index_works(work_ids)
            exchange_story.tell(orgs)  # the exchange, told through its services
        return Loaded(created=True, works=_count_works())
    _name_organisations()
    return Loaded(created=False, works=_count_works())


def _name_organisations() -> None:
    """A demo loaded before organisations had names per language gets them (once: a name someone
    has set since is kept)."""
    for org in Organisation.objects.filter(slug__in=demo_slugs(), names={}):
        parties.rename_organisation(organisation=org, names=ORGANISATION_NAMES[org.slug])


def _count_works() -> int:
    return Work.objects.filter(owner__slug__in=demo_slugs()).count()


def _organisations() -> dict[str, Organisation]:
    return {
        slug: parties.create_organisation(
            slug=slug, name=name, names=ORGANISATION_NAMES[slug], kind=kind, country=country, parent_slug=parent
        )
        for slug, name, kind, country, parent in ORGANISATIONS
    }


def _logins(orgs: dict[str, Organisation]) -> None:
    for email, slug, role, name in LOGINS:
        parties.create_member(email=email, organisation=orgs[slug], role=role, password=password(), display_name=name)
    # The group's owner also owns the studio, so the demo can show switching organisations.
    parties.create_member(email="anna@severny.example", organisation=orgs["severny-films"], role=Role.OWNER)
    # A superuser is not a member of any organisation; create_superuser sets the password directly.
    User.objects.create_superuser(email=ADMIN_EMAIL, password=password(), display_name="Kinomost admin")


def eidr(rng: random.Random) -> str:
    """A well-formed EIDR content id (valid check character) for a fictional work."""
    digits = "".join(rng.choice("0123456789ABCDEF") for _ in range(20))
    groups = "-".join(digits[i : i + 4] for i in range(0, 20, 4))
    return f"10.5240/{groups}-{eidr_check_character(digits)}"


def add_credit(work: Work, person: Person, role: str, order: int = 0, character: str = "") -> Credit:
    """Unsaved credit of `person` on `work`; the catalogue collects them and bulk-inserts once (speed)."""
    return Credit(work=work, person=person, role=role, order=order, character=character)


class Catalogue:
    """Builds the works of the scenario deterministically (one seed): same input, same catalogue."""

    def __init__(self, orgs: dict[str, Organisation]):
        self.orgs = orgs
        self.rng = random.Random(2026)
        self.work_ids: list[int] = []
        self.credits: list[Credit] = []
        self.ru_people = self._people(titles.russian_names(self.rng, 40), "ru")
        self.cn_people = self._people(titles.chinese_names(self.rng, 40), "zh-Hans")
        self.names = titles.TitleMaker(self.rng)

    def build(self) -> list[int]:
        """Every work of the scenario; returns their ids for the search index."""
        self._russian_package()
        self._russian_other()
        self._chinese_features()
        self._all_series()
        Credit.objects.bulk_create(self.credits, batch_size=1000)
        return self.work_ids

    # --- people -------------------------------------------------------------------------------

    def _people(self, names: list[dict[str, str]], lang: str) -> list[Person]:
        people = Person.objects.bulk_create([Person(name=n[lang], names=n) for n in names])
        index_people(p.pk for p in people)  # a bulk insert sends no post_save
        return people

    def _credits(self, work: Work, people: list[Person]) -> None:
        director, writer, composer, *cast = self.rng.sample(people, 6)
        self.credits += [
            add_credit(work, director, CreditRole.DIRECTOR),
            add_credit(work, writer, CreditRole.WRITER),
            add_credit(work, composer, CreditRole.COMPOSER),
        ]
        self.credits += [add_credit(work, p, CreditRole.CAST, order=i) for i, p in enumerate(cast)]

    # --- one work -----------------------------------------------------------------------------

    def _synopses(self) -> dict[str, str]:
        plot, place = self.rng.choice(words.PLOTS), self.rng.choice(words.PLACES)
        return {lang: plot[i].format(place=place[i]) for i, lang in enumerate(("ru", "zh-Hans", "en"))}

    def _ratings(self, mkrf: str, extra: tuple | None, chinese: bool) -> list[tuple[str, str, str]]:
        """MKRF for every work (Russia's 436-FZ label); some also MPAA or Hong Kong (the mainland has no system)."""
        ratings = [("RU", "MKRF", mkrf)]
        if extra:
            ratings.append(extra)
        elif chinese and self.rng.random() < 0.4:
            ratings.append(("HK", "HK-FCO", HK_FOR_MKRF[mkrf]))
        elif not chinese and self.rng.random() < 0.15:
            ratings.append(("US", "MPAA", MPAA_FOR_MKRF[mkrf]))
        return ratings

    def work(self, owner: Organisation, ref: str, kind: str, names: dict[str, str], lang: str, **extra) -> Work:
        """Save one top-level work through the catalogue service; `extra` overrides the random parts."""
        rng = self.rng
        mkrf = extra.pop("mkrf", None) or rng.choice(MKRF[1:] if kind == "feature" else MKRF[:3])
        data = services.WorkInput(
            ref=ref,
            kind=kind,
            titles=titles.with_traditional(names, rng),
            synopses=self._synopses(),
            original_language=lang,
            original_title=names[lang],
            countries=extra.pop("countries", ["RU" if lang == "ru" else "CN"]),
            year=extra.pop("year", None) or rng.randint(1958, 2025),
            runtime_minutes=None if kind == "series" else extra.pop("runtime", None) or rng.randint(85, 150),
            genres=extra.pop("genres"),
            ratings=self._ratings(mkrf, extra.pop("rating", None), lang != "ru"),
            eidr=extra.pop("eidr", None) or (eidr(rng) if rng.random() < 0.3 else None),
            is_listed=extra.pop("listed", True),
            popularity=extra.pop("popularity", None) or round(rng.random() * 60, 1),
        )
        work, _ = services.save_work(owner, data, reindex=False)
        work.production_companies.add(owner)
        if extra.pop("poster", False):
            self._poster(work, names[lang], names["en"])
        self.work_ids.append(work.pk)
        return work

    def _poster(self, work: Work, title: str, subtitle: str) -> None:
        """A deterministic file name, replaced if a failed earlier run left one (no `_a1b2c3` copies)."""
        name = f"posters/{work.ref.lower()}.svg"
        storage = work.poster.storage
        if storage.exists(name):
            storage.delete(name)
        work.poster.save(name.removeprefix("posters/"), ContentFile(poster_svg(title, subtitle, work.ref)), save=True)

    # --- the Russian side --------------------------------------------------------------------

    def _russian_package(self) -> None:
        """The first package: 300 Russian features (headliners first), all listed for partners."""
        films = self.orgs["severny-films"]
        for n, (names, year, genres, mkrf, rating) in enumerate(words.RU_HEADLINERS, start=1):
            work = self.work(
                films,
                f"SEV-F-{n:04d}",
                "feature",
                names,
                "ru",
                year=year,
                genres=genres,
                mkrf=mkrf,
                rating=rating,
                eidr=eidr(self.rng),
                poster=True,
                popularity=100 - n,
            )
            self._credits(work, self.ru_people)
        for n in range(len(words.RU_HEADLINERS) + 1, PACKAGE_SIZE + 1):
            work = self.work(films, f"SEV-F-{n:04d}", "feature", self.names.next(), "ru", genres=self.rng.sample(RU_GENRES, 2))
            self._credits(work, self.ru_people)

    def _russian_other(self) -> None:
        """Animations and documentaries in the marketplace; the channel's own programmes stay private."""
        films, tv = self.orgs["severny-films"], self.orgs["severny-tv"]
        for n in range(1, 9):
            self.work(
                films,
                f"SEV-A-{n:03d}",
                "animation",
                self.names.next(),
                "ru",
                genres=["animation", "family"],
                runtime=self.rng.randint(70, 95),
                mkrf=self.rng.choice(MKRF[:2]),
            )
        for n, (subject, place) in enumerate(((s, p) for s in words.DOC_SUBJECTS for p in words.PLACES[:4]), start=1):
            names = titles.documentary(subject, place)
            self.work(films, f"SEV-D-{n:03d}", "documentary", names, "ru", genres=["documentary"], runtime=self.rng.randint(45, 90))
        for n in range(1, 6):
            names = {"ru": f"Вечерний Север, выпуск {n}", "zh-Hans": f"北方之夜 第{n}期", "en": f"Evening North, issue {n}"}
            self.work(tv, f"SEV-TV-P{n:02d}", "programme", names, "ru", genres=["music"], runtime=52, listed=False)

    # --- the Chinese side ----------------------------------------------------------------------

    def _chinese_features(self) -> None:
        """Pearl's features (mostly listed), and the films the state distributor offers abroad."""
        pearl, huaxia = self.orgs["pearl-media"], self.orgs["huaxia-film"]
        for n, (names, year, genres, mkrf, rating) in enumerate(words.CN_HEADLINERS, start=1):
            work = self.work(
                pearl,
                f"PEARL-F-{n:04d}",
                "feature",
                names,
                "zh-Hans",
                year=year,
                genres=genres,
                mkrf=mkrf,
                rating=rating,
                eidr=eidr(self.rng),
                poster=True,
                popularity=95 - n,
            )
            self._credits(work, self.cn_people)
        for n in range(len(words.CN_HEADLINERS) + 1, 61):
            work = self.work(
                pearl, f"PEARL-F-{n:04d}", "feature", self.names.next(), "zh-Hans", genres=self.rng.sample(CN_GENRES, 2), listed=n <= 50
            )
            self._credits(work, self.cn_people)
        for n in range(1, 21):
            work = self.work(huaxia, f"HX-{n:04d}", "feature", self.names.next(), "zh-Hans", genres=self.rng.sample(CN_GENRES, 2))
            self._credits(work, self.cn_people)

    # --- series ---------------------------------------------------------------------------------

    def _all_series(self) -> None:
        groups = [
            (self.orgs["severny-tv"], "SEV-TV-S", words.RU_SERIES, "ru"),
            (self.orgs["pearl-media"], "PEARL-S", words.CN_SERIES, "zh-Hans"),
            (self.orgs["longbo-video"], "LB-S", words.PLATFORM_SERIES, "zh-Hans"),
        ]
        for owner, prefix, series, lang in groups:
            for i, names in enumerate(series, start=1):
                self._series(owner, f"{prefix}{i:02d}", names, lang)

    def _series(self, owner: Organisation, ref: str, names: dict[str, str], lang: str) -> None:
        """A series with 1–3 seasons of 4–10 episodes; episodes carry their own MKRF label (436-FZ)."""
        self.work(
            owner, ref, "series", names, lang, genres=self.rng.sample(RU_GENRES if lang == "ru" else CN_GENRES, 2), poster=True, mkrf="16+"
        )
        for s in range(1, self.rng.randint(1, 3) + 1):
            season_names = {"ru": f"Сезон {s}", "zh-Hans": f"第{s}季", "en": f"Season {s}"}
            season_ref = f"{ref}/S{s}"
            services.save_work(
                owner,
                services.WorkInput(
                    ref=season_ref,
                    kind="season",
                    titles=season_names,
                    parent_ref=ref,
                    number=s,
                    is_listed=True,
                    ratings=[("RU", "MKRF", "16+")],
                ),
                reindex=False,
            )
            for e in range(1, self.rng.randint(4, 10) + 1):
                episode_names = {"ru": f"Серия {e}", "zh-Hans": f"第{e}集", "en": f"Episode {e}"}
                services.save_work(
                    owner,
                    services.WorkInput(
                        ref=f"{season_ref}E{e}",
                        kind="episode",
                        titles=episode_names,
                        synopses=self._synopses(),
                        parent_ref=season_ref,
                        number=e,
                        runtime_minutes=self.rng.randint(42, 55),
                        ratings=[("RU", "MKRF", "16+")],
                        is_listed=True,
                    ),
                    reindex=False,
                )
