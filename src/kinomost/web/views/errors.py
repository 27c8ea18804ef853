from django.shortcuts import render
from django.utils.translation import gettext as _


def not_found(request, exception=None):
    return render(request, "web/error.html", {"message": _("This page does not exist, or you may not see it.")}, status=404)


def forbidden(request, exception=None):
    return render(request, "web/error.html", {"message": _("You may not do this.")}, status=403)


def server_error(request):
    return render(request, "web/error.html", {"message": _("Something went wrong on our side.")}, status=500)
