from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from kinomost.core.http import safe_next
from kinomost.parties.middleware import SESSION_KEY


def home(request):
    return render(request, "web/home.html")


@require_POST
def switch_organisation(request):
    """Act for another organisation the user is a member of."""
    wanted = request.POST.get("organisation")
    if any(str(m.organisation_id) == wanted for m in request.memberships):
        request.session[SESSION_KEY] = int(wanted)
    return HttpResponseRedirect(safe_next(request, reverse("web:home")))
