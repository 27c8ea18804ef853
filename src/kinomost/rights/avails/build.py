"""Raw field values (keyed by the spreadsheet column names, the trade's own vocabulary) → a checked
`AvailRow`. Both readers call `build_row`, so every avail rule lives here once: what is required,
which vocabulary a field takes, and how the window must look.

Problems and warnings go into lists the caller owns; `where(field)` tells where a field sits in the
file (a spreadsheet row and column, or an XML element path) so messages point at the right cell.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any, Callable, Mapping

from kinomost.core import periods
from kinomost.core.errors import InvalidInput
from kinomost.rights.avails import values as v
from kinomost.rights.avails.model import (
    ENTRY_TYPES,
    FORMAT_PROFILES,
    LICENSE_RIGHTS_DESCRIPTIONS,
    LICENSE_TYPES,
    LOCALIZATION_TYPES,
    MOVIE_WORK_TYPES,
    PRICE_TYPES,
    UNPRICED_LICENSE_TYPES,
    WORK_TYPES,
    AvailRow,
)

Where = Callable[[str], dict]
#: Stands for a value the reader already refused (and reported); the field counts as present.
REFUSED = object()

# AvailRow attribute → source field, by kind of value
TEXT_FIELDS = {
    "licensor": "DisplayName",
    "licensee": "Licensee",
    "avail_id": "AvailID",
    "contract_id": "ContractID",
    "title_alias": "TitleInternalAlias",
    "title_display": "TitleDisplayUnlimited",
    "series_title_alias": "SeriesTitleInternalAlias",
    "series_title_display": "SeriesTitleDisplayUnlimited",
    "season_title_alias": "SeasonTitleInternalAlias",
    "season_title_display": "SeasonTitleDisplayUnlimited",
    "episode_title_alias": "EpisodeTitleInternalAlias",
    "episode_title_display": "EpisodeTitleDisplayUnlimited",
    "volume_title_alias": "VolumeTitleInternalAlias",
    "volume_title_display": "VolumeTitleDisplayUnlimited",
    "series_content_id": "SeriesContentID",
    "season_content_id": "SeasonContentID",
    "exclusive_attributes": "ExclusiveAttributes",
    "start_lag": "StartLag",
    "end_lag": "EndLag",
    "price_value": "PriceValue",
}
_TEXT_ATTR = {name: attr for attr, name in TEXT_FIELDS.items()}
INT_FIELDS = {
    "season_number": "SeasonNumber",
    "episode_number": "EpisodeNumber",
    "volume_number": "VolumeNumber",
    "episode_count": "EpisodeCount",
}
EIDR_FIELDS = {
    "title_id": "TitleID",
    "edit_id": "EditID",
    "series_id": "SeriesID",
    "season_id": "SeasonID",
    "volume_id": "VolumeID",
    "episode_title_id": "EpisodeTitleID",
    "episode_id": "EpisodeID",
}
CHOICE_FIELDS = {
    "entry_type": ("EntryType", v.Vocabulary(ENTRY_TYPES, "entry type")),
    "format_profile": ("FormatProfile", v.Vocabulary(FORMAT_PROFILES, "format profile")),
    "localization_type": ("LocalizationType", v.Vocabulary(LOCALIZATION_TYPES, "localization type")),
    "license_rights_description": ("LicenseRightsDescription", v.Vocabulary(LICENSE_RIGHTS_DESCRIPTIONS, "license rights description")),
    "price_type": ("PriceType", v.Vocabulary(PRICE_TYPES, "price type")),
}
WORK_TYPE = v.Vocabulary(WORK_TYPES, "work type")
LICENSE_TYPE = v.Vocabulary(LICENSE_TYPES, "license type")
#: The asset's own content ID sits in a different column for each TV level.
CONTENT_ID_FIELD = {"Episode": "EpisodeContentID", "Volume": "VolumeContentID", "Season": "SeasonContentID", "Series": "SeriesContentID"}

REQUIRED = ("DisplayName", "Territory", "WorkType", "EntryType", "LicenseType", "FormatProfile", "Start", "End")
REQUIRED_BY_WORK_TYPE = {
    **{w: ("TitleInternalAlias",) for w in MOVIE_WORK_TYPES},
    "Season": ("SeriesTitleInternalAlias", "SeasonNumber"),
    "Episode": ("SeriesTitleInternalAlias", "SeasonNumber", "EpisodeNumber", "EpisodeTitleInternalAlias"),
    "Volume": ("SeriesTitleInternalAlias",),
    "Series": ("SeriesTitleInternalAlias",),
}


def _start(value) -> tuple:
    return v.when(value, is_end=False)


def _end(value) -> tuple:
    return v.when(value, is_end=True)


#: Parsers whose answer depends on the value alone: their results are remembered per raw value
#: (dates, territories, languages, vocabularies repeat on nearly every row of a file), which
#: halves the cost of checking a large spreadsheet. Refusals are not remembered (their message
#: is made again, the same). Only str, int and date values are keys: 1, 1.0 and True hash
#: alike but do not read alike.
_MEMO: dict[Callable, dict] = {
    parser: {}
    for parser in (
        WORK_TYPE,
        LICENSE_TYPE,
        *(vocabulary for _, vocabulary in CHOICE_FIELDS.values()),
        v.integer,
        v.eidr,
        v.territory,
        v.country_list,
        v.moment,
        _start,
        _end,
        v.boolean,
        v.currency,
        v.language,
        v.language_list,
        v.year,
        v.runtime,
    )
}
_MEMO_KEYS = frozenset({str, int, dt.date, dt.datetime})  # not float, not bool (1.0 == True == 1)
_MEMO_SIZE = 4096
_MISSING = object()


class _Fields:
    """Reads one raw record, recording each failure against the field it came from."""

    def __init__(self, raw: Mapping[str, Any], where: Where, problems: list, warnings: list, clean: bool = False):
        self.raw = (
            raw
            if clean
            else {name: value for name, value in raw.items() if value is not None and (value.__class__ is not str or value.strip())}
        )
        self.where, self.problems, self.warnings = where, problems, warnings
        self.failed = False

    def error(self, name: str, message: str) -> None:
        self.failed = True
        self.problems.append({**self.where(name), "message": message})

    def warn(self, name: str, message: str) -> None:
        self.warnings.append({**self.where(name), "message": message})

    def present(self, name: str) -> bool:
        return name in self.raw

    def take(self, name: str, parser: Callable[[Any], Any]) -> Any:
        """Parsed value, or None when blank or bad (bad ones are recorded)."""
        value = self.raw.get(name)
        if value is None:
            return None
        if value is REFUSED:
            self.failed = True
            return None
        memo = _MEMO.get(parser) if value.__class__ in _MEMO_KEYS else None
        if memo is not None:
            found = memo.get(value, _MISSING)
            if found is not _MISSING:
                return found
        try:
            result = parser(value)
        except InvalidInput as exc:
            self.error(name, exc.message)
            return None
        if memo is not None and len(memo) < _MEMO_SIZE:
            memo[value] = result
        return result

    def take_noted(self, name: str, parser: Callable[[Any], tuple[Any, str | None]]) -> Any:
        """Like take, for parsers that return (value, warning)."""
        result = self.take(name, parser)
        if result is None:
            return None
        value, note = result
        if note:
            self.warn(name, note)
        return value


def build_row(
    raw: Mapping[str, Any],
    *,
    where: Where,
    problems: list,
    warnings: list,
    relaxed: frozenset[str] = frozenset(),
    source: str = "",
    clean: bool = False,
) -> AvailRow | None:
    """One raw record → AvailRow, or None after recording why not. `clean`: the caller already
    left out blank values (the spreadsheet reader does, while looking for formulas)."""
    f = _Fields(raw, where, problems, warnings, clean)
    work_type = f.take("WorkType", WORK_TYPE)
    license_type = f.take("LicenseType", LICENSE_TYPE)
    _require(f, _required(work_type, license_type, relaxed))
    fields = {**_plain(f), **_identity(f, work_type), **_window(f), **_price(f), **_metadata(f)}
    if f.failed:
        return None
    return AvailRow(work_type=work_type, license_type=license_type, source=source, **fields)


@lru_cache(maxsize=256)
def _required(work_type: str | None, license_type: str | None, relaxed: frozenset[str]) -> tuple[str, ...]:
    """The template's //REQ columns, which depend on the kind of asset and of license; an
    encoding may relax some (the XML schema makes SeasonNumber and the price optional)."""
    names = set(REQUIRED) | set(REQUIRED_BY_WORK_TYPE.get(work_type, ()))
    if license_type and license_type not in UNPRICED_LICENSE_TYPES:
        names |= {"PriceType", "PriceValue"}
    if license_type == "POEST":
        names.add("SuppressionLiftDate")
    return tuple(sorted(names - relaxed))


def _require(f: _Fields, names: tuple[str, ...]) -> None:
    present = f.raw
    for name in names:
        if name not in present:
            f.error(name, f"{name} is required")


def _plain(f: _Fields) -> dict:
    """Fields read by kind; absent ones are left to the AvailRow defaults (None)."""
    present = f.raw
    out = {}
    for name, value in present.items():  # text never fails: any order will do
        attr = _TEXT_ATTR.get(name)
        if attr is not None:
            out[attr] = value.strip() if value.__class__ is str else f.take(name, v.text)
    out.update({attr: f.take(name, v.integer) for attr, name in INT_FIELDS.items() if name in present})
    out.update({attr: f.take_noted(name, v.eidr) for attr, name in EIDR_FIELDS.items() if name in present})
    out.update({attr: f.take(name, vocabulary) for attr, (name, vocabulary) in CHOICE_FIELDS.items() if name in present})
    out["entry_type"] = out.get("entry_type") or "Full Extract"
    return out


def _identity(f: _Fields, work_type: str | None) -> dict:
    """Territory, the asset's own content ID, and the ALID.

    A missing ALID (REQ) falls back to the content ID with a warning: for a single-asset avail
    both name the same product (the TV 1.8 sample's season rows rely on this). Without either the
    row cannot be told apart from others, so it is refused.
    """
    content_field = "ContentID" if f.present("ContentID") else CONTENT_ID_FIELD.get(work_type, "ContentID")
    content_id = f.take(content_field, v.text)
    alid = f.take("ALID", v.text)
    if alid is None and content_id is not None:
        f.warn("ALID", f"ALID is empty; the content ID {content_id} ({content_field}) stands in for it")
    elif alid is None:
        f.error("ALID", "ALID is required")
    return {
        "alid": alid or content_id,
        "territory": f.take_noted("Territory", v.territory),
        "territory_exclusions": f.take("TerritoryExclusion", v.country_list) or (),
        "content_id": content_id,
    }


def _window(f: _Fields) -> dict:
    start, start_condition = f.take("Start", _start) or (None, None)
    end, end_condition = f.take("End", _end) or (None, None)
    for lag, moment in (("StartLag", start), ("EndLag", end)):
        if f.present(lag) and moment is not None:
            f.error(lag, f"{lag} is an offset from a keyword (e.g. Theatrical); it cannot follow a date")
    if periods.is_empty(*_comparable(start, end)):
        f.error("End", f"End {end} is not after Start {start}")
    return {
        "start": start,
        "start_condition": start_condition,
        "end": end,
        "end_condition": end_condition,
        "exclusive": f.take("Exclusive", v.boolean),
        "suppression_lift_date": f.take("SuppressionLiftDate", v.moment),
    }


def _comparable(start, end) -> tuple:
    """A Start and an End that compare: both dates as they are, or both naive datetimes when either
    carries a time (a date and a datetime do not compare in Python)."""
    if start is None or end is None or start.__class__ is end.__class__ is dt.date:
        return start, end
    return _as_naive(start), _as_naive(end)


def _as_naive(moment: dt.date | dt.datetime) -> dt.datetime:
    if not isinstance(moment, dt.datetime):
        return dt.datetime.combine(moment, dt.time(0))
    return moment.replace(tzinfo=None)


def _price(f: _Fields) -> dict:
    terms = list(f.raw.get("Terms") or ())
    if f.present("SRP"):
        terms.insert(0, ("SRP", v.text(f.raw["SRP"])))
    return {"price_currency": f.take("PriceCurrency", v.currency), "terms": tuple(terms)}


def _metadata(f: _Fields) -> dict:
    system, value = None, None
    if f.present("RatingSystem") or f.present("RatingValue"):
        checked = f.take("RatingValue", lambda x: v.rating(f.raw.get("RatingSystem") or "", x))
        system, value = checked or (f.take("RatingSystem", v.text), None)
    return {
        "asset_language": f.take("AssetLanguage", v.language),
        "allowed_languages": f.take("AllowedLanguages", v.language_list) or (),
        "release_year": f.take("ReleaseYear", v.year),
        "runtime": f.take_noted("TotalRunTime", v.runtime),
        "rating_system": system,
        "rating_value": value,
    }
