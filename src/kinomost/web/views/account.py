"""The signed-in person's own settings: the time zone their pages show times in (empty: the
zone of the organisation they act for, from its country). parties.services writes."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinomost.core.errors import InvalidInput
from kinomost.core.timezones import all_zones, zone_of_country
from kinomost.parties import services
from kinomost.web.decorators import member_required


class SettingsForm(forms.Form):
    time_zone = forms.ChoiceField(label=gettext_lazy("Time zone"), required=False)

    def __init__(self, *args, default_zone: str, **kwargs):
        super().__init__(*args, **kwargs)
        default = _("The organisation's: %(zone)s") % {"zone": default_zone}
        self.fields["time_zone"].choices = [("", default), *((z, z.replace("_", " ")) for z in all_zones())]


@member_required
def settings_page(request):
    default_zone = zone_of_country(request.actor.organisation.country)
    form = SettingsForm(request.POST or None, initial={"time_zone": request.user.time_zone}, default_zone=default_zone)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_time_zone(request.user, form.cleaned_data["time_zone"])
        except InvalidInput as exc:
            form.add_error("time_zone", exc.message)
        else:
            messages.success(request, _("Settings saved."))
            return redirect("web:settings")
    return render(request, "web/settings.html", {"form": form, "default_zone": default_zone})
