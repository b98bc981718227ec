"""Pipeline configuration: validation and resolution of the mirror and offline settings."""

import os
from pathlib import Path

import yaml

from ddn_pipeline.errors import PipelineError
from ddn_pipeline.schema import SCHEMA_DIR, SchemaError, load_yaml, validate

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


def typed_command_line_values(config):
    """config with each text value read as YAML where the schema wants no text there: Snakemake's --config passes
    nested values, and words such as false, as text (`worker=false`, `classification={most_deprived_share: 0.1}`)."""
    root = load_yaml(SCHEMA_DIR / "config.schema.yaml")
    return _typed(config, root, root)


def _typed(value, schema, root):
    reference = schema.get("$ref", "")
    if reference.startswith("#/$defs/"):
        schema = {**root["$defs"][reference.removeprefix("#/$defs/")], **schema}
    if isinstance(value, str):
        return _read_as_yaml(value) if _wants_other_than_text(schema) else value
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        other = schema.get("additionalProperties")
        return {
            key: _typed(item, properties.get(key, other if isinstance(other, dict) else {}), root)
            for key, item in value.items()
        }
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        return [_typed(item, schema["items"], root) for item in value]
    return value


def _wants_other_than_text(schema):
    kinds = schema.get("type")
    if kinds is not None:
        return "string" not in ([kinds] if isinstance(kinds, str) else kinds)
    allowed = schema.get("enum", [schema["const"]] if "const" in schema else None)
    return allowed is not None and not any(isinstance(item, str) for item in allowed)


def _read_as_yaml(text):
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return text  # validation names the key and what it expected
