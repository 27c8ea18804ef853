"""Forms of the studio. They only parse; catalog.services validates and saves."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kinomost.catalog.choices import WorkKind
from kinomost.core import territories
from kinomost.core.genres import GENRES

TITLE, SYNOPSIS = _("Title"), _("Synopsis")
EDIT_LANGUAGES = [("ru", "Русский"), ("zh-Hans", "简体中文"), ("zh-Hant", "繁體中文"), ("en", "English")]


class WorkForm(forms.Form):
    ref = forms.CharField(label=_("Reference"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=WorkKind.choices)
    parent_ref = forms.CharField(label=_("Parent reference (for seasons and episodes)"), max_length=100, required=False)
    number = forms.IntegerField(label=_("Season or episode number"), min_value=1, required=False)
    original_title = forms.CharField(label=_("Original title"), max_length=500, required=False)
    original_language = forms.CharField(label=_("Original language"), max_length=16, required=False, help_text="ru, zh-Hans, en …")
    year = forms.IntegerField(label=_("Year"), required=False)
    runtime_minutes = forms.IntegerField(label=_("Runtime (minutes)"), required=False)
    countries = forms.CharField(label=_("Countries of origin"), required=False, help_text="RU; CN")
    genres = forms.MultipleChoiceField(label=_("Genres"), choices=list(GENRES.items()), required=False, widget=forms.CheckboxSelectMultiple)
    eidr = forms.CharField(label="EIDR", max_length=60, required=False)
    is_listed = forms.BooleanField(label=_("Listed in the marketplace"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for tag, name in EDIT_LANGUAGES:
            self.fields[f"title:{tag}"] = forms.CharField(label=f"{TITLE} · {name}", max_length=500, required=False)
            self.fields[f"synopsis:{tag}"] = forms.CharField(
                label=f"{SYNOPSIS} · {name}", required=False, widget=forms.Textarea(attrs={"rows": 3})
            )

    def language_fields(self):
        return [(name, self[f"title:{tag}"], self[f"synopsis:{tag}"]) for tag, name in EDIT_LANGUAGES]

    def to_input(self):
        from kinomost.catalog.services import WorkInput

        d = self.cleaned_data
        return WorkInput(
            ref=d["ref"].strip(),
            kind=d["kind"],
            parent_ref=d["parent_ref"] or None,
            number=d["number"],
            original_title=d["original_title"] or None,
            original_language=d["original_language"],
            year=d["year"],
            runtime_minutes=d["runtime_minutes"],
            countries=territories.split_codes(d["countries"]),
            genres=list(d["genres"]),
            eidr=d["eidr"],
            is_listed=d["is_listed"],
            titles={tag: d[f"title:{tag}"] for tag, _n in EDIT_LANGUAGES if d[f"title:{tag}"]},
            synopses={tag: d[f"synopsis:{tag}"] for tag, _n in EDIT_LANGUAGES},
        )

    @classmethod
    def initial_for(cls, work) -> dict:
        initial = {
            "ref": work.ref,
            "kind": work.kind,
            "parent_ref": work.parent.ref if work.parent else "",
            "number": work.number,
            "original_title": work.original_title,
            "original_language": work.original_language,
            "year": work.year,
            "runtime_minutes": work.runtime_minutes,
            "countries": "; ".join(work.countries),
            "eidr": work.eidr,
            "genres": [g.slug for g in work.genres.all()],
            "is_listed": work.is_listed,
        }
        for loc in work.localizations.all():
            initial[f"title:{loc.language}"] = loc.title
            initial[f"synopsis:{loc.language}"] = loc.synopsis
        return initial

    def add_problems(self, problems: dict) -> None:
        """Show the service's per-field problems beside the fields they concern."""
        aliases = {"series_ref": "parent_ref", "runtime": "runtime_minutes", "title": None}
        for name, message in problems.items():
            field = aliases.get(name, name)
            self.add_error(field if field in self.fields else None, message)
