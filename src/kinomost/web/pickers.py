"""Pickers instead of codes: form widgets that let a person choose organisations, works,
countries and territory groups from a searchable list in their language, and media from the
media tree as grouped checkboxes (a group's box selects its children).

Progressive enhancement: each picker is a text input that still takes codes as typed (`CN; RU`,
`SEV-F-0001`, `pearl-media`); static/kinomost/picker.js (no inline script: the CSP forbids it)
adds the list from the JSON look-ups in web.views.lookups. `equip(form, ...)` puts pickers on
forms that live in other apps (rights.forms), which cannot import the web layer.
"""

from __future__ import annotations

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from kinomost.core import media as media_taxonomy
from kinomost.core.errors import InvalidInput

LOOKUPS = {
    "organisations": reverse_lazy("web:lookup-organisations"),
    "works": reverse_lazy("web:lookup-works"),
    "territories": reverse_lazy("web:lookup-territories"),
}


class _Searchable:
    """What makes an input a picker: the look-up's URL and how several values are separated."""

    def _setup(self, kind: str, multiple: bool, separator: str, params: str):
        self.kind, self.multiple, self.separator, self.params = kind, multiple, separator, params

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        url = str(LOOKUPS[self.kind]) + (f"?{self.params}" if self.params else "")
        context["widget"]["attrs"].update(
            {
                "data-picker": url,
                "autocomplete": "off",
                "aria-autocomplete": "list",
                **({"data-separator": self.separator} if self.multiple else {}),
            }
        )
        return context


class Picker(_Searchable, forms.TextInput):
    """A text input with a searchable list of `kind` (organisations, works, territories).
    `multiple`: several values separated by `separator`; `params`: extra look-up parameters
    (`own=1`, `countries=1`)."""

    template_name = "web/widgets/picker.html"

    def __init__(self, kind: str, *, multiple: bool = False, separator: str = "; ", params: str = "", attrs=None):
        super().__init__(attrs=attrs)
        self._setup(kind, multiple, separator, params)


class PickerTextarea(_Searchable, forms.Textarea):
    """Several works, one per line (an offer's package)."""

    template_name = "web/widgets/picker_textarea.html"

    def __init__(self, kind: str, *, params: str = "", attrs=None):
        super().__init__(attrs={"rows": 4, **(attrs or {})})
        self._setup(kind, True, "\n", params)


def OrganisationPicker(**kw) -> Picker:
    return Picker("organisations", **kw)


def WorkPicker(**kw) -> Picker:
    return Picker("works", **kw)


def TerritoryPicker(*, countries_only: bool = False, **kw) -> Picker:
    return Picker("territories", params="countries=1" if countries_only else "", **kw)


class MediaTree(forms.CheckboxSelectMultiple):
    """The media taxonomy as grouped checkboxes in the reader's language: a group's box stands
    for all its leaves (the ledger expands it), and picker.js ticks its children with it."""

    template_name = "web/widgets/media_tree.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        chosen = {str(v) for v in (value or [])}
        base_id = (attrs or {}).get("id") or f"id_{name}"
        context["groups"] = [
            {
                "code": group,
                "name": media_taxonomy.name(group),
                "checked": group in chosen,
                "id": f"{base_id}_{group}",
                "leaves": [
                    {"code": leaf, "name": label, "checked": leaf in chosen or group in chosen, "id": f"{base_id}_{leaf}"}
                    for leaf, label in leaves.items()
                ],
            }
            for group, leaves in media_taxonomy.TREE.items()
        ]
        context["all_checked"] = "all" in chosen
        return context


def _codes(value) -> list[str]:
    """Media codes from what a form holds: a list of ticked boxes, or text typed as `svod; tv`."""
    items = value if isinstance(value, (list, tuple)) else [value or ""]
    return [c.strip().lower() for item in items for c in str(item or "").replace(",", ";").split(";") if c.strip()]


class MediaTreeWithCodes(MediaTree):
    """The media tree, and below it a box for codes typed by those who know them (`svod; tv`):
    both post under the field's name (the box as `<name>_codes`) and the field reads them together.
    A value given as text (`"svod; theatrical"`, as a term stores it) ticks its boxes."""

    template_name = "web/widgets/media_tree_codes.html"

    def format_value(self, value):
        return _codes(value)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, _codes(value), attrs)
        context["codes_name"] = f"{name}_codes"
        context["codes_id"] = f"{(attrs or {}).get('id') or f'id_{name}'}_codes"
        return context

    def value_from_datadict(self, data, files, name):
        ticked = data.getlist(name) if hasattr(data, "getlist") else _codes(data.get(name))
        return [*ticked, *_codes(data.get(f"{name}_codes", ""))]

    def value_omitted_from_data(self, data, files, name):
        return name not in data and f"{name}_codes" not in data


class MediaField(forms.Field):
    """Media as a term names them (`"vod; theatrical"`), from the tree's boxes or typed codes:
    unknown codes are refused by name; a ticked group stands for its leaves (they are dropped), and
    "all" for everything."""

    widget = MediaTreeWithCodes

    def to_python(self, value) -> str:
        codes = list(dict.fromkeys(_codes(value)))
        try:
            media_taxonomy.expand(codes)
        except InvalidInput as exc:
            raise forms.ValidationError(exc.message, code="unknown_media") from None
        if "all" in codes:
            return "all"
        groups = {c for c in codes if c in media_taxonomy.TREE}
        return "; ".join(c for c in codes if media_taxonomy.PARENT.get(c) not in groups)


def media_tree_choices() -> list[tuple[str, str]]:
    """Every code the tree may post: "all", the groups and the leaves."""
    return [
        ("all", str(media_taxonomy.name("all"))),
        *((g, str(media_taxonomy.name(g))) for g in media_taxonomy.TREE),
        *((leaf, str(name)) for leaf, name in media_taxonomy.LEAVES.items()),
    ]


HINT_ONE = _("Type a name in any language and pick it from the list, or type its code.")
HINT_MANY = _("Type names in any language and pick them from the list, or type codes separated by ;")


def equip(form: forms.Form, widgets: dict[str, forms.Widget]) -> forms.Form:
    """Put pickers on a form's fields (by name; fields the form lacks are skipped), keeping each
    field's validation as it is; the field's hint says how a picker is used instead of listing codes."""
    for name, widget in widgets.items():
        field = form.fields.get(name)
        if field is None:
            continue
        widget.is_required = field.required
        if isinstance(widget, _Searchable):
            field.help_text = HINT_MANY if widget.multiple else HINT_ONE
        if isinstance(widget, MediaTree):
            widget.choices = media_tree_choices()
        field.widget = widget
    return form
