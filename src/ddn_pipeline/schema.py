"""JSON Schema validation with errors that name the offending key."""

from pathlib import Path

import jsonschema
import yaml

from ddn_pipeline.errors import PipelineError

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "schemas"


class SchemaError(PipelineError):
    pass


def load_yaml(path):
    path = Path(path)
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except FileNotFoundError:
        raise SchemaError(f"{path}: file not found") from None
    except yaml.YAMLError as error:
        raise SchemaError(f"{path}: not valid YAML: {error}") from None


def _location(error):
    return "/".join(str(part) for part in error.absolute_path) or "(top level)"


def validate(document, schema_name, source):
    """Raise SchemaError listing every violation of schemas/<schema_name>, each with its key path."""
    schema = load_yaml(SCHEMA_DIR / schema_name)
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        lines = [f"  - at '{_location(e)}': {e.message}" for e in errors]
        raise SchemaError(f"{source} does not match {schema_name}:\n" + "\n".join(lines))
