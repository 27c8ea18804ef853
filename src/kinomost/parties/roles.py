"""What each role may do. The one owner of permission rules; views and APIs ask here."""

from kinomost.parties.models import Role

WRITE_CATALOGUE = frozenset({Role.OWNER, Role.LICENSING_MANAGER})
MANAGE_ORGANISATION = frozenset({Role.OWNER})
OPERATE_PLATFORM = frozenset({Role.OWNER, Role.PLATFORM_OPERATOR})


def can(role: str | None, permission: frozenset) -> bool:
    return role in permission


REPORT_USAGE = frozenset({Role.OWNER, Role.LICENSING_MANAGER, Role.PLATFORM_OPERATOR})  # usage reports for royalties
CLOSE_STATEMENTS = frozenset({Role.OWNER, Role.LICENSING_MANAGER})  # freeze a period's royalty statements
