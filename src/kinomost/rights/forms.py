"""Forms of the rights pages. They only parse: the ledger validates (and refuses with reasons)."""

from __future__ import annotations

import re

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from kinomost.catalog.choices import WorkKind
from kinomost.core import media as media_taxonomy
from kinomost.core.languages import INTERFACE_LANGUAGES, is_valid_tag, normalise_tag
from kinomost.parties.selectors import organisation_name, organisations
from kinomost.rights.ledger import ContractInput, TermInput
from kinomost.rights.models import LanguageUse
from kinomost.core.widgets import IsoDateInput

# The ledger's problem keys → the fields that show them.
FIELD_OF = {
    "works": "works",
    "territories": "territories",
    "media": "media",
    "window": "start",
    "reference": "reference",
    "languages": "languages",
}


def media_choices():
    """The media tree in the reader's words: all media, then each group (the whole group first,
    then its leaves)."""
    tree = [
        (str(media_taxonomy.name(group)), [(group, _("%(group)s — all") % {"group": media_taxonomy.name(group)}), *leaves.items()])
        for group, leaves in media_taxonomy.TREE.items()
    ]
    return [("all", media_taxonomy.GROUP_NAMES["all"]), *tree]


def split_list(text: str) -> list[str]:
    return [part.strip() for part in (text or "").replace(",", ";").split(";") if part.strip()]


# Entries are separated by ; or new lines; inside one, a language tag and its uses. Tokens are
# runs of Latin letters, digits and hyphens (tags, English words) or of other letters (Russian or
# Chinese words), so "ru: dubbed/subtitled" and "ru配音" split as a person means them.
_ENTRY_SPLIT = re.compile(r"[;\n]")
_TOKEN = re.compile(r"[A-Za-z0-9_-]+|[^\sA-Za-z0-9_,:;/+&().-]+")
_TAG_SHAPED = re.compile(r"^[A-Za-z]{2,3}(?:[-_]|$)")
# Short forms a licensing manager writes besides the uses' names ("ru dub; zh-Hans sub").
_USE_ALIASES = {"orig": LanguageUse.ORIGINAL, "dub": LanguageUse.DUBBED, "sub": LanguageUse.SUBTITLED, "subs": LanguageUse.SUBTITLED}


def _use_words() -> dict[str, str]:
    """Every word that names a use: its code, the short forms, and its label in each interface
    language (so "ru дубляж" and "ru 配音" read as "ru dubbed" whatever language the page is in)."""
    words = {code: code for code in LanguageUse.values}
    words.update({alias: str(use) for alias, use in _USE_ALIASES.items()})
    for interface in INTERFACE_LANGUAGES:
        with translation.override(interface.lower()):
            words.update({str(label).lower(): code for code, label in LanguageUse.choices})
    return words


def parse_languages(text: str) -> list[dict]:
    """ "ru dubbed subtitled; zh-Hans original" → [{"language": "ru", "use": "dubbed"}, …].

    The first word of an entry is a language tag, the words after it its uses; a word in use
    position that is no use but a tag starts the next language ("ru dubbed, en subtitled").
    Every problem is reported at once (forms.ValidationError with one message each); repeats
    are dropped. An empty text is an empty list: the term names no languages."""
    words = _use_words()
    found: dict[tuple[str, str], None] = {}
    problems: list[str] = []
    for entry in _ENTRY_SPLIT.split(text or ""):
        tag, uses, after_bad_tag = None, 0, False
        for token in _tokens(entry, words):
            use = words.get(token.lower())
            if use and after_bad_tag:
                continue  # the uses of a tag already refused
            if tag is not None:
                if use:
                    found[(tag, use)] = None
                    uses += 1
                    continue
                if not _TAG_SHAPED.match(token):
                    problems.append(_bad_use(token))
                    uses += 1  # said once: no "say how it is used" as well
                    continue
                if not uses:
                    problems.append(_no_use(tag))
            elif use and not is_valid_tag(token):
                problems.append(_("Write the language before its use, e.g. ru %(use)s.") % {"use": token})
                after_bad_tag = True
                continue
            tag, uses = (normalise_tag(token), 0) if is_valid_tag(token) else (None, 0)
            after_bad_tag = tag is None
            if tag is None:
                problems.append(_("“%(tag)s” is not a known language tag (e.g. ru, en, zh-Hans, pt-BR).") % {"tag": token})
        if tag is not None and not uses:
            problems.append(_no_use(tag))
    if problems:
        raise forms.ValidationError(list(dict.fromkeys(str(p) for p in problems)))
    return [{"language": tag, "use": use} for tag, use in found]


def _tokens(entry: str, words: dict[str, str]) -> list[str]:
    """The entry's words; a run of Chinese written without spaces ("配音字幕") is cut into the
    use words it is made of, when it is made only of them."""
    out = []
    for token in _TOKEN.findall(entry):
        out.extend([token] if token.isascii() or token.lower() in words else _segment(token, words))
    return out


def _segment(token: str, words: dict[str, str]) -> list[str]:
    pieces, rest = [], token.lower()
    while rest:
        word = next((w for w in sorted(words, key=len, reverse=True) if rest.startswith(w)), None)
        if word is None:
            return [token]
        pieces.append(word)
        rest = rest[len(word) :]
    return pieces


def _bad_use(word: str) -> str:
    return _("“%(word)s” is not a use: write original, dubbed or subtitled.") % {"word": word}


def _no_use(tag: str) -> str:
    return _("Say how %(tag)s is used: original, dubbed or subtitled.") % {"tag": tag}


class TermForm(forms.Form):
    works = forms.CharField(label=_("Works"), help_text=_("References or ids, separated by ; or ,"), max_length=20000)
    territories = forms.CharField(
        label=_("Territories"), help_text=_("Countries and groups: WORLD, CIS, EU, GREATER_CHINA, RU; CN"), max_length=2000
    )
    territories_excluded = forms.CharField(label=_("Excluding"), required=False, help_text=_("e.g. CN; HK"), max_length=2000)
    media = forms.MultipleChoiceField(label=_("Media"), choices=media_choices, widget=forms.SelectMultiple(attrs={"size": 8}))
    languages = forms.CharField(
        label=_("Languages"),
        required=False,
        max_length=2000,
        help_text=_(
            "Each language with its use (original, dubbed or subtitled), separated by ;, e.g. ru dubbed subtitled; zh-Hans original. "
            "Empty: the contract names no language, so the term covers all languages. A grant needs holdings that cover each language it names (or name none)."
        ),
        widget=forms.TextInput(attrs={"placeholder": "ru dubbed subtitled; zh-Hans original"}),
    )
    start = forms.DateField(label=_("From"), widget=IsoDateInput())
    end = forms.DateField(label=_("Until (exclusive)"), required=False, help_text=_("empty = open-ended"), widget=IsoDateInput())
    exclusive = forms.BooleanField(label=_("Exclusive"), required=False)
    sublicensable = forms.BooleanField(label=_("May be sublicensed"), required=False)
    reference = forms.CharField(label=_("Contract reference"), max_length=100)
    signed_on = forms.DateField(label=_("Signed on"), required=False, widget=IsoDateInput())

    def clean_languages(self) -> list[dict]:
        return parse_languages(self.cleaned_data["languages"])

    def work_refs(self) -> list[str]:
        return split_list(self.cleaned_data["works"])

    def term(self, works) -> TermInput:
        d = self.cleaned_data
        return TermInput(
            works=works,
            territories=d["territories"],
            territories_excluded=d["territories_excluded"],
            media=list(d["media"]),
            languages=d["languages"],
            start=d["start"],
            end=d["end"],
            exclusive=d["exclusive"],
            sublicensable=d["sublicensable"],
        )

    def contract(self, counterparty_name: str = "") -> ContractInput:
        return ContractInput(
            reference=self.cleaned_data["reference"], signed_on=self.cleaned_data["signed_on"], counterparty_name=counterparty_name
        )

    def add_problems(self, problems) -> None:
        """Show the ledger's per-field problems beside the fields they concern."""
        if not isinstance(problems, dict):
            self.add_error(None, str(problems))
            return
        for name, message in problems.items():
            field = FIELD_OF.get(name, name)
            self.add_error(field if field in self.fields else None, str(message))


class HoldingForm(TermForm):
    licensor_name = forms.CharField(
        label=_("Licensor"), required=False, max_length=200, help_text=_("who granted these rights, if outside Kinomost")
    )


def _other_organisations(actor):
    return [(o.slug, organisation_name(o)) for o in organisations().exclude(pk=actor.organisation_id)]


class GrantForm(TermForm):
    licensee = forms.ChoiceField(label=_("Licensee"))

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["licensee"].choices = _other_organisations(actor)


class HoldbackForm(TermForm):
    beneficiary = forms.ChoiceField(label=_("In favour of"), required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["beneficiary"].choices = [("", "—"), *_other_organisations(actor)]


class TerminateForm(forms.Form):
    on = forms.DateField(label=_("End on"), widget=IsoDateInput())


class FindForm(forms.Form):
    territory = forms.CharField(label=_("Country"), max_length=3, help_text=_("ISO code, e.g. CN"))
    media = forms.ChoiceField(label=_("Media"), choices=media_choices)
    start = forms.DateField(label=_("From"), widget=IsoDateInput())
    end = forms.DateField(label=_("Until (exclusive)"), required=False, widget=IsoDateInput())
    exclusive = forms.BooleanField(label=_("Exclusive"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *WorkKind.choices])
    languages = forms.CharField(
        label=_("Languages"),
        required=False,
        max_length=2000,
        help_text=_(
            "Only works whose holdings cover each of these, as for a grant: e.g. zh-Hans dubbed; ru subtitled. "
            "Empty: languages are not taken into account."
        ),
        widget=forms.TextInput(attrs={"placeholder": "zh-Hans dubbed"}),
    )

    def clean_languages(self) -> list[dict] | None:
        """None (not taken into account) when empty; else the pairs, as a grant names them."""
        text = self.cleaned_data["languages"]
        return parse_languages(text) if text.strip() else None

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            self.add_error("end", _("The window must end after it starts."))
        return data
