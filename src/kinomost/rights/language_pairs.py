"""A term's languages: (language tag, use) pairs such as ("ru", "dubbed"). The one owner of
their shape, for the ledger's terms, the exchange's proposals and availability requests alike.

A pair is {"language": tag, "use": use} or a 2-tuple; a missing use is `original`. Anything
else is InvalidInput with the value named — a bare "rus" used to be unpacked into its letters
and crash as a 500."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kinomost.core import languages
from kinomost.core.errors import InvalidInput
from kinomost.rights.models import LanguageUse


def normalise(values) -> list[dict]:
    """[{"language", "use"}] or [(language, use)] → [{"language": canonical tag, "use": use}]."""
    if isinstance(values, (str, dict)):
        raise InvalidInput(_("languages must be a list of {language, use}, e.g. [{'language': 'ru', 'use': 'dubbed'}]"))
    return [_pair(value) for value in values or ()]


def as_pairs(values) -> tuple[tuple[str, str], ...]:
    """The distinct (tag, use) pairs, in the order given."""
    return tuple(dict.fromkeys((p["language"], p["use"]) for p in normalise(values)))


def _pair(value) -> dict:
    if isinstance(value, dict):
        tag, use = value.get("language"), value.get("use", LanguageUse.ORIGINAL)
    elif isinstance(value, (list, tuple)) and len(value) == 2:
        tag, use = value
    else:
        raise InvalidInput(_("'%(value)s' is not a language with its use, e.g. {'language': 'ru', 'use': 'dubbed'}") % {"value": value})
    if not isinstance(tag, str):
        raise InvalidInput(_("'%(tag)s' is not a language tag (expected e.g. ru, en, zh-Hans, pt-BR)") % {"tag": tag})
    if use not in LanguageUse.values:
        raise InvalidInput(_("language use '%(use)s' is not one of %(uses)s") % {"use": use, "uses": ", ".join(LanguageUse.values)})
    return {"language": languages.normalise_tag(tag), "use": str(use)}
