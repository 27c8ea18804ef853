"""The one hierarchy of domain errors.

Services raise these with a message a user can act on; `kinomost.api` maps them once to HTTP
status codes and the pages map them to form errors, so nobody ever sees a traceback.
"""


class DomainError(Exception):
    """A refusal the user can understand. `details` carries machine-readable specifics: always a
    list of objects, so an API client reads every refusal the same way.

    A service may pass problems by field (`{"name": "required"}`) — the usual shape of a
    validation — and they are kept as `[{"field": "name", "message": "required"}]`; anything else
    is passed as a list of objects already."""

    status_code = 400
    code = "invalid"

    def __init__(self, message: str, *, details: dict | list | None = None):
        super().__init__(message)
        self.message = message
        self.details: list[dict] = _as_list(details)

    def as_dict(self) -> dict:
        return {"error": self.code, "message": self.message, "details": self.details}

    def field_problems(self) -> dict[str, str]:
        """The problems that name a field, by field: what a form shows beside its fields."""
        return {d["field"]: str(d.get("message", self.message)) for d in self.details if "field" in d}


def _as_list(details: dict | list | None) -> list[dict]:
    if details is None:
        return []
    if isinstance(details, dict):
        return [{"field": name, "message": problem} for name, problem in details.items()]
    return list(details)


class InvalidInput(DomainError):
    status_code = 422
    code = "invalid_input"


class NotFound(DomainError):
    """Also raised for objects of another organisation: we never confirm that they exist."""

    status_code = 404
    code = "not_found"


class PermissionDenied(DomainError):
    status_code = 403
    code = "forbidden"


class Conflict(DomainError):
    status_code = 409
    code = "conflict"


class ImportRejected(InvalidInput):
    """A whole file refused; `details` lists every bad row, column and reason."""

    code = "import_rejected"

    def __init__(self, message: str, *, problems: list[dict]):
        super().__init__(message, details=problems)
        self.problems = problems


class TooManyAttempts(DomainError):
    """Throttled (kinomost.parties.throttle): try again after `retry_after` seconds."""

    status_code = 429
    code = "too_many_attempts"

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message, details=[])
        self.retry_after = retry_after
