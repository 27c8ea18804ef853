"""Reads of the exchange: deals and offers a party may see, approval clearance for the
storefront, quota counters, the balance of the exchange, the inbox. Tenancy is decided here:
a deal or an offer is visible only to its parties."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kinomost.catalog.models import Work
from kinomost.core import media as media_taxonomy
from kinomost.core import periods
from kinomost.core.errors import InvalidInput, NotFound
from kinomost.exchange import proposals
from kinomost.exchange.errors import ApprovalsMissing
from kinomost.exchange.models import (
    SIGNED_STATES, Approval, ApprovalRule, ApprovalStatus, Deal, DealVersion, Notification, NotificationKind, Offer,
    QuotaMeasure, QuotaRule, QuotaScope,
)
from kinomost.parties.models import Organisation
from kinomost.rights.models import AtomKind, RightAtom

# ---------------------------------------------------------------- deals and offers


def deals_of(actor, *, state: str | None = None, role: str | None = None) -> QuerySet[Deal]:
    """Deals the actor's organisation may see (Deal.visible_to: a party, and a draft only its
    initiator), as licensor, licensee or either."""
    org = actor.organisation_id
    qs = Deal.objects.filter(Deal.visible_to(org))
    if role == "licensor":
        qs = qs.filter(licensor_id=org)
    elif role == "licensee":
        qs = qs.filter(licensee_id=org)
    if state:
        qs = qs.filter(state=state)
    return qs.select_related("licensor", "licensee")


def deal_detail(actor, deal_id: int) -> Deal:
    """A deal with its versions (and their works) and its thread, if the actor is a party."""
    deal = (
        deals_of(actor)
        .prefetch_related(
            Prefetch("versions", queryset=DealVersion.objects.order_by("number").prefetch_related("items__work__localizations")),
            "messages",
        )
        .filter(pk=deal_id)
        .first()
    )
    if deal is None:
        raise NotFound(_("No such deal."))
    return deal


def latest_version(deal: Deal) -> DealVersion:
    return deal.versions.order_by("-number").first()


def offers_of(actor) -> QuerySet[Offer]:
    """Offers the organisation sent, and offers sent to it (never drafts of others)."""
    org = actor.organisation_id
    return Offer.objects.filter(Q(sender_id=org) | Q(recipients__id=org, status="sent")).distinct().select_related("sender")


def offer_for(actor, offer_id: int) -> Offer:
    offer = offers_of(actor).filter(pk=offer_id).first()
    if offer is None:
        raise NotFound(_("No such offer."))
    return offer


# ---------------------------------------------------------------- approvals


def family_ids(work) -> list[int]:
    """The work and its season and series: an approval of a season covers its episodes."""
    work = work if isinstance(work, Work) else Work.objects.select_related("parent__parent").get(pk=work)
    ids = [work.pk]
    parent = work.parent
    while parent is not None:
        ids.append(parent.pk)
        parent = parent.parent
    return ids


def rules_for(territory: str, media) -> list[ApprovalRule]:
    """Approval rules whose (territory, media) meets the request's."""
    leaves = set(media_taxonomy.expand(media))
    return [r for r in ApprovalRule.objects.filter(territory=territory) if leaves & set(media_taxonomy.expand(r.media))]


def approvals_missing(work, territory: str, media, on_date=None, *, platform=None) -> list[dict]:
    """Which approvals the rules require for showing `work` in (territory, media) on a date and
    that are not granted. A revoked or refused approval counts as missing at once."""
    day = periods.parse_date(on_date) or timezone.localdate()
    platform_id = getattr(platform, "pk", platform)
    granted = _granted(family_ids(work), [territory], day)
    missing = []
    for rule in rules_for(territory, media):
        if not _has(granted, territory, rule, platform_id):
            missing.append({"territory": territory, "media": rule.media, "approval": rule.kind, "per_platform": rule.per_platform})
    return missing


def is_cleared(work, territory: str, media, on_date=None, *, platform=None) -> bool:
    return not approvals_missing(work, territory, media, on_date, platform=platform)


def cleared_since(family: dict[int, tuple[int, ...]], countries, media_leaves, *, platform=None) -> dict[tuple[int, str, str], date | None]:
    """(work, country, leaf) → the first day `is_cleared` holds from on (date.min: always; None:
    never, an approval the rules require is not granted) — its rules for many works and every
    day at once, for the cinema's visibility set. `family` is catalog.selectors.lineage of the
    works: an approval of a season or series covers its episodes. A granted approval counts from
    its date, so each rule is met from the earliest granted one; all of them from the latest."""
    platform_id = getattr(platform, "pk", platform)
    leaves = list(media_leaves)
    rules = [(r, set(media_taxonomy.expand(r.media)) & set(leaves)) for r in ApprovalRule.objects.filter(territory__in=list(countries))]
    rules = [(r, hit) for r, hit in rules if hit]
    out = {(wid, c, leaf): date.min for wid in family for c in countries for leaf in leaves}
    if not rules:
        return out
    earliest: dict[tuple[int, str, str, bool], date] = {}  # (work in a family, territory, kind, for this platform)
    every = {a for chain in family.values() for a in chain}
    granted = Approval.objects.filter(work_id__in=list(every), territory__in=sorted({r.territory for r, _ in rules}), status=ApprovalStatus.GRANTED)
    for wid, territory, kind, on_platform, issued in granted.values_list("work_id", "territory", "kind", "platform_id", "issued_on"):
        day = issued or date.min
        for ours in {False, on_platform == platform_id and platform_id is not None}:
            key = (wid, territory, kind, ours)
            earliest[key] = min(earliest.get(key, date.max), day)
    for wid, chain in family.items():
        for rule, hit in rules:
            met = min((earliest[k] for a in chain if (k := (a, rule.territory, rule.kind, rule.per_platform)) in earliest), default=None)
            for leaf in hit:
                key = (wid, rule.territory, leaf)
                out[key] = None if met is None or out[key] is None else max(out[key], met)
    return out


def can_show(organisation, work, territory: str, media: str, on_date=None) -> bool:
    """The storefront's question: licensed there that day, and cleared by the regulator."""
    from kinomost.rights.availability import is_licensed

    day = periods.parse_date(on_date) or timezone.localdate()
    return is_licensed(organisation, work, territory, media, day) and is_cleared(work, territory, media, day, platform=organisation)


def _granted(work_ids, territories, day: date) -> dict[tuple[int, str, str], set]:
    """(work in family → reduced to 'any of family'), territory, kind → platforms (None = any)."""
    out: dict[tuple[str, str], set] = defaultdict(set)
    rows = Approval.objects.filter(work_id__in=work_ids, territory__in=territories, status=ApprovalStatus.GRANTED).filter(
        Q(issued_on__isnull=True) | Q(issued_on__lte=day)
    )
    for a in rows.values("work_id", "territory", "kind", "platform_id"):
        out[(a["work_id"], a["territory"], a["kind"])].add(a["platform_id"])
    return out


def _has(granted, territory, rule, platform_id, family=None) -> bool:
    for (wid, terr, kind), platforms in granted.items():
        if terr != territory or kind != rule.kind or (family is not None and wid not in family):
            continue
        if not rule.per_platform or platform_id in platforms:
            return True
    return False


def missing_for_deal(deal: Deal, version: DealVersion, day: date) -> list[dict]:
    """Every (work, territory, rule) of a deal's terms without its granted approval."""
    works = list(version.works.select_related("parent__parent"))
    families = {w.pk: set(family_ids(w)) for w in works}
    all_ids = set().union(*families.values()) if families else set()
    missing = []
    for term in version.terms:
        countries, leaves, _window = proposals.term_cells(term)
        rules = [r for r in ApprovalRule.objects.filter(territory__in=countries) if set(leaves) & set(media_taxonomy.expand(r.media))]
        if not rules:
            continue
        granted = _granted(all_ids, sorted({r.territory for r in rules}), day)
        for rule in rules:
            for w in works:
                if not _has(granted, rule.territory, rule, deal.licensee_id, families[w.pk]):
                    missing.append({"work": w.pk, "work_ref": w.ref, "territory": rule.territory, "media": rule.media,
                                    "approval": rule.kind, "per_platform": rule.per_platform})
    return missing


def require_approvals(deal: Deal, version: DealVersion, day: date) -> None:
    missing = missing_for_deal(deal, version, day)
    if missing:
        raise ApprovalsMissing(
            _("%(count)s approvals are missing before this deal can become active.") % {"count": len(missing)}, details=missing
        )


def approvals_of(actor, *, territory: str | None = None, work_id: int | None = None) -> QuerySet[Approval]:
    qs = Approval.objects.filter(organisation_id=actor.organisation_id).select_related("work", "platform")
    if territory:
        qs = qs.filter(territory=territory.upper())
    if work_id:
        qs = qs.filter(work_id=work_id)
    return qs


# ---------------------------------------------------------------- quotas


def origin_countries(work: Work) -> list[str]:
    """Countries of origin as catalogued, else the owner's country."""
    return list(work.countries or []) or ([work.owner.country] if work.owner.country else [])


def is_foreign(work: Work, territory: str) -> bool:
    return territory not in origin_countries(work)


def _counted(rule: QuotaRule, work: Work, version: DealVersion) -> bool:
    if rule.scope == QuotaScope.ALL:
        return True
    if rule.scope == QuotaScope.REVENUE_SHARE_FOREIGN and version.revenue_share <= 0:
        return False
    return is_foreign(work, rule.territory)


def deal_works_for(rule: QuotaRule, version: DealVersion, works: list[Work], year: int) -> set[int]:
    """The works of a version that count against `rule` in `year`: a term covering the rule's
    territory and media whose window starts that year."""
    leaves = set(media_taxonomy.expand(rule.media))
    for term in version.terms:
        countries, term_leaves, window = proposals.term_cells(term)
        if rule.territory in countries and leaves & set(term_leaves) and window.start.year == year:
            return {w.pk for w in works if _counted(rule, w, version)}
    return set()


def years_of(version: DealVersion) -> set[int]:
    return {periods.parse_date(t["start"]).year for t in version.terms}


def count_used(rule: QuotaRule, year: int, *, exclude_deal: int | None = None) -> set[int]:
    """Works counted against a count rule in a year, over every signed deal (nationwide)."""
    used: set[int] = set()
    deals = Deal.objects.filter(state__in=SIGNED_STATES).exclude(pk=exclude_deal).prefetch_related(
        Prefetch("versions", queryset=DealVersion.objects.order_by("-number").prefetch_related("works__owner"))
    )
    for deal in deals:
        version = deal.versions.all()[0]
        used |= deal_works_for(rule, version, list(version.works.all()), year)
    return used


def platform_catalogue(rule: QuotaRule, licensee_id: int, year: int) -> set[int]:
    """Works the licensee may show in the rule's territory and media at some time that year."""
    leaves = media_taxonomy.expand(rule.media)
    first, after = date(year, 1, 1), date(year + 1, 1, 1)
    rows = (
        RightAtom.objects.filter(territory=rule.territory, media__in=leaves, start__lt=after, effective_end__gt=first)
        .filter(Q(kind=AtomKind.GRANT, licensee_id=licensee_id) | Q(kind=AtomKind.HOLDING, holder_id=licensee_id))
        .values_list("work_id", "start", "effective_end")
    )
    # Dates checked again: SQLite 3.40 can return rows outside the range for `media IN (...)`
    # over the (territory, media, start, ...) index (see docs/rights.md).
    return {work_id for work_id, start, end in rows if start < after and end > first}


def foreign_share(rule: QuotaRule, work_ids: set[int]) -> Decimal:
    if not work_ids:
        return Decimal("0")
    works = Work.objects.filter(pk__in=work_ids).select_related("owner")
    foreign = sum(1 for w in works if is_foreign(w, rule.territory))
    return (Decimal(foreign) * 100 / Decimal(len(work_ids))).quantize(Decimal("0.1"))


@dataclass
class QuotaCounter:
    rule: QuotaRule
    year: int
    used: Decimal | int | None
    limit: Decimal

    @property
    def near_limit(self) -> bool:
        return self.used is not None and Decimal(self.used) >= self.limit * Decimal("0.9")

    @property
    def over_limit(self) -> bool:
        """Only a soft quota can be over (a hard one refuses the signature); the page says so."""
        return self.used is not None and Decimal(self.used) > self.limit

    def as_dict(self) -> dict:
        return {"rule": self.rule.pk, "name": self.rule.name, "territory": self.rule.territory, "media": self.rule.media,
                "measure": self.rule.measure, "scope": self.rule.scope, "hard": self.rule.hard, "year": self.year,
                "used": None if self.used is None else str(self.used), "limit": format(self.limit.normalize(), "f"), "near_limit": self.near_limit,
                "over_limit": self.over_limit}


def quota_counters(actor=None, *, territory: str | None = None, year: int | None = None) -> list[QuotaCounter]:
    """used / limit for every rule. Count rules are nationwide (a number, no deal named); share
    rules are per platform, so they are filled in only for the actor's own organisation."""
    year = year or timezone.localdate().year
    rules = QuotaRule.objects.all()
    if territory:
        rules = rules.filter(territory=territory.upper())
    out = []
    for rule in rules:
        if rule.measure == QuotaMeasure.COUNT:
            used = len(count_used(rule, year))
        elif actor is not None:
            used = foreign_share(rule, platform_catalogue(rule, actor.organisation_id, year))
        else:
            used = None
        out.append(QuotaCounter(rule, year, used, rule.limit))
    return out


# ---------------------------------------------------------------- balance of the exchange

PERIODS = ("month", "quarter", "year")


def period_label(day: date, by: str) -> str:
    if by == "month":
        return f"{day.year}-{day.month:02d}"
    if by == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return str(day.year)


@dataclass
class Flow:
    """Content licensed in one direction in a period, and the money committed for it (paid the
    other way, by the licensee)."""

    runtimes: dict = field(default_factory=dict)  # work id → minutes; a work licensed twice counts once
    money: dict = field(default_factory=lambda: defaultdict(Decimal))
    royalties: dict = field(default_factory=lambda: defaultdict(Decimal))  # beyond the guarantees, from closed statements

    @property
    def works(self) -> set:
        return set(self.runtimes)

    @property
    def minutes(self) -> int:
        return sum(self.runtimes.values())

    @property
    def hours(self) -> Decimal:
        return (Decimal(self.minutes) / 60).quantize(Decimal("0.1"))

    def as_dict(self) -> dict:
        return {"works": len(self.works), "hours": str(self.hours), "money": {c: str(v) for c, v in sorted(self.money.items())},
                "royalties": {c: str(v) for c, v in sorted(self.royalties.items())}}


@dataclass
class BalanceRow:
    period: str
    a_to_b: Flow
    b_to_a: Flow

    def index(self) -> dict:
        """Equal-exchange index: the smaller flow divided by the larger (1 = equal; None when
        nothing moved either way)."""
        out = {"works": _ratio(len(self.a_to_b.works), len(self.b_to_a.works)),
               "hours": _ratio(self.a_to_b.minutes, self.b_to_a.minutes)}
        for currency in sorted(set(self.a_to_b.money) | set(self.b_to_a.money)):
            out[f"money_{currency}"] = _ratio(self.a_to_b.money.get(currency, 0), self.b_to_a.money.get(currency, 0))
        return out

    def as_dict(self) -> dict:
        return {"period": self.period, "a_to_b": self.a_to_b.as_dict(), "b_to_a": self.b_to_a.as_dict(),
                "index": {k: (None if v is None else str(v)) for k, v in self.index().items()}}


def _ratio(x, y) -> Decimal | None:
    hi, lo = max(x, y), min(x, y)
    return None if not hi else (Decimal(lo) / Decimal(hi)).quantize(Decimal("0.001"))


@dataclass
class Balance:
    scope: str
    a: str
    b: str
    by: str
    rows: list[BalanceRow]
    total: BalanceRow


def balance(actor, a: str, b: str, *, scope: str = "organisation", by: str = "year", start=None, end=None) -> Balance:
    """Works, hours and money flowing each way between two organisations (the actor's own must
    be one of them) or two countries (aggregates of every signed deal between organisations
    based there: numbers only, no deal, party or work named). Content flows licensor → licensee;
    the money counted is fees + minimum guarantee, shown with the content it paid for."""
    if by not in PERIODS:
        raise InvalidInput(_("Group by month, quarter or year."), details=[{"by": by}])
    window = periods.Period(periods.parse_date(start), periods.parse_date(end))
    if scope == "country":
        a, b = (a or "").upper(), (b or "").upper()
    side_a, side_b = _sides(actor, a, b, scope)
    deals = Deal.objects.filter(state__in=SIGNED_STATES, signed_on__isnull=False)
    if scope == "organisation":
        deals = deals.filter(Q(licensor__in=side_a, licensee__in=side_b) | Q(licensor__in=side_b, licensee__in=side_a))
    else:
        deals = deals.filter(Q(licensor__country=a, licensee__country=b) | Q(licensor__country=b, licensee__country=a))
    deals = deals.prefetch_related(Prefetch("versions", queryset=DealVersion.objects.order_by("-number").prefetch_related("works")))
    rows: dict[str, BalanceRow] = {}
    total = BalanceRow(_("total"), Flow(), Flow())
    a_ids = set(side_a.values_list("pk", flat=True)) if scope == "organisation" else None
    for deal in deals:
        if not window.contains_date(deal.signed_on):
            continue
        version = deal.versions.all()[0]
        works = list(version.works.all())
        runtimes = _runtimes(works)
        money = proposals.committed_money(version, len(works))
        from_a = deal.licensor_id in a_ids if a_ids is not None else deal.licensor.country == a
        label = period_label(deal.signed_on, by)
        row = rows.setdefault(label, BalanceRow(label, Flow(), Flow()))
        for target in (row, total):
            flow = target.a_to_b if from_a else target.b_to_a
            flow.runtimes.update(runtimes)
            flow.money[version.currency] += money
    if scope == "organisation":
        _add_royalties(rows, total, side_a, side_b, by, window)
    return Balance(scope, a, b, by, [rows[k] for k in sorted(rows)], total)


def _add_royalties(rows: dict, total: "BalanceRow", side_a, side_b, by: str, window) -> None:
    """Royalties paid each way (closed statements: what was earned beyond the guarantees), shown
    beside the content they paid for: on the licensor → licensee flow. The royalties app sits
    above the exchange, so it is asked only when installed."""
    try:
        from kinomost.royalties.statements import royalties_between
    except ImportError:
        return
    for from_a, (licensors, licensees) in ((True, (side_a, side_b)), (False, (side_b, side_a))):
        paid = royalties_between(licensors.values_list("pk", flat=True), licensees.values_list("pk", flat=True), window)
        for start, by_currency in paid.items():
            label = period_label(date.fromisoformat(start), by)
            row = rows.setdefault(label, BalanceRow(label, Flow(), Flow()))
            for target in (row, total):
                flow = target.a_to_b if from_a else target.b_to_a
                for currency, amount in by_currency.items():
                    flow.royalties[currency] += amount


def _sides(actor, a: str, b: str, scope: str):
    if scope == "country":
        codes = [(a or "").upper(), (b or "").upper()]
        if any(len(c) != 2 for c in codes) or codes[0] == codes[1]:
            raise InvalidInput(_("Give two different ISO country codes."), details=[{"a": a, "b": b}])
        return None, None
    if scope != "organisation":
        raise InvalidInput(_("Compare organisations or countries."), details=[{"scope": scope}])
    found = {o.slug: o for o in Organisation.objects.filter(slug__in=[a, b])}
    if a not in found or b not in found or a == b:
        raise NotFound(_("No such organisation."))
    if actor.organisation_id not in (found[a].pk, found[b].pk):
        raise NotFound(_("No such organisation."))
    return Organisation.objects.filter(pk=found[a].pk), Organisation.objects.filter(pk=found[b].pk)


def _runtimes(works: list[Work]) -> dict[int, int]:
    """Runtime from the catalogue; a series or season without one counts its episodes'."""
    out = {}
    for w in works:
        if w.runtime_minutes:
            out[w.pk] = w.runtime_minutes
        else:
            episodes = Work.objects.filter(Q(parent=w) | Q(parent__parent=w), kind="episode").exclude(runtime_minutes=None)
            out[w.pk] = sum(episodes.values_list("runtime_minutes", flat=True))
    return out


# ---------------------------------------------------------------- inbox


def inbox(actor, *, unread_only: bool = False) -> QuerySet[Notification]:
    qs = Notification.objects.filter(organisation_id=actor.organisation_id).select_related("deal")
    if unread_only and actor.user is not None:
        qs = qs.exclude(read_by=actor.user)
    return qs


def inbox_page(actor, *, unread_only: bool = False, limit: int = 200) -> list[tuple[Notification, bool]]:
    """The latest notices with whether this member has read each (two queries)."""
    notices = list(inbox(actor, unread_only=unread_only)[:limit])
    read = set()
    if actor.user is not None and notices:
        through = Notification.read_by.through
        read = set(through.objects.filter(user_id=actor.user.pk, notification_id__in=[n.pk for n in notices]).values_list("notification_id", flat=True))
    return [(n, n.pk in read) for n in notices]


_TEXTS = {
    NotificationKind.OFFER_RECEIVED: lambda d: _("Offer received: %(deal)s") % d,
    NotificationKind.COUNTER_PROPOSAL: lambda d: _("Counter-proposal on %(deal)s") % d,
    NotificationKind.ACCEPTED: lambda d: _("%(deal)s was accepted") % d,
    NotificationKind.REJECTED: lambda d: _("%(deal)s was rejected") % d,
    NotificationKind.WITHDRAWN: lambda d: _("%(deal)s was withdrawn") % d,
    NotificationKind.SIGNED: lambda d: _("%(deal)s was signed") % d,
    NotificationKind.ACTIVATED: lambda d: _("%(deal)s is active") % d,
    NotificationKind.TERMINATED: lambda d: _("%(deal)s was terminated on %(on)s") % d,
    NotificationKind.MESSAGE: lambda d: _("New message on %(deal)s") % d,
    NotificationKind.OFFER_EXPIRING: lambda d: _("The offer %(deal)s expires on %(on)s") % d,
    NotificationKind.WINDOW_EXPIRING: lambda d: _("The windows of %(deal)s end on %(on)s") % d,
    NotificationKind.APPROVAL_CHANGED: lambda d: _("Approval for %(work)s in %(territory)s is now %(status)s") % d,
    NotificationKind.QUOTA_NEAR_LIMIT: lambda d: _("Quota %(name)s: %(after)s of %(limit)s") % d,
}


def notification_text(n: Notification) -> str:
    data = {"deal": n.data.get("deal_name") or (n.deal.name if n.deal_id else ""), "on": "", "work": "", "territory": "",
            "status": "", "name": "", "after": "", "limit": "", **n.data}
    data["deal"] = data.get("deal_name") or data["deal"]
    try:
        return _TEXTS[n.kind](data)
    except (KeyError, ValueError, TypeError):
        return n.get_kind_display()
