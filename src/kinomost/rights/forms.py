"""Forms of the rights pages. They only parse: the ledger validates (and refuses with reasons)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kinomost.catalog.models import WorkKind
from kinomost.core import media as media_taxonomy
from kinomost.parties.selectors import organisations
from kinomost.rights.ledger import ContractInput, TermInput

# The ledger's problem keys → the fields that show them.
FIELD_OF = {"works": "works", "territories": "territories", "media": "media", "window": "start", "reference": "reference", "languages": None}


def media_choices():
    groups = [(code, f"{name} · {code}") for code, name in media_taxonomy.GROUP_NAMES.items()]
    leaves = [(code, f"{name} · {code}") for code, name in media_taxonomy.LEAVES.items()]
    return [(_("Groups"), groups), (_("Media"), leaves)]


def split_list(text: str) -> list[str]:
    return [part.strip() for part in (text or "").replace(",", ";").split(";") if part.strip()]


class TermForm(forms.Form):
    works = forms.CharField(label=_("Works"), help_text=_("References or ids, separated by ; or ,"), max_length=20000)
    territories = forms.CharField(label=_("Territories"), help_text=_("Countries and groups: WORLD, CIS, EU, GREATER_CHINA, RU; CN"), max_length=2000)
    territories_excluded = forms.CharField(label=_("Excluding"), required=False, help_text=_("e.g. CN; HK"), max_length=2000)
    media = forms.MultipleChoiceField(label=_("Media"), choices=media_choices, widget=forms.SelectMultiple(attrs={"size": 8}))
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Until (exclusive)"), required=False, help_text=_("empty = open-ended"), widget=forms.DateInput(attrs={"type": "date"}))
    exclusive = forms.BooleanField(label=_("Exclusive"), required=False)
    sublicensable = forms.BooleanField(label=_("May be sublicensed"), required=False)
    reference = forms.CharField(label=_("Contract reference"), max_length=100)
    signed_on = forms.DateField(label=_("Signed on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def work_refs(self) -> list[str]:
        return split_list(self.cleaned_data["works"])

    def term(self, works) -> TermInput:
        d = self.cleaned_data
        return TermInput(
            works=works, territories=d["territories"], territories_excluded=d["territories_excluded"], media=list(d["media"]),
            start=d["start"], end=d["end"], exclusive=d["exclusive"], sublicensable=d["sublicensable"],
        )

    def contract(self, counterparty_name: str = "") -> ContractInput:
        return ContractInput(reference=self.cleaned_data["reference"], signed_on=self.cleaned_data["signed_on"], counterparty_name=counterparty_name)

    def add_problems(self, problems) -> None:
        """Show the ledger's per-field problems beside the fields they concern."""
        if not isinstance(problems, dict):
            self.add_error(None, str(problems))
            return
        for name, message in problems.items():
            field = FIELD_OF.get(name, name)
            self.add_error(field if field in self.fields else None, str(message))


class HoldingForm(TermForm):
    licensor_name = forms.CharField(label=_("Licensor"), required=False, max_length=200, help_text=_("who granted these rights, if outside Kinomost"))


def _other_organisations(actor):
    return [(o.slug, o.name) for o in organisations().exclude(pk=actor.organisation_id)]


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
    on = forms.DateField(label=_("End on"), widget=forms.DateInput(attrs={"type": "date"}))


class FindForm(forms.Form):
    territory = forms.CharField(label=_("Country"), max_length=3, help_text=_("ISO code, e.g. CN"))
    media = forms.ChoiceField(label=_("Media"), choices=media_choices)
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Until (exclusive)"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    exclusive = forms.BooleanField(label=_("Exclusive"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *WorkKind.choices])

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            self.add_error("end", _("The window must end after it starts."))
        return data
