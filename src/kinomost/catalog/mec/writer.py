"""A work → one MEC document (mdmec:CoreMetadata), valid against the mdmec 2.12 schema.

What is written (docs/metadata.md, section MEC): one LocalizedInfo per language we hold (title,
the synopsis as Summary4000 and, shortened at a word, as Summary190/400; genres named in that
language with our slug as `id`; the original title), run length, release year, WorkType (with a
WorkTypeDetail where MEC has no type of ours), EIDR and other identifiers as AltIdentifier,
ratings in the MovieLabs Common Ratings spelling, people with every localised spelling of their
names, countries of origin, original language, and for seasons and episodes SequenceInfo and a
Parent pointing at the parent's ContentID. Elements follow the schema's sequence order.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _
from lxml import etree

from kinomost.catalog.mec import terms
from kinomost.catalog.models import Work, WorkLocalization
from kinomost.core.errors import InvalidInput
from kinomost.core.genres import GENRES

_GENRE_LANGUAGES = {"en": "en", "ru": "ru", "zh-Hans": "zh-hans"}  # metadata tag → interface code


def _md(parent, name: str, text=None, **attributes):
    element = etree.SubElement(parent, f"{{{terms.MD_NS}}}{name}", {k: str(v) for k, v in attributes.items()})
    if text is not None:
        element.text = str(text)
    return element


def shorten(text: str, limit: int) -> str:
    """`text` in at most `limit` characters: cut at the last space before the limit (anywhere in
    text without spaces, as Chinese is written) and ended with an ellipsis. Text that fits is
    kept as it is, line breaks included."""
    if len(text.strip()) <= limit:
        return text.strip()
    text = " ".join(text.split())
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:") + "…"


def release_year(work: Work) -> int:
    """MEC requires a release year; a season or episode without one takes its parent's."""
    node = work
    while node is not None:
        if node.year:
            return node.year
        node = node.parent
    raise InvalidInput(
        _("Work '%(ref)s' has no release year, which a MEC file requires.") % {"ref": work.ref},
        details=[{"ref": work.ref, "field": "year"}],
    )


def _genre_name(slug: str, language: str) -> str:
    code = _GENRE_LANGUAGES.get(language, "en")
    with translation.override(code):
        return str(GENRES.get(slug, slug))


def _localized_infos(basic, work: Work) -> None:
    locs = sorted(work.localizations.all(), key=lambda loc: (loc.language != work.original_language, loc.language))
    if not locs:  # the schema requires one LocalizedInfo
        locs = [WorkLocalization(language=work.original_language or "und", title=work.original_title)]
    genres = sorted(g.slug for g in work.genres.all())
    for number, loc in enumerate(locs):
        info = _md(basic, "LocalizedInfo", language=loc.language, **({"default": "true"} if number == 0 else {}))
        if len(loc.title) <= 19:
            _md(info, "TitleDisplay19", loc.title)
        if len(loc.title) <= 60:
            _md(info, "TitleDisplay60", loc.title)
        _md(info, "TitleDisplayUnlimited", loc.title)
        if loc.synopsis:
            _md(info, "Summary190", shorten(loc.synopsis, 190))
            _md(info, "Summary400", shorten(loc.synopsis, 400))
            _md(info, "Summary4000", shorten(loc.synopsis, 4000))
        for slug in genres:
            _md(info, "Genre", _genre_name(slug, loc.language), id=slug)
        if number == 0:
            for keyword in work.keywords:
                _md(info, "Keyword", keyword)
        _md(info, "OriginalTitle", work.original_title)


def _people(basic, work: Work) -> None:
    for credit in sorted(work.credits.all(), key=lambda c: (c.role, c.order, c.pk)):
        people = _md(basic, "People")
        job = _md(people, "Job")
        _md(job, "JobFunction", terms.JOB_FUNCTIONS[credit.role])
        _md(job, "BillingBlockOrder", credit.order)
        if credit.character:
            _md(job, "Character", credit.character)
        name = _md(people, "Name")
        _md(name, "DisplayName", credit.person.name)
        for language, spelling in sorted((credit.person.names or {}).items()):
            if spelling and spelling != credit.person.name:
                _md(name, "DisplayName", spelling, language=language)


def core_metadata(work: Work) -> etree._Element:
    """The CoreMetadata element of one work (owner, parent, localizations, genres, ratings,
    credits and identifiers loaded: see exporting._works)."""
    root = etree.Element(f"{{{terms.MDMEC_NS}}}CoreMetadata", nsmap={"mdmec": terms.MDMEC_NS, "md": terms.MD_NS})
    basic = etree.SubElement(root, f"{{{terms.MDMEC_NS}}}Basic", ContentID=terms.content_id(work.owner.slug, work.ref))
    _localized_infos(basic, work)
    if work.runtime_minutes:
        _md(basic, "RunLength", f"PT{work.runtime_minutes}M")
    _md(basic, "ReleaseYear", f"{release_year(work):04d}")
    work_type, detail = terms.WORK_TYPES[work.kind]
    _md(basic, "WorkType", work_type)
    if detail:
        _md(basic, "WorkTypeDetail", detail)
    if work.eidr:
        alt = _md(basic, "AltIdentifier")
        _md(alt, "Namespace", terms.EIDR_NAMESPACE)
        _md(alt, "Identifier", work.eidr)
    for identifier in sorted(work.identifiers.all(), key=lambda i: i.namespace):
        alt = _md(basic, "AltIdentifier")
        _md(alt, "Namespace", identifier.namespace)
        _md(alt, "Identifier", identifier.value)
    ratings = sorted(work.ratings.all(), key=lambda r: (r.territory, r.system))
    if ratings:
        rating_set = _md(basic, "RatingSet")
        for rating in ratings:
            element = _md(rating_set, "Rating")
            _md(_md(element, "Region"), "country", rating.territory)
            _md(element, "System", rating.system)
            _md(element, "Value", terms.cmr_value(rating.system, rating.value))
    _people(basic, work)
    for country in work.countries:
        _md(_md(basic, "CountryOfOrigin"), "country", country)
    if work.original_language:
        _md(basic, "OriginalLanguage", work.original_language)
    if work.kind in terms.RELATIONSHIP and work.parent is not None:
        if work.number is not None:
            _md(_md(basic, "SequenceInfo"), "Number", work.number)
        parent = _md(basic, "Parent", relationshipType=terms.RELATIONSHIP[work.kind])
        _md(parent, "ParentContentID", terms.content_id(work.owner.slug, work.parent.ref))
    return root


def write_mec(work: Work) -> bytes:
    """One work as a MEC file (UTF-8, with an XML declaration). Raises InvalidInput for a work
    MEC cannot describe (no release year)."""
    return _serialise(core_metadata(work))


def _serialise(root: etree._Element) -> bytes:
    """The one place a MEC document becomes bytes (tests check every document here against the schema)."""
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
