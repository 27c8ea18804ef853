"""The exchange's studio forms, and turning what a person typed into the services' inputs
(references → works, a POST → a step's input, a refusal → errors on the right fields)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinomost.catalog.choices import WorkKind
from kinomost.core.errors import InvalidInput
from kinomost.core.ids import record_id
from kinomost.core.widgets import IsoDateInput
from kinomost.exchange import offers, proposals
from kinomost.exchange.choices import ApprovalKind, ApprovalStatus
from kinomost.exchange.steps import StepInput
from kinomost.web.pickers import HINT_MANY, MediaField, OrganisationPicker, PickerTextarea, TerritoryPicker, WorkPicker
from kinomost.rights.forms import parse_languages


class ProposalForm(forms.Form):
    """One term (every work of the package under it) and the money: what a page can say in one form."""

    works = forms.CharField(label=gettext_lazy("Works (references or ids, one per line)"), required=False, widget=PickerTextarea("works"))
    territories = forms.CharField(
        label=gettext_lazy("Territories"), help_text=HINT_MANY, initial="CN", widget=TerritoryPicker(multiple=True)
    )
    territories_excluded = forms.CharField(
        label=gettext_lazy("Excluded territories"), required=False, widget=TerritoryPicker(multiple=True)
    )
    media = MediaField(label=gettext_lazy("Media"), initial="svod")
    start = forms.DateField(label=gettext_lazy("Start"), widget=IsoDateInput())
    end = forms.DateField(label=gettext_lazy("End"), required=False, widget=IsoDateInput())
    exclusive = forms.BooleanField(label=gettext_lazy("Exclusive"), required=False)
    languages = forms.CharField(
        label=gettext_lazy("Languages"),
        required=False,
        max_length=2000,
        help_text=gettext_lazy("e.g. zh-Hans dubbed; ru subtitled. Empty: the term names no language."),
        widget=forms.TextInput(attrs={"placeholder": "zh-Hans subtitled"}),
    )
    currency = forms.CharField(label=gettext_lazy("Currency"), max_length=3, initial="USD")
    fee_per_work = forms.DecimalField(label=gettext_lazy("Fee per work"), min_value=0, required=False)
    flat_fee = forms.DecimalField(label=gettext_lazy("Flat fee for the package"), min_value=0, required=False)
    revenue_share = forms.DecimalField(label=gettext_lazy("Revenue share (%)"), min_value=0, max_value=100, required=False)
    minimum_guarantee = forms.DecimalField(label=gettext_lazy("Minimum guarantee"), min_value=0, required=False)

    def clean_languages(self) -> list[dict]:
        return parse_languages(self.cleaned_data["languages"])

    def work_refs(self) -> list[str]:
        return [r.strip() for r in self.cleaned_data["works"].replace(",", "\n").splitlines() if r.strip()]

    def term(self) -> dict:
        d = self.cleaned_data
        return {
            "territories": split_list(d["territories"]),
            "territories_excluded": split_list(d["territories_excluded"]),
            "media": split_list(d["media"]),
            "start": d["start"].isoformat(),
            "end": d["end"].isoformat() if d["end"] else None,
            "exclusive": d["exclusive"],
            "languages": d["languages"],
        }

    def proposal(self, works) -> proposals.ProposalInput:
        d = self.cleaned_data
        return proposals.ProposalInput(
            works=works, terms=[self.term()], currency=d["currency"], **{f: d[f] or 0 for f in proposals.MONEY_FIELDS}
        )

    @classmethod
    def initial_from(cls, version) -> dict:
        term = version.terms[0]
        return {
            "works": "\n".join(w.ref for w in version.works.all()),
            "territories": "; ".join(term["territories"]),
            "territories_excluded": "; ".join(term.get("territories_excluded") or []),
            "media": "; ".join(term["media"]),
            "start": term["start"],
            "end": term.get("end"),
            "exclusive": term.get("exclusive", False),
            "languages": "; ".join(f"{x['language']} {x['use']}" for x in term.get("languages") or []),
            "currency": version.currency,
            **{f: getattr(version, f) for f in proposals.MONEY_FIELDS},
        }


class OfferForm(ProposalForm):
    name = forms.CharField(label=gettext_lazy("Name of the package"), max_length=200)
    message = forms.CharField(label=gettext_lazy("Message"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    expires_on = forms.DateField(label=gettext_lazy("Offer expires on"), required=False, widget=IsoDateInput())
    filter_kind = forms.ChoiceField(label=gettext_lazy("Filter: kind"), required=False, choices=[("", "—"), *WorkKind.choices])
    filter_genre = forms.CharField(label=gettext_lazy("Filter: genre"), required=False)
    filter_year_from = forms.IntegerField(label=gettext_lazy("Filter: from year"), required=False)
    filter_year_to = forms.IntegerField(label=gettext_lazy("Filter: to year"), required=False)
    filter_language = forms.CharField(label=gettext_lazy("Filter: original language"), required=False)
    filter_available = forms.BooleanField(label=gettext_lazy("Filter: only works free for these terms"), required=False)

    field_order = [
        "name",
        "works",
        "filter_kind",
        "filter_genre",
        "filter_year_from",
        "filter_year_to",
        "filter_language",
        "filter_available",
    ]

    def package_filter(self) -> offers.PackageFilter | None:
        d = self.cleaned_data
        flt = offers.PackageFilter(
            kind=d["filter_kind"] or None,
            genre=d["filter_genre"] or None,
            year_from=d["filter_year_from"],
            year_to=d["filter_year_to"],
            language=d["filter_language"] or None,
            available_for=self.term() if d["filter_available"] else None,
        )
        return flt if flt.as_dict() else None


class SendForm(forms.Form):
    recipients = forms.CharField(
        label=gettext_lazy("Send to (organisation identifiers, separated by ;)"),
        help_text=HINT_MANY,
        widget=OrganisationPicker(multiple=True),
    )


class MessageForm(forms.Form):
    body = forms.CharField(label=gettext_lazy("Message"), widget=forms.Textarea(attrs={"rows": 3}))


class ApprovalForm(forms.Form):
    work = forms.CharField(label=gettext_lazy("Work (reference or id)"), widget=WorkPicker())
    territory = forms.CharField(label=gettext_lazy("Territory"), max_length=2, widget=TerritoryPicker(countries_only=True))
    kind = forms.ChoiceField(label=gettext_lazy("Approval"), choices=ApprovalKind.choices)
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=ApprovalStatus.choices, initial=ApprovalStatus.GRANTED)
    number = forms.CharField(label=gettext_lazy("Number"), required=False)
    issued_on = forms.DateField(label=gettext_lazy("Date"), required=False, widget=IsoDateInput())
    platform = forms.CharField(
        label=gettext_lazy("Platform (organisation identifier, for per-platform registrations)"),
        required=False,
        widget=OrganisationPicker(),
    )


class BalanceForm(forms.Form):
    scope = forms.ChoiceField(
        label=gettext_lazy("Compare"),
        required=False,
        choices=[("organisation", gettext_lazy("organisations")), ("country", gettext_lazy("countries"))],
    )
    a = forms.CharField(label=gettext_lazy("Side A"), required=False, widget=OrganisationPicker(params="self=1"))
    b = forms.CharField(label=gettext_lazy("Side B"), required=False, widget=OrganisationPicker(params="self=1"))
    by = forms.ChoiceField(
        label=gettext_lazy("Per"),
        required=False,
        choices=[("month", gettext_lazy("month")), ("quarter", gettext_lazy("quarter")), ("year", gettext_lazy("year"))],
    )
    start = forms.DateField(label=gettext_lazy("From"), required=False, widget=IsoDateInput())
    end = forms.DateField(label=gettext_lazy("Until"), required=False, widget=IsoDateInput())


def split_list(text: str) -> list[str]:
    """Split a list a person typed ("CN; RU, WORLD"): semicolons or commas, blanks ignored."""
    return [p.strip() for p in (text or "").replace(",", ";").split(";") if p.strip()]


def resolve_works(refs: list[str], licensor) -> list[int]:
    """References or ids → works of the licensor's catalogue (unknown ones are named by the
    proposal's own validation, which never confirms another's private work)."""
    by_ref = dict(proposals.catalogue_of(licensor).filter(ref__in=refs).values_list("ref", "pk"))
    unknown = [r for r in refs if r not in by_ref and record_id(r) is None]
    if unknown:
        raise InvalidInput(
            _("Not in the licensor's catalogue: %(works)s") % {"works": ", ".join(unknown)}, details={"works": ", ".join(unknown)}
        )
    return [by_ref.get(r) or record_id(r) for r in refs]


def add_problems(form, exc: InvalidInput) -> None:
    """A service's refusal on the fields it names (the whole form where it names none)."""
    details = exc.field_problems()
    placed = False
    for name, text in details.items():
        field = {"terms": "territories", "filter": "filter_kind", "body": "body"}.get(name, name)
        if field in form.fields:
            form.add_error(field, str(text))
            placed = True
    if not placed:
        form.add_error(None, exc.message)


def step_input(post) -> StepInput:
    """A step button's POST (the works ticked for a selection, a date, a reason) as the service's input."""
    return StepInput(
        works=post.getlist("works") or None,
        reason=post.get("reason", ""),
        on_date=post.get("on_date") or None,
        confirmed=post.get("confirm") == "yes",
    )
