"""The shapes every router of the API shares: a record id, paging, the one error answer, and
downloads. Each is bounded in the schema, so OpenAPI says what is accepted and a number the
database cannot hold is refused with a 422 before any code runs (kinomost.core.ids says why)."""

from __future__ import annotations

from datetime import MAXYEAR, MINYEAR
from typing import Annotated, Any

from ninja import Field, Schema

from kinomost.core.ids import MAX_INTEGER, MAX_OFFSET, MAX_RECORD_ID

RecordId = Annotated[int, Field(ge=1, le=MAX_RECORD_ID, description="a record id")]
Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET, description="rows to skip")]
WorkReference = RecordId | str
"""A work named by its id or by its catalogue reference (`kinomost.core.ids.record_id` tells them apart)."""
Year = Annotated[int, Field(ge=MINYEAR, le=MAXYEAR - 1, description="a calendar year")]
"""A year as a window of dates, [1 January, 1 January of the next year): both ends must be dates,
so 1 … 9998; beyond, `date()` raises."""
Count = Annotated[int, Field(ge=0, le=MAX_INTEGER)]
"""A whole number that is not an id (a year, an episode number, minutes): what an integer column holds;
the service still says whether it is plausible."""


def limit_field(default: int, maximum: int) -> Any:
    """A page size: at least one row, at most `maximum`."""
    return Field(default, ge=1, le=maximum, description=f"rows to return (1–{maximum})")


class ErrorOut(Schema):
    """Every refusal of the API has this one shape (kinomost.api maps each error to it)."""

    error: str = Field(description="a stable code: invalid_input, not_found, forbidden, conflict, unauthorized, …")
    message: str = Field(description="what went wrong, in the caller's language")
    details: list[dict[str, Any]] = Field(description="machine-readable specifics, one object each; empty when there are none")


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(*media_types: str) -> dict:
    """`openapi_extra` of an operation that answers a file: its 200 is binary in these media types."""
    return {
        "responses": {200: {"description": "OK", "content": {t: {"schema": {"type": "string", "format": "binary"}} for t in media_types}}}
    }
