from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from kinomost.parties.middleware import SESSION_KEY


def home(request):
    return render(request, "web/home.html")


@require_POST
def switch_organisation(request):
    """Act for another organisation the user is a member of."""
    wanted = request.POST.get("organisation")
    if any(str(m.organisation_id) == wanted for m in request.memberships):
        request.session[SESSION_KEY] = int(wanted)
    target = request.POST.get("next") or reverse("web:home")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("web:home")
    return HttpResponseRedirect(target)
