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
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import IO, Iterable

import openpyxl

from kinomost.core.spreadsheets import xlsx_row
from kinomost.rights.avails import layout
from kinomost.rights.avails import values as v
from kinomost.rights.avails.build import CONTENT_ID_FIELD, EIDR_FIELDS, INT_FIELDS, TEXT_FIELDS
from kinomost.rights.avails.model import EXPORT_LICENSE_TYPE, AvailRow

AVAILS_NS = "http://www.movielabs.com/schema/avails/v2.5/avails"
MD_NS = "http://www.movielabs.com/schema/md/v2.8/md"
AVAIL_TYPE = {"Movie": "single", "Short": "single", "Collection": "collection", "Episode": "episode",
              "Season": "season", "Series": "series", "Volume": "volume"}
Target = str | Path | IO[bytes]


# --- spreadsheet -----------------------------------------------------------------------------------


def write_xlsx(rows: Iterable[AvailRow], target: Target) -> None:
    """Movies and TV sheets of the v1.9 template, written in openpyxl's streaming mode; text that
    starts with '=' (a title another organisation chose) is a string cell, never a formula."""
    workbook = openpyxl.Workbook(write_only=True)
    sheets = {"Movies": _template_sheet(workbook, "Movies", layout.MOVIES),
              "TV": _template_sheet(workbook, "TV", layout.TV)}
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
    cells.update({
        "DisplayName": row.licensor, "ALID": row.alid, "WorkType": row.work_type, "EntryType": row.entry_type,
        "Territory": row.territory, "TerritoryExclusion": ", ".join(row.territory_exclusions) or None,
        "LicenseType": EXPORT_LICENSE_TYPE.get(row.license_type, row.license_type),
        "LicenseRightsDescription": row.license_rights_description, "FormatProfile": row.format_profile,
        "Start": _cell_moment(row.start) or row.start_condition, "End": _cell_moment(row.end) or row.end_condition,
        "PriceType": row.price_type, "PriceCurrency": row.price_currency, "SRP": dict(row.terms).get("SRP"),
        "Exclusive": row.exclusive, "SuppressionLiftDate": _cell_moment(row.suppression_lift_date),
        "AssetLanguage": row.asset_language, "LocalizationType": row.localization_type,
        "AllowedLanguages": ", ".join(row.allowed_languages) or None, "ReleaseYear": row.release_year,
        "TotalRunTime": v.clock_text(row.runtime) if row.runtime is not None else None,
        "RatingSystem": row.rating_system, "RatingValue": row.rating_value,
    })
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


def write_xml(rows: Iterable[AvailRow], target: Target) -> None:
    """An AvailList in the avails 2.5 namespace."""
    ET.register_namespace("avails", AVAILS_NS)
    ET.register_namespace("md", MD_NS)
    root = ET.Element(_a("AvailList"))
    avail, key = None, None
    for row in rows:
        if avail is None or _avail_key(row) != key:
            avail, key = _avail(root, row), _avail_key(row)
        _transaction(avail, row)
    ET.indent(root)
    ET.ElementTree(root).write(target, encoding="UTF-8", xml_declaration=True)


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
    "avail_id", "contract_id", "licensee", "territory", "territory_exclusions", "license_type",
    "license_rights_description", "format_profile", "start", "start_condition", "start_lag", "end",
    "end_condition", "end_lag", "exclusive", "exclusive_attributes", "suppression_lift_date", "price_type",
    "price_value", "price_currency", "terms", "asset_language", "allowed_languages", "source",
}


def _avail_key(row: AvailRow) -> tuple:
    """Everything that sits on the Avail (not the Transaction): rows equal here share an Avail."""
    return tuple(getattr(row, name) for name in row.__slots__ if name not in _TRANSACTION_FIELDS)


def _avail(root: ET.Element, row: AvailRow) -> ET.Element:
    avail = _sub(root, _a("Avail"))
    _sub(avail, _a("ALID"), row.alid)
    _sub(_sub(avail, _a("Disposition")), _a("EntryType"), row.entry_type)
    _sub(_sub(avail, _a("Licensor")), _md("DisplayName"), row.licensor)
    _sub(avail, _a("AvailType"), AVAIL_TYPE[row.work_type])
    asset = _sub(avail, _a("Asset"), contentID=row.content_id)
    _sub(asset, _a("WorkType"), row.work_type)
    _asset_metadata(asset, row)
    return avail


def _asset_metadata(asset: ET.Element, row: AvailRow) -> None:
    """The metadata element of the asset's level, with the levels above nested inside it."""
    if not row.is_tv:
        metadata = _sub(asset, _a("Metadata"))
        _texts(metadata, [("TitleDisplayUnlimited", row.title_display), ("TitleInternalAlias", row.title_alias),
                          ("EditEIDR-URN", row.edit_id), ("TitleEIDR-URN", row.title_id)])
        _shared_metadata(metadata, row)
        return
    level = {"Episode": _episode, "Volume": _volume, "Season": _season, "Series": _series}[row.work_type]
    _shared_metadata(level(asset, row), row)


def _episode(parent: ET.Element, row: AvailRow) -> ET.Element:
    metadata = _sub(parent, _a("EpisodeMetadata"))
    _texts(metadata, [("TitleDisplayUnlimited", row.episode_title_display),
                      ("TitleInternalAlias", row.episode_title_alias),
                      ("EditEIDR-URN", row.episode_id), ("TitleEIDR-URN", row.episode_title_id)])
    _number(metadata, "EpisodeNumber", row.episode_number)
    _season(metadata, row)
    return metadata


def _volume(parent: ET.Element, row: AvailRow) -> ET.Element:
    metadata = _sub(parent, _a("VolumeMetadata"))
    _texts(metadata, [("VolumeContentID", row.content_id), ("VolumeEIDR-URN", row.volume_id),
                      ("VolumeTitleDisplayUnlimited", row.volume_title_display),
                      ("VolumeTitleInternalAlias", row.volume_title_alias)])
    _number(metadata, "VolumeNumber", row.volume_number)
    _season(metadata, row)
    return metadata


def _season(parent: ET.Element, row: AvailRow) -> ET.Element:
    metadata = _sub(parent, _a("SeasonMetadata"))
    _texts(metadata, [("SeasonContentID", row.season_content_id), ("SeasonEIDR-URN", row.season_id),
                      ("SeasonTitleDisplayUnlimited", row.season_title_display),
                      ("SeasonTitleInternalAlias", row.season_title_alias)])
    _number(metadata, "SeasonNumber", row.season_number)
    _texts(metadata, [("NumberOfEpisodes", row.episode_count)])
    _series(metadata, row)
    return metadata


def _series(parent: ET.Element, row: AvailRow) -> ET.Element:
    metadata = _sub(parent, _a("SeriesMetadata"))
    _texts(metadata, [("SeriesContentID", row.series_content_id), ("SeriesEIDR-URN", row.series_id),
                      ("SeriesTitleDisplayUnlimited", row.series_title_display),
                      ("SeriesTitleInternalAlias", row.series_title_alias)])
    return metadata


def _shared_metadata(metadata: ET.Element, row: AvailRow) -> None:
    _texts(metadata, [("ReleaseDate", row.release_year),
                      ("RunLength", v.iso_duration_text(row.runtime) if row.runtime is not None else None)])
    if row.rating_system or row.rating_value:
        rating = _sub(_sub(metadata, _a("Ratings")), _md("Rating"))
        _sub(rating, _md("System"), row.rating_system)
        _sub(rating, _md("Value"), row.rating_value)
    _texts(metadata, [("LocalizationOffering", row.localization_type)])


def _texts(parent: ET.Element, pairs: list[tuple[str, object]]) -> None:
    for name, value in pairs:
        if value is not None:
            _sub(parent, _a(name), value)


def _number(parent: ET.Element, name: str, value: int | None) -> None:
    if value is not None:
        _sub(_sub(parent, _a(name)), _md("Number"), value)


def _transaction(avail: ET.Element, row: AvailRow) -> None:
    transaction = _sub(avail, _a("Transaction"), TransactionID=row.avail_id)
    if row.licensee:
        _sub(_sub(transaction, _a("Licensee")), _md("DisplayName"), row.licensee)
    _sub(transaction, _a("LicenseType"), EXPORT_LICENSE_TYPE.get(row.license_type, row.license_type))
    code = "countryRegion" if row.territory.isdigit() else "country"
    _sub(_sub(transaction, _a("Territory")), _md(code), row.territory)
    for country in row.territory_exclusions:
        _sub(_sub(transaction, _a("TerritoryExcluded")), _md("country"), country)
    _edge(transaction, "Start", row.start, row.start_condition, row.start_lag)
    _edge(transaction, "End", row.end, row.end_condition, row.end_lag)
    for language in row.allowed_languages:
        _sub(transaction, _a("AllowedLanguage"), language)
    _texts(transaction, [("AssetLanguage", row.asset_language),
                         ("LicenseRightsDescription", row.license_rights_description),
                         ("FormatProfile", row.format_profile), ("ContractID", row.contract_id)])
    _terms(transaction, row)


def _edge(transaction: ET.Element, name: str, moment, condition: str | None, lag: str | None) -> None:
    if moment is not None:
        _sub(transaction, _a(name), v.iso_moment_text(moment))
    elif condition is not None:
        _sub(transaction, _a(f"{name}Condition"), condition, lag=lag)


def _terms(transaction: ET.Element, row: AvailRow) -> None:
    if row.price_type:
        value_tag = "Money" if row.price_currency else "Text"
        _sub(_sub(transaction, _a("Term"), termName=row.price_type), _a(value_tag), row.price_value,
             currency=row.price_currency)
    if row.exclusive is not None:
        _sub(_sub(transaction, _a("Term"), termName="Exclusive"), _a("Boolean"), str(row.exclusive).lower())
    if row.exclusive_attributes:
        _sub(_sub(transaction, _a("Term"), termName="ExclusiveAttributes"), _a("Text"), row.exclusive_attributes)
    if row.suppression_lift_date is not None:
        _sub(_sub(transaction, _a("Term"), termName="SuppressionLiftDate"), _a("Event"),
             row.suppression_lift_date.isoformat())
    for name, value in row.terms:
        _sub(_sub(transaction, _a("Term"), termName=name), _a("Text"), value)
