"""Path and query parameters shared by the routers (validated by the resolver, in the OpenAPI)."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

from .models import CONTRACT_ID_PATTERN, DEFAULT_LIMIT, MAX_LIMIT, OBLIGATION_ID_PATTERN

ContractId = Annotated[str, Path(pattern=CONTRACT_ID_PATTERN, description="16 hex digits")]
ObligationId = Annotated[str, Path(pattern=OBLIGATION_ID_PATTERN)]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="items per page")]
Cursor = Annotated[str | None, Query(max_length=2048, description="next_cursor of the previous page")]
DEFAULT = DEFAULT_LIMIT


def _iso_date(value: Any) -> Any:
    """A date in a query is written YYYY-MM-DD: pydantic's own parsing also takes a Unix timestamp
    ("0" is 1970-01-01) or a datetime at midnight, which no one means as a day."""
    if isinstance(value, str) and not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        raise PydanticCustomError("date_parsing", "Input should be a valid date in the format YYYY-MM-DD")
    return value  # pydantic checks the day itself ("2027-02-30")


# a date query parameter (its schema: a string, format date): ``Annotated[IsoDate | None, Query(...)]``
IsoDate = Annotated[date, BeforeValidator(_iso_date)]
