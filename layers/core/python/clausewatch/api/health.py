"""GET /health: the function answers (no claims needed)."""

from __future__ import annotations

from aws_lambda_powertools.event_handler.api_gateway import Router

from .auth import public
from .models import Health

router = Router()


@router.get("/health", summary="The API answers", tags=["meta"])
@public
def health() -> Health:
    return Health()
