"""Sets `request.actor` for a signed-in member: the organisation they act for in this session."""

from kinomost.parties.context import Actor
from kinomost.parties.selectors import memberships_of

SESSION_KEY = "kinomost_organisation_id"


class ActiveOrganisationMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.actor = None
        request.memberships = []
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            request.memberships = memberships_of(user)
            chosen = request.session.get(SESSION_KEY)
            membership = next((m for m in request.memberships if m.organisation_id == chosen), None)
            # By default a person acts for the organisation they joined first (their own).
            membership = membership or min(request.memberships, key=lambda m: m.pk, default=None)
            if membership is not None:
                request.actor = Actor(organisation=membership.organisation, role=membership.role, user=user)
        return self.get_response(request)
