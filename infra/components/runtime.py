"""The shared Lambda layer and the settings every clausewatch function has in common."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from aws_cdk import Duration
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from clausewatch import config

from .layer_build import layer_code

REPO_ROOT = Path(__file__).resolve().parents[2]
FUNCTIONS_DIR = REPO_ROOT / "functions"

# Must match the layer build (layer_build.py: manylinux2014_x86_64, cp312).
RUNTIME = lambda_.Runtime.PYTHON_3_12
ARCHITECTURE = lambda_.Architecture.X86_64
HANDLER = "handler.handler"
ASSET_EXCLUDES = ["**/__pycache__", "**/*.pyc", "**/.pytest_cache"]


class FunctionRuntime(Construct):
    """Builds clausewatch functions: one shared layer, Python 3.12, same architecture, common env.

    `common_environment` goes on every function (names and settings, never credentials); each
    function adds what only it needs through `function(..., environment=...)`.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        common_environment: Mapping[str, str],
        log_retention: logs.RetentionDays = logs.RetentionDays.THREE_MONTHS,
    ) -> None:
        super().__init__(scope, id)
        self.common_environment = dict(common_environment)
        self.log_retention = log_retention
        # built by synthesis (pip, for Python 3.12), hashed from its sources: see layer_build.py
        self.layer = lambda_.LayerVersion(
            self,
            "CoreLayer",
            code=layer_code(),
            compatible_runtimes=[RUNTIME],
            compatible_architectures=[ARCHITECTURE],
            description="clausewatch domain package and its dependencies",
        )

    def function(
        self,
        scope: Construct,
        name: str,
        *,
        timeout_seconds: int,
        memory_mb: int,
        description: str,
        environment: Mapping[str, str] | None = None,
    ) -> lambda_.Function:
        """The Lambda for functions/<name>/handler.py, with the layer, common env (plus its own
        POWERTOOLS_SERVICE_NAME), active tracing and a log group."""
        if name not in config.FUNCTIONS:
            raise ValueError(f"unknown function {name!r}; expected one of {config.FUNCTIONS}")
        construct_id = "".join(part.capitalize() for part in name.split("_"))
        log_group = logs.LogGroup(scope, f"{construct_id}Logs", retention=self.log_retention)
        return lambda_.Function(
            scope,
            f"{construct_id}Function",
            runtime=RUNTIME,
            architecture=ARCHITECTURE,
            handler=HANDLER,
            code=lambda_.Code.from_asset(str(FUNCTIONS_DIR / name), exclude=ASSET_EXCLUDES),
            layers=[self.layer],
            timeout=Duration.seconds(timeout_seconds),
            memory_size=memory_mb,
            description=description,
            environment={
                **self.common_environment,
                # powertools' Logger and Tracer read it: one service per function in logs and traces
                "POWERTOOLS_SERVICE_NAME": config.service_name(name),
                **(environment or {}),
            },
            log_group=log_group,
            tracing=lambda_.Tracing.ACTIVE,
        )
