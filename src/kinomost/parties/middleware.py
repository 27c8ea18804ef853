"""Sets `request.actor` for a signed-in member: the organisation they act for in this session —
one they are a member of, or a subsidiary of one (a media group's people act for its studios
with the role they hold in the group). `request.acting_options` lists what they may choose."""

from kinomost.parties.context import Actor
from kinomost.parties.selectors import acting_options, memberships_of

SESSION_KEY = "kinomost_organisation_id"


class ActiveOrganisationMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.actor = None
        request.memberships = []
        request.acting_options = []
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            request.memberships = memberships_of(user)
            chosen = request.session.get(SESSION_KEY)
            if chosen is not None:
                request.acting_options = acting_options(request.memberships)
                picked = next(((org, role) for org, role, _depth in request.acting_options if org.pk == chosen), None)
                if picked is not None:
                    request.actor = Actor(organisation=picked[0], role=picked[1], user=user)
            # By default a person acts for the organisation they joined first (their own).
            membership = min(request.memberships, key=lambda m: m.pk, default=None)
            if request.actor is None and membership is not None:
                request.actor = Actor(organisation=membership.organisation, role=membership.role, user=user)
        return self.get_response(request)
