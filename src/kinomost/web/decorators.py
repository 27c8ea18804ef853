"""Page guards: a member of some organisation must be signed in; domain errors become pages."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render

from kinomost.core.errors import DomainError


def member_required(view):
    """Signed-in member with an active organisation; DomainErrors render as an error page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if request.actor is None:
            return render(request, "web/error.html", {"message": "You are not a member of any organisation."}, status=403)
        try:
            return view(request, *args, **kwargs)
        except DomainError as exc:
            return render(request, "web/error.html", {"message": exc.message, "details": exc.details}, status=exc.status_code)

    return wrapper
