"""The parsed, normalised avail: one row = one (Avail, Transaction, Territory) of EMA/MovieLabs Avails.

Both encodings (spreadsheet 1.x and XML 2.x) read into the same `AvailRow`, so the rights ledger
that consumes them never needs to know which one a licensor sent. Values are normalised (ISO
country codes, BCP 47 tags, canonical vocabulary spelling, EIDRs in DOI form when valid) so that
two files saying the same thing give equal rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# --- vocabularies (TRADE.md §1.6); canonical spelling is the value, lookup is case-insensitive ---
MOVIE_WORK_TYPES = ("Movie", "Short", "Collection")
TV_WORK_TYPES = ("Season", "Episode", "Series", "Volume")
WORK_TYPES = MOVIE_WORK_TYPES + TV_WORK_TYPES
ENTRY_TYPES = ("Full Extract", "Full Delete", "Create", "Update", "Delete")
STANDARD_LICENSE_TYPES = ("EST", "VOD", "SVOD", "POEST", "Pre-Release", "Library")
#: Our extensions: the Avails vocabulary has no ad-supported/free/transactional split.
EXTENSION_LICENSE_TYPES = ("AVOD", "FVOD", "TVOD")
LICENSE_TYPES = STANDARD_LICENSE_TYPES + EXTENSION_LICENSE_TYPES
#: What an extension becomes when written for a standard reader; unmapped extensions are kept.
EXPORT_LICENSE_TYPE = {"TVOD": "VOD"}
#: License types with no per-transaction price (subscription, ad-funded, free).
UNPRICED_LICENSE_TYPES = ("SVOD", "AVOD", "FVOD")
FORMAT_PROFILES = ("SD", "HD", "UHD", "3D", "3DSD", "3DHD", "3DUHD", "HFR", "4K", "3D4K")
LOCALIZATION_TYPES = ("sub", "dub", "subdub", "any")
LICENSE_RIGHTS_DESCRIPTIONS = (
    "New Release",
    "Library",
    "Mega-Library",
    "Priority Library",
    "DD-Theatrical",
    "Pre-Theatrical",
    "DD-DVD",
    "Early EST",
    "Preorder EST",
    "Early VOD",
    "Preorder VOD",
    "DTV",
    "Next Day TV",
    "Season Only",
    "Free",
    "TempPromo",
    "POD",
)
_BASE_PRICE_TYPES = ("Tier", "WSP", "SRP", "DMRP", "SMRP", "Category", "LicenseFee", "NA", "EpisodeWSP", "SeasonWSP")
PRICE_TYPES = tuple(f"{pre}{base}{post}" for base in _BASE_PRICE_TYPES for pre in ("", "TPR-") for post in ("", "-PostTax"))
#: DateTimeCondition vocabulary (avails v2.5+). `Open` is an End keyword only.
CONDITIONS = ("Open", "Immediate", "ESTStart", "EST", "Broadcast", "Completed", "Theatrical", "TBD")

Moment = dt.date | dt.datetime  # a date-only value means the start of that day (Google's reading)


@dataclass(kw_only=True, slots=True)
class AvailRow:
    """One licensable window: title T may be offered in territory X under license L, format F, from
    start to end, at price P. `start`/`end` are None exactly when the file gave a keyword instead
    of a date; `start_condition`/`end_condition` then say which (see docs/avails.md).

    Not frozen: a frozen dataclass sets each of these ~70 fields through object.__setattr__,
    which made building rows the slowest step of reading a large spreadsheet. Treat as a value."""

    # Avail level: who licenses what
    licensor: str
    licensee: str | None = None
    entry_type: str = "Full Extract"
    work_type: str
    alid: str
    content_id: str | None = None
    avail_id: str | None = None
    contract_id: str | None = None
    # where
    territory: str  # ISO 3166-1 alpha-2, or a UN M.49 region code such as 001 (world)
    territory_exclusions: tuple[str, ...] = ()
    # titles (movies use title_*, TV the series/season/episode/volume ones)
    title_alias: str | None = None
    title_display: str | None = None
    series_title_alias: str | None = None
    series_title_display: str | None = None
    season_title_alias: str | None = None
    season_title_display: str | None = None
    episode_title_alias: str | None = None
    episode_title_display: str | None = None
    volume_title_alias: str | None = None
    volume_title_display: str | None = None
    season_number: int | None = None
    episode_number: int | None = None
    volume_number: int | None = None
    episode_count: int | None = None
    series_content_id: str | None = None
    season_content_id: str | None = None
    # how and when
    license_type: str
    license_rights_description: str | None = None
    format_profile: str
    start: Moment | None = None
    start_condition: str | None = None
    start_lag: str | None = None
    end: Moment | None = None
    end_condition: str | None = None
    end_lag: str | None = None
    exclusive: bool | None = None
    exclusive_attributes: str | None = None
    suppression_lift_date: Moment | None = None
    # price
    price_type: str | None = None
    price_value: str | None = None
    price_currency: str | None = None
    terms: tuple[tuple[str, str], ...] = ()  # other named terms (SRP beside a WSP, CampaignID, TPRType ...)
    # identifiers: EIDRs in 10.5240/... form when valid, else as given (with a warning)
    title_id: str | None = None
    edit_id: str | None = None
    series_id: str | None = None
    season_id: str | None = None
    volume_id: str | None = None
    episode_title_id: str | None = None
    episode_id: str | None = None
    # language and descriptive metadata
    asset_language: str | None = None
    localization_type: str | None = None
    allowed_languages: tuple[str, ...] = ()
    release_year: int | None = None
    runtime: dt.timedelta | None = None
    rating_system: str | None = None
    rating_value: str | None = None
    # where it came from, for messages; not part of the avail's meaning
    source: str = field(default="", compare=False)

    @property
    def open_ended(self) -> bool:
        """True only for End = Open; other keywords (ESTStart, Immediate, TBD ...) are not 'open'."""
        return self.end is None and self.end_condition == "Open"

    @property
    def is_tv(self) -> bool:
        return self.work_type in TV_WORK_TYPES


@dataclass
class AvailsFile:
    """What a reader returns: the rows, and what it accepted but wants a person to know."""

    rows: list[AvailRow]
    warnings: list[dict] = field(default_factory=list)
    version: str | None = None
    format: str = ""

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)
