"""The storefront's visibility set is derived data: after any sequence of changes through the
services users call (grants, holdings, holdbacks, terminations, approvals granted and revoked,
packages ready and removed, ratings), the incrementally kept set equals a rebuild from scratch,
and on every day it says exactly what the per-day rules (`rights.licensed.licensed_media`,
`exchange.clearance.is_cleared`, a ready package, the age) say. Each example runs in a
savepoint that is rolled back."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from kinomost.catalog.models import Work
from kinomost.catalog.services import WorkInput, save_work
from kinomost.cinema import storefront, visibility
from kinomost.cinema.models import Asset
from kinomost.cinema.visibility_models import VisibleTitle, VisibleWork
from kinomost.exchange import approvals
from kinomost.exchange.models import ApprovalStatus
from kinomost.exchange.clearance import is_cleared
from kinomost.parties.context import Actor
from kinomost.parties.models import Role
from kinomost.rights import ledger
from kinomost.rights.ledger import ContractInput, TermInput
from kinomost.rights.licensed import licensed_media

from .viewing import make_platform, make_work, ready_asset

pytestmark = pytest.mark.django_db
SETTINGS = settings(
    max_examples=12,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
BASE = date(2027, 1, 1)
TERRITORIES, MEDIA = ("RU", "CN"), ("svod", "tvod")  # CN vod needs a screening permit and a per-platform registration
AGES = ["0+", "6+", "12+", "16+", "18+"]


class World:
    """Two films and a series (one season, two episodes) of org_a; org_b holds them worldwide,
    sublicensably, and may grant them to org_a, whose platform sells in RU and CN."""

    def __init__(self, org_a, org_b):
        self.org_a, self.org_b = org_a, org_b
        self.platform = make_platform(org_a, territories=TERRITORIES, media=MEDIA)
        self.films = [make_work(org_a, f"film-{i}") for i in range(2)]
        series = make_work(org_a, "show", kind="series")
        make_work(org_a, "show-s1", kind="season", parent_ref="show", number=1)
        self.episodes = [make_work(org_a, f"show-e{i}", kind="episode", parent_ref="show-s1", number=i) for i in (1, 2)]
        self.works = [*self.films, series, self.episodes[0].parent, *self.episodes]  # what rights and approvals name
        self.playable = [*self.films, *self.episodes]  # what packages are made of
        Work.objects.filter(owner=org_a).update(is_listed=True)
        ledger.record_holding(
            org_b,
            TermInput(works=self.works, territories="WORLD", media="vod", start=BASE, sublicensable=True),
            contract=ContractInput(reference="B-WORLD"),
        )
        self.owner = Actor(organisation=org_a, role=Role.OWNER)
        self.terms, self.assets, self.approvals = [], [], []

    def apply(self, step: tuple) -> None:
        kind, *args = step
        getattr(self, f"_{kind}")(*args)

    def _window(self, offset: int, length: int | None):
        start = BASE + timedelta(days=offset)
        return start, (start + timedelta(days=length) if length else None)

    def _hold(self, work: int, territory: str, medium: str, offset: int, length: int | None):
        start, end = self._window(offset, length)
        term = TermInput(works=[self.works[work]], territories=territory, media=medium, start=start, end=end)
        self.terms.append((self.org_a, ledger.record_holding(self.org_a, term, contract=ContractInput(reference=f"A-{len(self.terms)}"))))

    def _grant(self, work: int, territory: str, medium: str, offset: int, length: int | None):
        start, end = self._window(offset, length)
        term = TermInput(works=[self.works[work]], territories=territory, media=medium, start=start, end=end)
        self.terms.append(
            (self.org_b, ledger.grant(self.org_b, self.org_a, term, contract=ContractInput(reference=f"G-{len(self.terms)}")))
        )

    def _holdback(self, work: int, territory: str, medium: str, offset: int, length: int | None):
        start, end = self._window(offset, length)
        term = TermInput(works=[self.works[work]], territories=territory, media=medium, start=start, end=end)
        ledger.record_holdback(self.org_a, term, contract=ContractInput(reference=f"H-{len(self.terms)}"))

    def _terminate(self, which: int, offset: int):
        if self.terms:
            org, term = self.terms[which % len(self.terms)]
            ledger.terminate(org, term, BASE + timedelta(days=offset))

    def _package(self, work: int, own_platform: bool):
        self.assets.append(ready_asset(self.org_a, self.playable[work], self.platform if own_platform else None))

    def _remove_package(self, which: int):
        if self.assets:
            self.assets.pop(which % len(self.assets)).delete()

    def _approve(self, work: int, territory: str, kind: str, offset: int | None):
        issued = None if offset is None else BASE + timedelta(days=offset)
        platform = self.org_a.slug if kind == "cn_online_registration" else None
        self.approvals.append(
            approvals.record_approval(
                self.owner,
                work_id=self.works[work].pk,
                territory=territory,
                kind=kind,
                status=ApprovalStatus.GRANTED,
                issued_on=issued,
                platform=platform,
            )
        )

    def _revoke(self, which: int, status: str):
        if self.approvals:
            approvals.change_status(self.owner, self.approvals[which % len(self.approvals)].pk, status)

    def _rate(self, work: int, territory: str, age: str | None):
        work = self.works[work]
        save_work(
            self.org_a,
            WorkInput(
                ref=work.ref,
                kind=work.kind,
                titles={"en": work.ref},
                parent_ref=work.parent.ref if work.parent_id else None,
                number=work.number,
                ratings=[] if age is None else [(territory, "MKRF", age)],
            ),
        )


def _rows(platform) -> tuple[list, list]:
    works = sorted(
        VisibleWork.objects.filter(platform=platform).values_list(
            "work_id", "top_id", "territory", "media", "valid_from", "valid_to", "minimum_age", "asset_id", "ready_at"
        )
    )
    titles = sorted(
        VisibleTitle.objects.filter(platform=platform).values_list(
            "top_id", "territory", "valid_from", "valid_to", "minimum_age", "ready_at"
        )
    )
    return works, titles


windows = st.tuples(st.sampled_from(TERRITORIES), st.sampled_from(MEDIA), st.integers(0, 60), st.one_of(st.none(), st.integers(1, 90)))
steps = st.lists(
    st.one_of(
        st.tuples(st.just("hold"), st.integers(0, 4)).flatmap(lambda t: windows.map(lambda w: (*t, *w))),
        st.tuples(st.just("grant"), st.integers(0, 4)).flatmap(lambda t: windows.map(lambda w: (*t, *w))),
        st.tuples(st.just("holdback"), st.integers(0, 4)).flatmap(lambda t: windows.map(lambda w: (*t, *w))),
        st.tuples(st.just("terminate"), st.integers(0, 9), st.integers(0, 120)),
        st.tuples(st.just("package"), st.integers(0, 3), st.booleans()),
        st.tuples(st.just("remove_package"), st.integers(0, 9)),
        st.tuples(
            st.just("approve"),
            st.integers(0, 4),
            st.just("CN"),
            st.sampled_from(["cn_screening_permit", "cn_online_registration"]),
            st.one_of(st.none(), st.integers(0, 90)),
        ),
        st.tuples(st.just("revoke"), st.integers(0, 9), st.sampled_from([ApprovalStatus.REVOKED, ApprovalStatus.GRANTED])),
        st.tuples(st.just("rate"), st.integers(0, 4), st.sampled_from(TERRITORIES), st.one_of(st.none(), st.sampled_from(AGES))),
    ),
    min_size=1,
    max_size=14,
)


def _rolled_back(test):
    def run(*args, **kwargs):
        with transaction.atomic():
            test(*args, **kwargs)
            transaction.set_rollback(True)

    return run


@SETTINGS
@given(changes=steps, days=st.lists(st.integers(-5, 160), min_size=1, max_size=3))
def test_incremental_updates_equal_a_rebuild_and_the_per_day_rules(org_a, org_b, changes, days):
    @_rolled_back
    def check():
        world = World(org_a, org_b)
        for step in changes:
            world.apply(step)
        kept = _rows(world.platform)
        visibility.rebuild(world.platform)
        assert _rows(world.platform) == kept
        for offset in days:
            _agrees_with_the_rules(world, BASE + timedelta(days=offset))

    check()


def _agrees_with_the_rules(world: World, day: date) -> None:
    """On `day`, what the set lets play is what the ledger, the approvals and the packages say."""
    packaged = set(Asset.objects.filter(organisation=world.org_a, status="ready").values_list("work_id", flat=True))
    org = world.org_a
    for country in TERRITORIES:
        found = storefront.playable_works(storefront.Viewing(world.platform, country, day=day))
        licensed = licensed_media(org, country, MEDIA, day, works=[w.pk for w in world.playable])
        expected = {}
        for work in world.playable:
            media = {m for m in licensed.get(work.pk, set()) if is_cleared(work, country, m, day, platform=org)}
            if media and work.pk in packaged:
                expected[work.pk] = media
        assert {wid: set(p.media) for wid, p in found.items()} == expected, (country, day)


def test_a_revocation_hides_the_work_in_the_same_transaction(org_a):
    platform = make_platform(org_a, territories=("CN",), media=("svod",))
    film = make_work(org_a, "film")
    ledger.record_holding(
        org_a, TermInput(works=[film], territories="CN", media="svod", start="2026-01-01"), contract=ContractInput(reference="A-1")
    )
    ready_asset(org_a, film, platform)
    owner = Actor(organisation=org_a, role=Role.OWNER)
    permit = approvals.record_approval(owner, work_id=film.pk, territory="CN", kind="cn_screening_permit", status=ApprovalStatus.GRANTED)
    viewing = storefront.Viewing(platform, "CN")
    assert storefront.playable(viewing, film.pk) is None  # the per-platform registration is missing
    approvals.record_approval(
        owner, work_id=film.pk, territory="CN", kind="cn_online_registration", status=ApprovalStatus.GRANTED, platform=org_a.slug
    )
    assert storefront.playable(viewing, film.pk).media == {"svod"}
    with transaction.atomic():
        approvals.change_status(owner, permit.pk, ApprovalStatus.REVOKED)
        assert storefront.playable(viewing, film.pk) is None  # before the commit, inside the change's own transaction
        assert not storefront.visible_titles(viewing).exists()


def test_windows_open_and_close_with_the_day_without_any_write(org_a):
    platform = make_platform(org_a)
    film = make_work(org_a, "film")
    ledger.record_holding(
        org_a,
        TermInput(works=[film], territories="RU", media="svod", start="2030-03-01", end="2030-04-01"),
        contract=ContractInput(reference="A-1"),
    )
    ready_asset(org_a, film, platform)
    seen = {
        day: set(
            storefront.visible_titles(storefront.Viewing(platform, "RU", day=date(2030, 3, 1) + timedelta(days=day))).values_list(
                "ref", flat=True
            )
        )
        for day in (-1, 0, 30, 31)
    }
    assert seen == {-1: set(), 0: {"film"}, 30: {"film"}, 31: set()}


def test_a_removed_package_and_a_changed_rating_update_the_set(org_a):
    platform = make_platform(org_a)
    film = make_work(org_a, "film", ratings=[("RU", "MKRF", "6+")])
    ledger.record_holding(
        org_a, TermInput(works=[film], territories="RU", media="svod", start="2026-01-01"), contract=ContractInput(reference="A-1")
    )
    old = ready_asset(org_a, film, platform)
    new = ready_asset(org_a, film, platform)
    kids = storefront.Viewing(platform, "RU", max_age=6)
    assert storefront.playable(kids, film.pk).asset_id == new.pk  # the newest package plays
    save_work(org_a, WorkInput(ref="film", kind="feature", titles={"en": "Film"}, ratings=[("RU", "MKRF", "16+")]))
    assert storefront.playable(kids, film.pk) is None
    assert storefront.playable(storefront.Viewing(platform, "RU"), film.pk).minimum_age == 16
    new.delete()
    assert storefront.playable(storefront.Viewing(platform, "RU"), film.pk).asset_id == old.pk
    old.delete()
    assert storefront.playable(storefront.Viewing(platform, "RU"), film.pk) is None
    assert not VisibleTitle.objects.filter(platform=platform).exists()


def test_the_rebuild_command_restores_a_lost_set(org_a, capsys):
    platform = make_platform(org_a)
    film = make_work(org_a, "film")
    ledger.record_holding(
        org_a, TermInput(works=[film], territories="RU", media="svod", start="2026-01-01"), contract=ContractInput(reference="A-1")
    )
    ready_asset(org_a, film, platform)
    kept = _rows(platform)
    VisibleWork.objects.all().delete()
    VisibleTitle.objects.all().delete()
    call_command("storefront", "rebuild", "--platform", f"{org_a.slug}/{platform.slug}")
    assert _rows(platform) == kept and kept[0]
    assert "1 rows" in capsys.readouterr().out
    with pytest.raises(Exception, match="no platform"):
        call_command("storefront", "rebuild", "--platform", "nobody/none")


def test_migrate_fills_the_set_of_a_platform_from_before_it_existed(org_a):
    platform = make_platform(org_a)
    film = make_work(org_a, "film")
    ledger.record_holding(
        org_a, TermInput(works=[film], territories="RU", media="svod", start="2026-01-01"), contract=ContractInput(reference="A-1")
    )
    ready_asset(org_a, film, platform)
    kept = _rows(platform)
    VisibleWork.objects.all().delete()
    VisibleTitle.objects.all().delete()
    visibility.fill_missing()
    assert _rows(platform) == kept and kept[0]
