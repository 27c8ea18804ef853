"""XML avails 2.x (namespace http://www.movielabs.com/schema/avails/v2.N/avails, any N) → AvailRows.

One row per (Avail, Transaction, Territory). The XML is streamed with ElementTree's iterparse and
each Avail is dropped once read, so file size is bounded by the largest single Avail, not the
list. Elements are matched by local name, so any avails 2.x / md 2.x namespace pair reads.
Values go through the same `build_row` as spreadsheet cells; problems name the element path.
No DTDs or entities are involved in avails, and expat does not fetch external ones; see
docs/avails.md for why defusedxml was not added.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import IO

from kinomost.core.errors import ImportRejected
from kinomost.rights.avails.build import build_row
from kinomost.rights.avails.model import PRICE_TYPES, AvailsFile

AVAILS_NAMESPACE = re.compile(r"^http://www\.movielabs\.com/schema/avails/v2\.(\d+(?:\.\d+)*)/avails$")
#: What the schema leaves optional although the spreadsheet template marks it REQ.
RELAXED = frozenset({"SeasonNumber", "PriceType", "PriceValue"})
#: metadata element → {child element: field}; nested *Metadata elements are read recursively.
METADATA = {
    "Metadata": {
        "TitleDisplayUnlimited": "TitleDisplayUnlimited",
        "TitleInternalAlias": "TitleInternalAlias",
        "TitleEIDR-URN": "TitleID",
        "EditEIDR-URN": "EditID",
    },
    "EpisodeMetadata": {
        "TitleDisplayUnlimited": "EpisodeTitleDisplayUnlimited",
        "TitleInternalAlias": "EpisodeTitleInternalAlias",
        "TitleEIDR-URN": "EpisodeTitleID",
        "EditEIDR-URN": "EpisodeID",
        "EpisodeNumber": "EpisodeNumber",
    },
    "SeasonMetadata": {
        "SeasonContentID": "SeasonContentID",
        "SeasonTitleDisplayUnlimited": "SeasonTitleDisplayUnlimited",
        "SeasonTitleInternalAlias": "SeasonTitleInternalAlias",
        "SeasonEIDR-URN": "SeasonID",
        "SeasonNumber": "SeasonNumber",
        "NumberOfEpisodes": "EpisodeCount",
    },
    "SeriesMetadata": {
        "SeriesContentID": "SeriesContentID",
        "SeriesTitleDisplayUnlimited": "SeriesTitleDisplayUnlimited",
        "SeriesTitleInternalAlias": "SeriesTitleInternalAlias",
        "SeriesEIDR-URN": "SeriesID",
    },
    "VolumeMetadata": {
        "VolumeContentID": "VolumeContentID",
        "VolumeTitleDisplayUnlimited": "VolumeTitleDisplayUnlimited",
        "VolumeTitleInternalAlias": "VolumeTitleInternalAlias",
        "VolumeEIDR-URN": "VolumeID",
        "VolumeNumber": "VolumeNumber",
    },
}
#: fields any metadata level may carry; the asset's own level (read before those nested in it) wins
SHARED_METADATA = {"ReleaseDate": "ReleaseYear", "RunLength": "TotalRunTime", "LocalizationOffering": "LocalizationType"}
TRANSACTION_TEXT = {
    "LicenseType": "LicenseType",
    "LicenseRightsDescription": "LicenseRightsDescription",
    "FormatProfile": "FormatProfile",
    "ContractID": "ContractID",
    "Licensee": "Licensee",
}
_PRICE_TERMS = set(PRICE_TYPES)


class _Record:
    """Raw fields of one Avail or Transaction, each with the element path it came from."""

    def __init__(self, base: str, fields: dict | None = None, paths: dict | None = None):
        self.base, self.fields, self.paths = base, dict(fields or {}), dict(paths or {})

    def put(self, name: str, value, path: str, *, keep_first: bool = False) -> None:
        if value is None or (keep_first and name in self.fields):
            return
        self.fields[name] = value
        self.paths[name] = path

    def where(self, name: str) -> dict:
        return {"path": self.paths.get(name, f"{self.base}/{name}"), "field": name}


def read_xml(source: str | Path | IO[bytes]) -> AvailsFile:
    """Read an AvailList; raise ImportRejected listing every bad element."""
    result = AvailsFile(rows=[], format="xml")
    problems: list[dict] = []
    try:
        _stream(source, result, problems)
    except ET.ParseError as exc:
        problems.append({"path": "/", "field": None, "message": f"not well-formed XML: {exc}"})
    problems = _unique(problems)
    if problems:
        raise ImportRejected(f"{len(problems)} problem(s) in the avails XML; nothing was imported", problems=problems)
    result.warnings = _unique(result.warnings)
    return result


def _stream(source, result: AvailsFile, problems: list) -> None:
    """Walk the document, handing each finished Avail to _read_avail and then forgetting it."""
    count = 0
    root = None
    for event, element in ET.iterparse(source, events=("start", "end")):
        if root is None:
            root = element
            if not _check_root(root, result, problems):
                return
        elif event == "end" and _local(element.tag) == "Avail":
            count += 1
            _read_avail(element, count, result, problems)
            root.clear()
    if root is not None and count == 0 and not problems:
        problems.append({"path": "/AvailList", "field": None, "message": "the AvailList holds no Avail"})


def _check_root(root: ET.Element, result: AvailsFile, problems: list) -> bool:
    namespace, _, name = root.tag[1:].partition("}") if root.tag.startswith("{") else ("", "", root.tag)
    match = AVAILS_NAMESPACE.match(namespace)
    if name != "AvailList" or not match:
        problems.append(
            {
                "path": "/",
                "field": None,
                "message": f"not an Avails 2.x document: the root is {root.tag}, "
                "expected AvailList in http://www.movielabs.com/schema/avails/v2.N/avails",
            }
        )
        return False
    result.version = f"2.{match.group(1)}"
    return True


def _read_avail(avail: ET.Element, index: int, result: AvailsFile, problems: list) -> None:
    record = _Record(f"/AvailList/Avail[{index}]")
    base = record.base
    record.put("ALID", _text(_child(avail, "ALID")), f"{base}/ALID")
    record.put("EntryType", _text(_path(avail, "Disposition", "EntryType")), f"{base}/Disposition/EntryType")
    record.put("DisplayName", _text(_path(avail, "Licensor", "DisplayName")), f"{base}/Licensor/DisplayName")
    asset = _child(avail, "Asset")
    if asset is not None:
        _read_asset(asset, record, f"{base}/Asset")
    transactions = _children(avail, "Transaction")
    if not transactions:
        problems.append({"path": f"{base}/Transaction", "field": None, "message": "an Avail needs at least one Transaction"})
    for number, transaction in enumerate(transactions, start=1):
        _read_transaction(transaction, _Record(f"{base}/Transaction[{number}]", record.fields, record.paths), result, problems)


def _read_asset(asset: ET.Element, record: _Record, path: str) -> None:
    record.put("ContentID", (asset.get("contentID") or "").strip() or None, f"{path}/@contentID")
    record.put("WorkType", _text(_child(asset, "WorkType")), f"{path}/WorkType")
    for child in asset:
        if _local(child.tag) in METADATA:
            _read_metadata(child, record, f"{path}/{_local(child.tag)}")


def _read_metadata(element: ET.Element, record: _Record, path: str) -> None:
    """One metadata level, then the levels nested in it (episode → season → series)."""
    own = METADATA[_local(element.tag)]
    for child in element:
        name, child_path = _local(child.tag), f"{path}/{_local(child.tag)}"
        if name in own:
            record.put(own[name], _number_or_text(child), child_path)
        elif name in SHARED_METADATA:
            record.put(SHARED_METADATA[name], _text(child), child_path, keep_first=True)
        elif name == "Ratings":
            _read_rating(child, record, child_path)
    for child in element:
        if _local(child.tag) in METADATA:
            _read_metadata(child, record, f"{path}/{_local(child.tag)}")


def _read_rating(ratings: ET.Element, record: _Record, path: str) -> None:
    """The first rating is kept (a row carries one); more belong to the title catalogue."""
    rating = _child(ratings, "Rating")
    if rating is not None:
        record.put("RatingSystem", _text(_child(rating, "System")), f"{path}/Rating/System", keep_first=True)
        record.put("RatingValue", _text(_child(rating, "Value")), f"{path}/Rating/Value", keep_first=True)


def _read_transaction(transaction: ET.Element, record: _Record, result: AvailsFile, problems: list) -> None:
    base = record.base
    record.put("AvailID", (transaction.get("TransactionID") or "").strip() or None, f"{base}/@TransactionID")
    for child in transaction:
        name = _local(child.tag)
        if name in TRANSACTION_TEXT:
            record.put(TRANSACTION_TEXT[name], _text(_child(child, "DisplayName")) or _text(child), f"{base}/{name}")
        elif name == "AssetLanguage":
            record.put("AssetLanguage", _text(child), f"{base}/AssetLanguage", keep_first=True)
    _read_window(transaction, record)
    _read_lists(transaction, record)
    _read_terms(transaction, record)
    territories = [
        (_text(code), f"{base}/Territory[{i}]/{_local(code.tag)}")
        for i, territory in enumerate(_children(transaction, "Territory"), start=1)
        for code in territory
    ]
    for code, path in territories or [(None, f"{base}/Territory")]:
        row_record = _Record(base, record.fields, record.paths)
        row_record.put("Territory", code, path)
        row = build_row(
            row_record.fields, where=row_record.where, problems=problems, warnings=result.warnings, relaxed=RELAXED, source=path
        )
        if row is not None:
            result.rows.append(row)


def _read_window(transaction: ET.Element, record: _Record) -> None:
    """Start|StartCondition and End|EndCondition, with a condition's @lag."""
    for edge in ("Start", "End"):
        for name in (edge, f"{edge}Condition"):
            element = _child(transaction, name)
            if element is not None:
                record.put(edge, _text(element), f"{record.base}/{name}")
                record.put(f"{edge}Lag", (element.get("lag") or "").strip() or None, f"{record.base}/{name}/@lag")


def _read_lists(transaction: ET.Element, record: _Record) -> None:
    base = record.base
    excluded = [_text(code) for territory in _children(transaction, "TerritoryExcluded") for code in territory]
    record.put("TerritoryExclusion", ", ".join(c for c in excluded if c) or None, f"{base}/TerritoryExcluded")
    allowed = [_text(element) for element in _children(transaction, "AllowedLanguage")]
    record.put("AllowedLanguages", ", ".join(a for a in allowed if a) or None, f"{base}/AllowedLanguage")


def _read_terms(transaction: ET.Element, record: _Record) -> None:
    """Term@termName: the first price-like term is the price; Exclusive, ExclusiveAttributes and
    SuppressionLiftDate have fields of their own; the rest are kept as named terms."""
    terms: list[tuple[str, str]] = []
    for number, term in enumerate(_children(transaction, "Term"), start=1):
        name, path = (term.get("termName") or "").strip(), f"{record.base}/Term[{number}]"
        value_element = next(iter(term), None)
        value = _text(value_element)
        if name in _PRICE_TERMS and "PriceType" not in record.fields:
            record.put("PriceType", name, f"{path}/@termName")
            record.put("PriceValue", value, f"{path}/{_local(value_element.tag) if value_element is not None else ''}")
            currency = value_element.get("currency") if value_element is not None else None
            record.put("PriceCurrency", currency, f"{path}/Money/@currency")
        elif name in ("Exclusive", "ExclusiveAttributes", "SuppressionLiftDate"):
            record.put(name, value, f"{path}/{_local(value_element.tag) if value_element is not None else ''}")
        elif name and value is not None:
            terms.append((name, value))
    record.put("Terms", tuple(terms) or None, f"{record.base}/Term")


# --- element helpers --------------------------------------------------------------------------------


def _local(tag) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _child(element: ET.Element | None, name: str) -> ET.Element | None:
    if element is None:
        return None
    return next((child for child in element if _local(child.tag) == name), None)


def _children(element: ET.Element, name: str) -> list[ET.Element]:
    return [child for child in element if _local(child.tag) == name]


def _path(element: ET.Element, *names: str) -> ET.Element | None:
    for name in names:
        element = _child(element, name)
    return element


def _text(element: ET.Element | None) -> str | None:
    if element is None or element.text is None:
        return None
    return " ".join(element.text.split()) or None


def _number_or_text(element: ET.Element) -> str | None:
    """EpisodeNumber/SeasonNumber/VolumeNumber wrap md:Number; other fields are plain text."""
    number = _child(element, "Number")
    return _text(number) if number is not None else _text(element)


def _unique(items: list[dict]) -> list[dict]:
    """One Transaction with several territories repeats its problems; say each once."""
    seen, out = set(), []
    for item in items:
        key = tuple(sorted((k, str(x)) for k, x in item.items()))
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out
