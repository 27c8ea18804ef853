"""AvailRows → a v1.9 spreadsheet or XML avails 2.5, such that reading the file back gives equal rows.

Spreadsheet: one workbook with two sheets in the MovieLabs v1.9 templates, "Movies" (78 columns)
for Movie/Short/Collection rows and "TV" (102 columns) for Season/Episode/Volume/Series rows;
the reader reads every avails sheet of a workbook, so one file carries both. Rows 1-3 are the
template's class, field and version/REQ rows. Open-ended and keyword windows are written as the
keyword (Open, ESTStart ...); running times as H:MM:SS, which no reader can take for H:MM.

XML: consecutive rows that share every Avail-level field become one Avail with one Transaction
per row (one Territory each), so row order survives a round trip.

What is not written: named terms other than SRP in the spreadsheet (the templates have no
column for CampaignID and the like; XML keeps them all). TVOD is written as VOD, the standard
name for the same license (EXPORT_LICENSE_TYPE); AVOD and FVOD have no standard equivalent and
are written as they are.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import IO, Iterable
from urllib.parse import quote

import openpyxl
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kinomost.core.errors import InvalidInput
from kinomost.core.identifiers import EIDR_CONTENT_PREFIX, eidr_urn
from kinomost.core.ratings import SYSTEMS as RATING_SYSTEMS
from kinomost.core.spreadsheets import xlsx_row
from kinomost.rights.avails import layout
from kinomost.rights.avails import values as v
from kinomost.rights.avails.build import CONTENT_ID_FIELD, EIDR_FIELDS, INT_FIELDS, TEXT_FIELDS
from kinomost.rights.avails.model import EXPORT_LICENSE_TYPE, AvailRow

AVAILS_NS = "http://www.movielabs.com/schema/avails/v2.5/avails"
MD_NS = "http://www.movielabs.com/schema/md/v2.8/md"
AVAIL_TYPE = {
    "Movie": "single",
    "Short": "single",
    "Collection": "collection",
    "Episode": "episode",
    "Season": "season",
    "Series": "series",
    "Volume": "volume",
}
Target = str | Path | IO[bytes]


# --- spreadsheet -----------------------------------------------------------------------------------


def write_xlsx(rows: Iterable[AvailRow], target: Target) -> None:
    """Movies and TV sheets of the v1.9 template, written in openpyxl's streaming mode; text that
    starts with '=' (a title another organisation chose) is a string cell, never a formula."""
    workbook = openpyxl.Workbook(write_only=True)
    sheets = {"Movies": _template_sheet(workbook, "Movies", layout.MOVIES), "TV": _template_sheet(workbook, "TV", layout.TV)}
    for row in rows:
        columns = layout.TV if row.is_tv else layout.MOVIES
        cells = spreadsheet_cells(row)
        sheet = sheets["TV" if row.is_tv else "Movies"]
        sheet.append(xlsx_row(sheet, [cells.get(name) for name, _, _ in columns]))
    workbook.save(target)


def _template_sheet(workbook, title: str, columns):
    sheet = workbook.create_sheet(title)
    sheet.append([element for _, element, _ in columns])
    sheet.append([name for name, _, _ in columns])
    sheet.append([layout.VERSION] + [f"//{required}" for _, _, required in columns[1:]])
    return sheet


def spreadsheet_cells(row: AvailRow) -> dict[str, object]:
    """Field name → cell value; the inverse of what build_row reads."""
    cells: dict[str, object] = {name: getattr(row, attr) for attr, name in {**TEXT_FIELDS, **INT_FIELDS}.items()}
    cells.update({name: getattr(row, attr) for attr, name in EIDR_FIELDS.items()})
    cells.update(
        {
            "DisplayName": row.licensor,
            "ALID": row.alid,
            "WorkType": row.work_type,
            "EntryType": row.entry_type,
            "Territory": row.territory,
            "TerritoryExclusion": ", ".join(row.territory_exclusions) or None,
            "LicenseType": EXPORT_LICENSE_TYPE.get(row.license_type, row.license_type),
            "LicenseRightsDescription": row.license_rights_description,
            "FormatProfile": row.format_profile,
            "Start": _cell_moment(row.start) or row.start_condition,
            "End": _cell_moment(row.end) or row.end_condition,
            "PriceType": row.price_type,
            "PriceCurrency": row.price_currency,
            "SRP": dict(row.terms).get("SRP"),
            "Exclusive": row.exclusive,
            "SuppressionLiftDate": _cell_moment(row.suppression_lift_date),
            "AssetLanguage": row.asset_language,
            "LocalizationType": row.localization_type,
            "AllowedLanguages": ", ".join(row.allowed_languages) or None,
            "ReleaseYear": row.release_year,
            "TotalRunTime": v.clock_text(row.runtime) if row.runtime is not None else None,
            "RatingSystem": row.rating_system,
            "RatingValue": row.rating_value,
        }
    )
    cells[_content_id_field(row)] = row.content_id
    if row.work_type == "Season":
        cells["SeasonContentID"] = row.season_content_id or row.content_id
    return cells


def _content_id_field(row: AvailRow) -> str:
    return CONTENT_ID_FIELD.get(row.work_type, "ContentID") if row.is_tv else "ContentID"


def _cell_moment(moment):
    """Dates as date cells; a time zone cannot live in an Excel date, so aware ones go as ISO text."""
    if isinstance(moment, dt.datetime) and moment.tzinfo is not None:
        return moment.isoformat()
    return moment


# --- XML ---------------------------------------------------------------------------------------------


def write_xml(rows: Iterable[AvailRow], target: Target, notes: SchemaNotes | None = None) -> list[dict]:
    """An AvailList in the avails 2.5 namespace that its schema accepts; returns the notes on what
    the schema requires that the rows did not say, and how it was filled (added to `notes`, when
    the caller already has some). Refuses to write no Avail at all (the schema requires one)."""
    ET.register_namespace("avails", AVAILS_NS)
    ET.register_namespace("md", MD_NS)
    root = ET.Element(_a("AvailList"))
    notes = notes if notes is not None else SchemaNotes()
    avail, key, count = None, None, 0
    for row in rows:
        if avail is None or _avail_key(row) != key:
            avail, key, count = _avail(root, row, notes), _avail_key(row), count + 1
        _transaction(avail, row, notes)
    if count == 0:
        raise InvalidInput(gettext("There is nothing to export: an avails XML holds at least one avail, and there are no rows."))
    _write_document(root, target)
    return notes.as_list()


def _write_document(root: ET.Element, target: Target) -> None:
    """Every avails XML leaves through here (the tests check each one against the schema)."""
    ET.indent(root)
    ET.ElementTree(root).write(target, encoding="UTF-8", xml_declaration=True)


class SchemaNotes:
    """What a writer filled in for the schema, counted per kind of fill: one note each with the
    number of Avails (or price rows) concerned, so a 300-title export gets one line, not 300."""

    def __init__(self):
        self.counts: dict[tuple[str, str], int] = {}

    def add(self, field: str, note: str) -> None:
        self.counts[(field, note)] = self.counts.get((field, note), 0) + 1

    def as_list(self) -> list[dict]:
        """Translated into the active language when asked for (the writer runs without one)."""
        return [{"field": field, "count": count, "message": str(NOTES[note])} for (field, note), count in self.counts.items()]


#: Each note worded once; `count` beside it says on how many Avails (or rows, for a price).
NOTES = {
    "short_description": _("written from the title: the schema requires a short description, which avails rows do not carry"),
    "content_id": _("derived from the ALID: the schema requires a content ID and the row had none"),
    "level_content_id": _("derived from the EIDR or the series title: the schema requires it and the row had none"),
    "parent_content_id": _(
        "derived from the series' or season's ALID (or reference): the schema requires it and the work has no content ID"
    ),
    "rating_region": _(
        "taken from the territory: the schema requires the rating's region, and Kinomost does not know the rating system's country"
    ),
    "price_as_text": _("written as text without its currency: the price is not a number, and the schema's money is one"),
    "not_in_level": _("left out: the schema has no place for it on a season, series or volume"),
}


def _a(name: str) -> str:
    return f"{{{AVAILS_NS}}}{name}"


def _md(name: str) -> str:
    return f"{{{MD_NS}}}{name}"


def _sub(parent: ET.Element, tag: str, text=None, **attributes) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: str(x) for k, x in attributes.items() if x is not None})
    if text is not None:
        element.text = str(text)
    return element


_TRANSACTION_FIELDS = {
    "avail_id",
    "contract_id",
    "licensee",
    "territory",
    "territory_exclusions",
    "license_type",
    "license_rights_description",
    "format_profile",
    "start",
    "start_condition",
    "start_lag",
    "end",
    "end_condition",
    "end_lag",
    "exclusive",
    "exclusive_attributes",
    "suppression_lift_date",
    "price_type",
    "price_value",
    "price_currency",
    "terms",
    "asset_language",
    "allowed_languages",
    "source",
}


def _avail_key(row: AvailRow) -> tuple:
    """Everything that sits on the Avail (not the Transaction): rows equal here share an Avail."""
    return tuple(getattr(row, name) for name in row.__slots__ if name not in _TRANSACTION_FIELDS)


def _avail(root: ET.Element, row: AvailRow, notes: SchemaNotes) -> ET.Element:
    """Avail children in the schema's sequence: ALID, Disposition, Licensor, AvailType,
    ShortDescription (required; rows have none, so the title says what is offered), Asset."""
    avail = _sub(root, _a("Avail"))
    _sub(avail, _a("ALID"), row.alid)
    _sub(_sub(avail, _a("Disposition")), _a("EntryType"), row.entry_type)
    _sub(_sub(avail, _a("Licensor")), _md("DisplayName"), row.licensor)
    _sub(avail, _a("AvailType"), AVAIL_TYPE[row.work_type])
    _sub(avail, _a("ShortDescription"), short_description(row))
    notes.add("ShortDescription", "short_description")
    content_id = row.content_id or (row.season_content_id if row.work_type == "Season" else None)
    if content_id is None:
        content_id = derived_content_id(row.alid)
        notes.add("Asset/@contentID", "content_id")
    asset = _sub(avail, _a("Asset"), contentID=content_id)
    _sub(asset, _a("WorkType"), row.work_type)
    _asset_metadata(asset, row, content_id, notes)
    return avail


def short_description(row: AvailRow) -> str:
    """What is offered, in the file's own words: the title, and for TV the series with the
    season, episode or volume number ("Seventeen Moments S1 E2: Part 2")."""
    if not row.is_tv:
        return row.title_display or row.title_alias or row.alid
    series = row.series_title_display or row.series_title_alias or row.alid
    numbers = " ".join(
        f"{letter}{number}"
        for letter, number in (("S", row.season_number), ("V", row.volume_number), ("E", row.episode_number))
        if number is not None
    )
    own = {
        "Episode": row.episode_title_display or row.episode_title_alias,
        "Season": row.season_title_display or row.season_title_alias,
        "Volume": row.volume_title_display or row.volume_title_alias,
    }.get(row.work_type)
    return ": ".join(part for part in (" ".join(p for p in (series, numbers) if p), own) if part)


def derived_content_id(alid: str) -> str:
    """A content ID for an asset that has none, from its ALID: the same MovieLabs ID with the
    type `cid` (md:alid:org:x:y → md:cid:org:x:y), or one in Kinomost's namespace."""
    if alid.startswith("md:alid:"):
        return "md:cid:" + alid.removeprefix("md:alid:")
    return "md:cid:org:kinomost:" + quote(alid, safe=":-._~")


def _level_content_id(eidr: str | None, series_title: str | None, *suffix: str) -> str:
    """SeriesContentID/SeasonContentID the row lacks: the level's EIDR (scheme eidr-s, the bare
    suffix), else the series title (and season number) in Kinomost's namespace, so every episode
    of one season names the same season."""
    if eidr and eidr.startswith(f"{EIDR_CONTENT_PREFIX}/") and not suffix:
        return f"md:cid:eidr-s:{eidr.partition('/')[2]}"
    return ":".join(["md:cid:org:kinomost:series", quote(series_title or "", safe="-._~"), *suffix])


def _asset_metadata(asset: ET.Element, row: AvailRow, content_id: str, notes: SchemaNotes) -> None:
    """The metadata element of the asset's level, with the levels above nested inside it."""
    if not row.is_tv:
        metadata = _sub(asset, _a("Metadata"))
        _texts(
            metadata,
            [
                ("TitleDisplayUnlimited", row.title_display),
                ("TitleInternalAlias", row.title_alias),
                ("EditEIDR-URN", _urn(row.edit_id)),
                ("TitleEIDR-URN", _urn(row.title_id)),
            ],
        )
        _shared_metadata(metadata, row, notes)
        return
    {"Episode": _episode, "Volume": _volume, "Season": _season, "Series": _series}[row.work_type](asset, row, notes, own=content_id)


def _episode(parent: ET.Element, row: AvailRow, notes: SchemaNotes, own: str | None = None) -> ET.Element:
    """AvailMetadata's sequence (titles, EIDRs, release date, run length, ratings, localization),
    then EpisodeNumber (required; empty when unknown), then the season."""
    metadata = _sub(parent, _a("EpisodeMetadata"))
    _texts(
        metadata,
        [
            ("TitleDisplayUnlimited", row.episode_title_display),
            ("TitleInternalAlias", row.episode_title_alias),
            ("EditEIDR-URN", _urn(row.episode_id)),
            ("TitleEIDR-URN", _urn(row.episode_title_id)),
        ],
    )
    _shared_metadata(metadata, row, notes)
    _number(metadata, "EpisodeNumber", row.episode_number)
    _season(metadata, row, notes, own_level=False)
    return metadata


def _volume(parent: ET.Element, row: AvailRow, notes: SchemaNotes, own: str | None = None) -> ET.Element:
    metadata = _sub(parent, _a("VolumeMetadata"))
    _texts(
        metadata,
        [
            ("VolumeContentID", own),
            ("VolumeEIDR-URN", _urn(row.volume_id)),
            ("VolumeTitleDisplayUnlimited", row.volume_title_display),
            ("VolumeTitleInternalAlias", row.volume_title_alias),
        ],
    )
    _number(metadata, "VolumeNumber", row.volume_number)
    _level_metadata(metadata, row, notes)
    _season(metadata, row, notes, own_level=False)
    return metadata


def _season(parent: ET.Element, row: AvailRow, notes: SchemaNotes, own: str | None = None, own_level: bool = True) -> ET.Element:
    """SeasonContentID and SeasonNumber are required (an unknown number is an empty element, as
    the MovieLabs Volume sample writes it); release date and ratings sit here when the season is
    the asset."""
    metadata = _sub(parent, _a("SeasonMetadata"))
    content_id = own or row.season_content_id
    if content_id is None:
        content_id = _level_content_id(row.season_id, row.series_title_alias, "season", str(row.season_number or ""))
        notes.add("SeasonContentID", "level_content_id")
    _texts(
        metadata,
        [
            ("SeasonContentID", content_id),
            ("SeasonEIDR-URN", _urn(row.season_id)),
            ("SeasonTitleDisplayUnlimited", row.season_title_display),
            ("SeasonTitleInternalAlias", row.season_title_alias),
        ],
    )
    _number(metadata, "SeasonNumber", row.season_number)
    if own_level:
        _level_metadata(metadata, row, notes)
    _texts(metadata, [("NumberOfEpisodes", row.episode_count)])
    _series(metadata, row, notes, own_level=False)
    return metadata


def _series(parent: ET.Element, row: AvailRow, notes: SchemaNotes, own: str | None = None, own_level: bool = True) -> ET.Element:
    metadata = _sub(parent, _a("SeriesMetadata"))
    content_id = own or row.series_content_id
    if content_id is None:
        content_id = _level_content_id(row.series_id, row.series_title_alias)
        notes.add("SeriesContentID", "level_content_id")
    _texts(
        metadata,
        [
            ("SeriesContentID", content_id),
            ("SeriesEIDR-URN", _urn(row.series_id)),
            ("SeriesTitleDisplayUnlimited", row.series_title_display),
            ("SeriesTitleInternalAlias", row.series_title_alias),
        ],
    )
    if own_level:
        _level_metadata(metadata, row, notes)
    return metadata


def _shared_metadata(metadata: ET.Element, row: AvailRow, notes: SchemaNotes) -> None:
    """ReleaseDate, RunLength, Ratings, LocalizationOffering: in this order (AvailMetadata-type)."""
    _texts(
        metadata, [("ReleaseDate", row.release_year), ("RunLength", v.iso_duration_text(row.runtime) if row.runtime is not None else None)]
    )
    _ratings(metadata, row, notes)
    _texts(metadata, [("LocalizationOffering", row.localization_type)])


def _level_metadata(metadata: ET.Element, row: AvailRow, notes: SchemaNotes) -> None:
    """A season, series or volume asset: its schema has ReleaseDate and Ratings, but no RunLength
    nor LocalizationOffering; those are left out, with a note."""
    _texts(metadata, [("ReleaseDate", row.release_year)])
    _ratings(metadata, row, notes)
    for field, value in (("RunLength", row.runtime), ("LocalizationOffering", row.localization_type)):
        if value is not None:
            notes.add(field, "not_in_level")


def _ratings(metadata: ET.Element, row: AvailRow, notes: SchemaNotes) -> None:
    """md:Rating needs its Region: the rating system's country (core.ratings), else the row's
    territory, which is where the avail offers it."""
    if not (row.rating_system or row.rating_value):
        return
    region = RATING_SYSTEMS.get((row.rating_system or "").upper(), (None,))[0]
    if region is None:
        region = row.territory
        notes.add("Ratings/Rating/Region", "rating_region")
    rating = _sub(_sub(metadata, _a("Ratings")), _md("Rating"))
    _region(rating, _md("Region"), region)
    _sub(rating, _md("System"), row.rating_system)
    _sub(rating, _md("Value"), row.rating_value)


def _region(parent: ET.Element, tag: str, code: str) -> None:
    """md:Region-type: an ISO country, or a UN M.49 region (001 the world) as countryRegion."""
    _sub(_sub(parent, tag), _md("countryRegion" if code.isdigit() else "country"), code)


def _urn(eidr: str | None) -> str | None:
    """*EIDR-URN elements take the URN spelling; an EIDR kept as given (not valid) stays as given."""
    if eidr is None or not eidr.startswith(f"{EIDR_CONTENT_PREFIX}/"):
        return eidr
    try:
        return eidr_urn(eidr)
    except InvalidInput:
        return eidr


def _texts(parent: ET.Element, pairs: list[tuple[str, object]]) -> None:
    for name, value in pairs:
        if value is not None:
            _sub(parent, _a(name), value)


def _number(parent: ET.Element, name: str, value: int | None) -> None:
    """A sequence number element is required where it is written; md:Number inside is not."""
    element = _sub(parent, _a(name))
    if value is not None:
        _sub(element, _md("Number"), value)


def _transaction(avail: ET.Element, row: AvailRow, notes: SchemaNotes) -> None:
    transaction = _sub(avail, _a("Transaction"), TransactionID=row.avail_id)
    if row.licensee:
        _sub(_sub(transaction, _a("Licensee")), _md("DisplayName"), row.licensee)
    _sub(transaction, _a("LicenseType"), EXPORT_LICENSE_TYPE.get(row.license_type, row.license_type))
    _region(transaction, _a("Territory"), row.territory)
    for country in row.territory_exclusions:
        _region(transaction, _a("TerritoryExcluded"), country)
    _edge(transaction, "Start", row.start, row.start_condition, row.start_lag)
    _edge(transaction, "End", row.end, row.end_condition, row.end_lag)
    for language in row.allowed_languages:
        _sub(transaction, _a("AllowedLanguage"), language)
    _texts(
        transaction,
        [
            ("AssetLanguage", row.asset_language),
            ("LicenseRightsDescription", row.license_rights_description),
            ("FormatProfile", row.format_profile),
            ("ContractID", row.contract_id),
        ],
    )
    _terms(transaction, row, notes)


def _edge(transaction: ET.Element, name: str, moment, condition: str | None, lag: str | None) -> None:
    if moment is not None:
        _sub(transaction, _a(name), v.iso_moment_text(moment))
    elif condition is not None:
        _sub(transaction, _a(f"{name}Condition"), condition, lag=lag)


def _terms(transaction: ET.Element, row: AvailRow, notes: SchemaNotes) -> None:
    if row.price_type:
        _price(transaction, row, notes)
    if row.exclusive is not None:
        _sub(_sub(transaction, _a("Term"), termName="Exclusive"), _a("Boolean"), str(row.exclusive).lower())
    if row.exclusive_attributes:
        _sub(_sub(transaction, _a("Term"), termName="ExclusiveAttributes"), _a("Text"), row.exclusive_attributes)
    if row.suppression_lift_date is not None:
        _sub(_sub(transaction, _a("Term"), termName="SuppressionLiftDate"), _a("Event"), row.suppression_lift_date.isoformat())
    for name, value in row.terms:
        _sub(_sub(transaction, _a("Term"), termName=name), _a("Text"), value)


def _price(transaction: ET.Element, row: AvailRow, notes: SchemaNotes) -> None:
    """A priced term is md:Money (a decimal with its currency); a tier, a category or NA is Text,
    as the MovieLabs samples write them (`<Term termName="NA"><Text>NA</Text>`)."""
    term = _sub(transaction, _a("Term"), termName=row.price_type)
    if row.price_currency and _is_decimal(row.price_value):
        _sub(term, _a("Money"), row.price_value, currency=row.price_currency)
        return
    if row.price_currency:
        notes.add("PriceCurrency", "price_as_text")
    _sub(term, _a("Text"), row.price_value)


def _is_decimal(value: str | None) -> bool:
    return value is not None and re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", value.strip()) is not None
