"""Path and query parameters shared by the routers (validated by the resolver, in the OpenAPI)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path, Query

from .models import CONTRACT_ID_PATTERN, DEFAULT_LIMIT, MAX_LIMIT, OBLIGATION_ID_PATTERN, IsoDate, IsoInstant

ContractId = Annotated[str, Path(pattern=CONTRACT_ID_PATTERN, description="16 hex digits")]
ObligationId = Annotated[str, Path(pattern=OBLIGATION_ID_PATTERN)]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="items per page")]
Cursor = Annotated[str | None, Query(max_length=2048, description="next_cursor of the previous page")]
DEFAULT = DEFAULT_LIMIT

__all__ = ["DEFAULT", "ContractId", "Cursor", "IsoDate", "IsoInstant", "Limit", "ObligationId"]  # IsoDate: a date query
# parameter, ``Annotated[IsoDate | None, Query(...)]`` (its schema: a string, format date)
