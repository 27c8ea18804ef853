"""The inbox: the organisation's notifications, read and unread."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kinomost.core.errors import InvalidInput
from kinomost.core.ids import record_id
from kinomost.exchange import inbox, notifications
from kinomost.web.decorators import member_required


@member_required
def inbox_page(request):
    unread_only = request.GET.get("unread") == "1"
    rows = [
        {"n": n, "read": read, "text": inbox.notification_text(n)} for n, read in inbox.inbox_page(request.actor, unread_only=unread_only)
    ]
    return render(request, "web/exchange/inbox.html", {"rows": rows, "unread_only": unread_only})


@require_POST
@member_required
def inbox_read(request):
    ids = [pk for pk in map(record_id, request.POST.getlist("ids")) if pk is not None]
    if request.POST.get("all"):
        ids = [n.pk for n, read in inbox.inbox_page(request.actor, unread_only=True)]
    elif not ids:
        raise InvalidInput(_("Choose the notices to mark read."))
    if ids:
        notifications.mark_read(request.actor, ids)
    return redirect("web:exchange-inbox")
