"""MEC documents → work inputs, every problem named by file, element path and line.

Accepts `CoreMetadata` and `CoreMetadataList` roots of any mdmec 2.x version; elements are
matched by local name, so the md namespace version does not matter. XML is parsed by lxml with
entities unresolved, no DTD loaded, no network and a size cap; a document with a DOCTYPE is
refused outright (MEC needs none, and entity tricks need one).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from lxml import etree

from kinomost.catalog import services
from kinomost.catalog.io.columns import genres_from_text
from kinomost.catalog.mec import terms
from kinomost.core.errors import InvalidInput
from kinomost.core.genres import GENRES
from kinomost.core.identifiers import normalise_eidr
from kinomost.core.languages import normalise_tag

MAX_FILE_BYTES = 10 * 1024 * 1024  # a MEC file describes one work (or a list of a few); ours are ~5 KB
_DURATION = re.compile(r"^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$")
#: services.validate's field names → the MEC element that carries the value
_ELEMENT_OF = {
    "ref": "@ContentID",
    "kind": "WorkType",
    "series_ref": "Parent",
    "title": "LocalizedInfo",
    "original_language": "OriginalLanguage",
    "eidr": "AltIdentifier",
    "countries": "CountryOfOrigin",
    "year": "ReleaseYear",
    "runtime": "RunLength",
    "genres": "LocalizedInfo/Genre",
    "rating": "RatingSet",
}


@dataclass
class CreditInput:
    role: str
    name: str
    names: dict[str, str] = field(default_factory=dict)
    character: str = ""
    order: int = 0


@dataclass
class MecWork:
    """One Basic element read: the work input, its credits, and where it came from."""

    file: str
    line: int
    data: services.WorkInput
    credits: list[CreditInput] | None


def _local(element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _children(element, name: str) -> list:
    return [child for child in element if _local(child) == name]


def _child(element, name: str):
    found = _children(element, name)
    return found[0] if found else None


def _text(element, name: str) -> str:
    child = _child(element, name)
    return (child.text or "").strip() if child is not None else ""


def _path(element) -> str:
    names = []
    while element is not None:
        names.append(_local(element))
        element = element.getparent()
    return "/" + "/".join(reversed(names))


class _Problems:
    def __init__(self, file: str):
        self.file, self.items = file, []

    def add(self, element, message: str, child: str = "") -> None:
        path = _path(element) + (f"/{child}" if child else "")
        self.items.append({"file": self.file, "element": path, "line": getattr(element, "sourceline", None) or 0, "message": message})


def parse(data: bytes, file: str) -> etree._Element:
    """The document's root; InvalidInput (with the problem list) for what is not safe, well-formed MEC."""
    problems = _Problems(file)
    if len(data) > MAX_FILE_BYTES:
        raise _refusal(file, _("The file is larger than %(limit)d MB.") % {"limit": MAX_FILE_BYTES // 2**20})
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        tree = etree.ElementTree(etree.fromstring(data, parser))
    except etree.XMLSyntaxError as exc:
        raise _refusal(file, _("The file is not well-formed XML: %(error)s") % {"error": exc.msg}, line=exc.lineno or 0) from None
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise _refusal(file, _("The file declares a DOCTYPE; MEC files have none, and it is not read."))
    root = tree.getroot()
    namespace = etree.QName(root).namespace or ""
    if not terms.MDMEC_NAMESPACE.match(namespace) or _local(root) not in ("CoreMetadata", "CoreMetadataList"):
        problems.add(
            root,
            _("The root element is %(tag)s; a MEC file has mdmec:CoreMetadata or mdmec:CoreMetadataList in an mdmec 2.x namespace.")
            % {"tag": root.tag},
        )
        raise InvalidInput(problems.items[0]["message"], details=problems.items)
    return root


def _refusal(file: str, message: str, line: int = 0) -> InvalidInput:
    return InvalidInput(message, details=[{"file": file, "element": "", "line": line, "message": message}])


def read_mec(data: bytes, file: str) -> tuple[list[MecWork], list[dict]]:
    """Every work of a MEC document and every problem found in it (nothing is raised for the
    contents: the caller refuses the whole import when any file has problems)."""
    try:
        root = parse(data, file)
    except InvalidInput as exc:
        return [], list(exc.details)
    problems = _Problems(file)
    cores = [root] if _local(root) == "CoreMetadata" else _children(root, "CoreMetadata")
    works = []
    for core in cores:
        basic = _child(core, "Basic")
        if basic is None:
            problems.add(core, _("CoreMetadata has no Basic element."))
            continue
        before = len(problems.items)
        work = _read_basic(basic, file, problems)
        if len(problems.items) == before:
            works.append(work)
    return works, problems.items


def _minutes(text: str) -> int | None:
    match = _DURATION.match(text)
    if not match or not any(match.groups()):
        raise ValueError(text)
    days, hours, minutes, seconds = (float(g) if g else 0 for g in match.groups())
    return round(days * 1440 + hours * 60 + minutes + seconds / 60) or None


def _tag(text: str, element, problems: _Problems, child: str = "") -> str | None:
    try:
        return normalise_tag(text)
    except InvalidInput as exc:
        problems.add(element, exc.message, child)
        return None


def _localized(basic, data: services.WorkInput, problems: _Problems) -> None:
    infos = _children(basic, "LocalizedInfo")
    if not infos:
        problems.add(basic, _("Basic has no LocalizedInfo; a work needs at least one title."))
    genres: list[str] = []
    default = next((i for i in infos if i.get("default") in ("true", "1")), infos[0] if infos else None)
    for info in infos:
        language = _tag(info.get("language", ""), info, problems, "@language")
        title = next(
            (t for t in (_text(info, n) for n in ("TitleDisplayUnlimited", "TitleDisplay60", "TitleDisplay19", "TitleSort")) if t), ""
        )
        synopsis = next((s for s in (_text(info, n) for n in ("Summary4000", "Summary400", "Summary190")) if s), "")
        if language and language != "und":  # "und": the writer's stand-in for a work with no titles but its original one
            if title:
                data.titles[language] = title
            if synopsis:
                data.synopses[language] = synopsis
        for element in _children(info, "Genre"):
            slug = element.get("id") if element.get("id") in GENRES else None
            try:
                genres.extend([slug] if slug else genres_from_text(element.text or ""))
            except InvalidInput as exc:
                problems.add(element, exc.message)
        data.keywords = (data.keywords or []) + [k.text.strip() for k in _children(info, "Keyword") if (k.text or "").strip()]
    if default is not None and _text(default, "OriginalTitle"):
        data.original_title = _text(default, "OriginalTitle")
    data.genres = list(dict.fromkeys(genres)) if genres else None
    data.keywords = list(dict.fromkeys(data.keywords)) if data.keywords else None


def _identifiers(basic, data: services.WorkInput, problems: _Problems) -> None:
    identifiers = {}
    for alt in _children(basic, "AltIdentifier"):
        namespace, value = _text(alt, "Namespace"), _text(alt, "Identifier")
        if not namespace or not value:
            problems.add(alt, _("AltIdentifier needs a Namespace and an Identifier."))
        elif namespace.casefold() in terms.EIDR_NAMESPACES:
            try:
                data.eidr = normalise_eidr(value.split(":")[0] if namespace.casefold() == "eidr-x" else value)
            except InvalidInput as exc:
                problems.add(alt, exc.message, "Identifier")
        elif len(namespace) > 40 or len(value) > 200:
            problems.add(alt, _("An identifier's namespace is at most 40 characters and its value at most 200."))
        else:
            identifiers[namespace] = value
    data.identifiers = identifiers or None


def _ratings(basic, data: services.WorkInput, problems: _Problems) -> None:
    rating_set = _child(basic, "RatingSet")
    if rating_set is None:
        return
    ratings = []
    for rating in _children(rating_set, "Rating"):
        region = _child(rating, "Region")
        country = _text(region, "country") if region is not None else ""
        if not country:
            problems.add(rating, _("A rating needs Region/country (an ISO 3166 code)."), "Region")
            continue
        ratings.append((country, _text(rating, "System"), _text(rating, "Value")))
    data.ratings = ratings


def _credits(basic, problems: _Problems) -> list[CreditInput] | None:
    """None when the file names no people (credits are then left as they are, like any absent field)."""
    if not _children(basic, "People"):
        return None
    credits = []
    for people in _children(basic, "People"):
        name = _child(people, "Name")
        spellings = _children(name, "DisplayName") if name is not None else []
        if not spellings or not any((s.text or "").strip() for s in spellings):
            problems.add(people, _("A person needs Name/DisplayName."), "Name")
            continue
        names, plain = {}, ""
        for spelling in spellings:
            text = (spelling.text or "").strip()
            language = spelling.get("language")
            if language:
                tag = _tag(language, spelling, problems, "@language")
                if tag and text:
                    names[tag] = text
            elif text and not plain:
                plain = text
        plain = plain or next(iter(names.values()), "")
        for job in _children(people, "Job"):
            function = _text(job, "JobFunction")
            role = terms.role_of(function)
            if role is None:
                problems.add(
                    job,
                    _("Job function '%(function)s' is not one we catalogue; one of: %(known)s.")
                    % {"function": function, "known": ", ".join(terms.JOB_FUNCTIONS.values())},
                    "JobFunction",
                )
                continue
            order_text = _text(job, "BillingBlockOrder")
            if order_text and not order_text.isdigit():
                problems.add(job, _("'%(value)s' is not a whole number.") % {"value": order_text}, "BillingBlockOrder")
                continue
            credits.append(
                CreditInput(role=role, name=plain[:200], names=names, character=_text(job, "Character")[:200], order=int(order_text or 0))
            )
    return credits


def _read_basic(basic, file: str, problems: _Problems) -> MecWork:
    data = services.WorkInput(ref=terms.ref_from_content_id(basic.get("ContentID", "")), kind="")
    if len(data.ref) > 100:
        problems.add(basic, _("The ref in ContentID is longer than 100 characters."), "@ContentID")
    work_type = _text(basic, "WorkType")
    kind = terms.kind_of(work_type, [(d.text or "") for d in _children(basic, "WorkTypeDetail")])
    if kind is None:
        problems.add(
            basic,
            _("WorkType '%(type)s' is not one we catalogue; one of: %(known)s.")
            % {"type": work_type, "known": ", ".join(sorted({t for t, _d in terms.WORK_TYPES.values()}))},
            "WorkType",
        )
    data.kind = kind or work_type
    _localized(basic, data, problems)
    for name, target in (("ReleaseYear", "year"), ("RunLength", "runtime_minutes")):
        text = _text(basic, name)
        if text:
            try:
                setattr(data, target, int(text) if name == "ReleaseYear" else _minutes(text))
            except ValueError:
                problems.add(basic, _("'%(value)s' is not a valid %(element)s.") % {"value": text, "element": name}, name)
    _identifiers(basic, data, problems)
    _ratings(basic, data, problems)
    data.countries = [_text(c, "country") or _text(c, "countryRegion") for c in _children(basic, "CountryOfOrigin")] or None
    data.original_language = _text(basic, "OriginalLanguage") or None
    sequence = _child(basic, "SequenceInfo")
    if sequence is not None and _text(sequence, "Number"):
        try:
            data.number = int(_text(sequence, "Number"))
        except ValueError:
            problems.add(
                sequence, _("'%(value)s' is not a valid %(element)s.") % {"value": _text(sequence, "Number"), "element": "Number"}, "Number"
            )
    parent = _child(basic, "Parent")
    if parent is not None and _text(parent, "ParentContentID"):
        data.parent_ref = terms.ref_from_content_id(_text(parent, "ParentContentID"))
    credits = _credits(basic, problems)
    if kind is not None:
        for name, message in services.validate(data).items():
            problems.add(basic, message, _ELEMENT_OF.get(name.split(":")[0], name))
    return MecWork(file=file, line=basic.sourceline or 0, data=data, credits=credits)
