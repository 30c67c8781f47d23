"""The shared Lambda layer and the settings every clausewatch function has in common."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from aws_cdk import Annotations, Duration
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from clausewatch import config

REPO_ROOT = Path(__file__).resolve().parents[2]
FUNCTIONS_DIR = REPO_ROOT / "functions"
BUILT_LAYER_DIR = REPO_ROOT / "build" / "layer"  # `make layer`: clausewatch + its dependencies
SOURCE_LAYER_DIR = REPO_ROOT / "layers" / "core"  # clausewatch only (enough to synthesize)

# Must match `make layer` (manylinux2014_x86_64, cp312).
RUNTIME = lambda_.Runtime.PYTHON_3_12
ARCHITECTURE = lambda_.Architecture.X86_64
HANDLER = "handler.handler"
ASSET_EXCLUDES = ["**/__pycache__", "**/*.pyc", "**/.pytest_cache"]


def layer_source_dir(built: Path = BUILT_LAYER_DIR, source: Path = SOURCE_LAYER_DIR) -> Path:
    """The directory to package as the shared layer: the built layer when `make layer` produced one
    (it has a python/ folder with clausewatch and its dependencies), else the bare source layer."""
    return built if (built / "python").is_dir() else source


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
        layer_dir = layer_source_dir()
        if layer_dir != BUILT_LAYER_DIR:
            # Synth and tests work without it; a deployment would lack powertools, pynamodb, ...
            Annotations.of(self).add_warning_v2(
                "clausewatch:layer-without-dependencies",
                "build/layer not found: packaging layers/core without its dependencies; "
                "run `make layer` before `cdk deploy`.",
            )
        self.layer = lambda_.LayerVersion(
            self,
            "CoreLayer",
            code=lambda_.Code.from_asset(str(layer_dir), exclude=ASSET_EXCLUDES),
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
