"""Pipeline configuration: validation and resolution of the mirror and offline settings."""

import os
from pathlib import Path

from ddn_pipeline.errors import PipelineError
from ddn_pipeline.schema import SchemaError, validate

MIRROR_ENV = "DDN_MIRROR"


class ConfigError(PipelineError):
    pass


def validate_config(config, source="config"):
    try:
        validate(config, "config.schema.yaml", source)
    except SchemaError as error:
        raise ConfigError(str(error)) from None


def resolve_mirror(config, environ=os.environ):
    """The mirror folder as an absolute Path, or None. The config value wins over DDN_MIRROR."""
    value = config.get("mirror") or environ.get(MIRROR_ENV) or None
    if value is None:
        return None
    path = Path(value).expanduser().resolve()
    if not path.is_dir():
        origin = "config key 'mirror'" if config.get("mirror") else f"environment variable {MIRROR_ENV}"
        raise ConfigError(f"mirror folder {value!r} (from {origin}) does not exist or is not a folder ({path})")
    return path


def resolve_offline(config, mirror):
    offline = config.get("offline")
    return mirror is not None if offline is None else bool(offline)


def check_references(config, dataset_ids):
    """Names that point elsewhere in the config must exist: figure indicators and sources, sensitivity_of, datasets."""
    definitions = config["indicators"]["definitions"]
    not_computed = config["indicators"]["not_computed"]
    problems = []
    for name, definition in definitions.items():
        if definition.get("sensitivity_of") and definition["sensitivity_of"] not in definitions:
            problems.append(
                f"indicators.definitions.{name}.sensitivity_of: '{definition['sensitivity_of']}' is not an indicator"
            )
    for name, entry in not_computed.items():
        problems += [
            f"indicators.not_computed.{name}.datasets: '{d}' is not in the registry"
            for d in entry["datasets"]
            if d not in dataset_ids
        ]
    for name, figure in config["benchmark"]["figures"].items():
        if figure["indicator"] not in definitions and figure["indicator"] not in not_computed:
            problems.append(
                f"benchmark.figures.{name}.indicator: '{figure['indicator']}' is neither an indicator definition nor listed under indicators.not_computed"
            )
        if figure["source"] not in config["benchmark"]["sources"]:
            problems.append(f"benchmark.figures.{name}.source: '{figure['source']}' is not in benchmark.sources")
    if problems:
        raise ConfigError("config references that do not resolve:\n  - " + "\n  - ".join(problems))
