"""The one hierarchy of domain errors.

Services raise these with a message a user can act on; `kinomost.api` maps them once to HTTP
status codes and the pages map them to form errors, so nobody ever sees a traceback.
"""


class DomainError(Exception):
    """A refusal the user can understand. `details` carries machine-readable specifics."""

    status_code = 400
    code = "invalid"

    def __init__(self, message: str, *, details: dict | list | None = None):
        super().__init__(message)
        self.message = message
        self.details = details

    def as_dict(self) -> dict:
        body = {"error": self.code, "message": self.message}
        if self.details is not None:
            body["details"] = self.details
        return body


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
