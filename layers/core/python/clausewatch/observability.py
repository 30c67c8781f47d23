"""Logging and tracing of the Lambda handlers, configured from the environment in one place.

The service name is POWERTOOLS_SERVICE_NAME (the CDK app sets one per function, see
``config.service_name``), the level POWERTOOLS_LOG_LEVEL; tracing is on when the function has
active tracing and off where POWERTOOLS_TRACE_DISABLED is set (tests, the embedded default).
Handlers import ``logger`` and ``tracer`` from here; the rest of the package keeps plain
``logging.getLogger(__name__)`` loggers, whose lines go through the same JSON handler, so they
carry the invocation's correlation id too.
"""

from __future__ import annotations

import logging

from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.logging.utils import copy_config_to_registered_loggers

PACKAGE_LOGGER = __name__.split(".")[0]  # "clausewatch": parent of every module's logger

logger = Logger()
tracer = Tracer()

# powertools configures top-level loggers only: register the package's, and the module loggers
# (clausewatch.pipeline.intake, ...) reach its handler by propagation, whenever they are created
logging.getLogger(PACKAGE_LOGGER)
copy_config_to_registered_loggers(source_logger=logger, include={PACKAGE_LOGGER})


def set_level(level: int | str) -> None:
    """Set the level of the handlers' lines and of the package's lines together."""
    logger.setLevel(level)
    logging.getLogger(PACKAGE_LOGGER).setLevel(level)
