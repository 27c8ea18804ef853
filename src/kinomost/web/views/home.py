from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from kinomost.core.http import safe_next
from kinomost.parties.middleware import SESSION_KEY
from kinomost.parties.selectors import acting_options


def home(request):
    return render(request, "web/home.html")


@require_POST
def switch_organisation(request):
    """Act for another organisation: one the user is a member of, or a subsidiary of one
    (parties.selectors.acting_options); anything else is ignored."""
    wanted = request.POST.get("organisation")
    if any(str(org.pk) == wanted for org, _role, _depth in acting_options(request.memberships)):
        request.session[SESSION_KEY] = int(wanted)
    return HttpResponseRedirect(safe_next(request, reverse("web:home")))
