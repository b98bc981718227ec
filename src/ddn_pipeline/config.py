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
