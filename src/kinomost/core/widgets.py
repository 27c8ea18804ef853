"""Form widgets every app's forms share (below the apps, so rights and web forms may both use them).

Dates: an `<input type="date">` only accepts an ISO value (`2027-01-01`); Django renders a
DateInput in the active language's DATE_INPUT_FORMATS (`01.01.2027` in Russian, `2027/01/01`
in Chinese), which the browser rejects and shows empty. These widgets always write ISO; the
browser shows the date in the reader's own format.
"""

from __future__ import annotations

from django import forms

ISO_DATE = "%Y-%m-%d"
ISO_DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class IsoDateInput(forms.DateInput):
    """`<input type="date">` whose value is ISO 8601 whatever the interface language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=ISO_DATE)


class IsoDateTimeInput(forms.DateTimeInput):
    """`<input type="datetime-local">` whose value is `YYYY-MM-DDTHH:MM` in every language."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=ISO_DATETIME_LOCAL)
