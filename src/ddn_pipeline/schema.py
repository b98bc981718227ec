"""JSON Schema validation with errors that name the offending key."""

import hashlib
import json
import os
from pathlib import Path

import yaml

from ddn_pipeline.errors import PipelineError
from ddn_pipeline.files import write_bytes_atomic

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "schemas"
# A folder remembering documents that passed their schema (one empty file per digest of schema and document), so
# that a document read again unchanged, by the workflow or by each of its jobs, is not validated again; and the
# parsed YAML files (parsed-<digest of the file>.json: data, never code). Set by the Snakefile; unset, every document is parsed
# and validated.
CACHE_ENV = "DDN_SCHEMA_CACHE"


class SchemaError(PipelineError):
    pass


def load_yaml(path):
    """The document in a YAML file. With the cache folder set (remember_validated), a document already parsed is
    read back from there, keyed by the digest of the file's bytes: the registry takes a job longer to parse than
    the rest of a retrieval."""
    path = Path(path)
    try:
        text = path.read_bytes()
    except FileNotFoundError:
        raise SchemaError(f"{path}: file not found") from None
    folder = os.environ.get(CACHE_ENV)
    parsed = Path(folder, f"parsed-{hashlib.sha256(text).hexdigest()}.json") if folder else None
    if parsed is not None and parsed.exists():
        return json.loads(parsed.read_bytes())
    try:
        document = yaml.load(text.decode("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise SchemaError(f"{path}: not valid YAML: {error}") from None
    if parsed is not None:
        try:
            cached = json.dumps(document).encode()
        except TypeError:
            return document  # a value JSON cannot hold (a date): parsed again next time
        if json.loads(cached) == document:  # JSON gives back what YAML read (no tuple keys, no integer keys)
            parsed.parent.mkdir(parents=True, exist_ok=True)
            write_bytes_atomic(cached, parsed)  # concurrent jobs each write the same bytes
    return document


def _location(error):
    return "/".join(str(part) for part in error.absolute_path) or "(top level)"


def validate(document, schema_name, source):
    """Raise SchemaError listing every violation of schemas/<schema_name>, each with its key path."""
    schema_path = SCHEMA_DIR / schema_name
    passed = _passed_marker(schema_path, document)
    if passed is not None and passed.exists():
        return
    import jsonschema  # only when a document is validated: a job that reads a validated registry never needs it

    validator = jsonschema.Draft202012Validator(load_yaml(schema_path))
    errors = sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        lines = [f"  - at '{_location(e)}': {e.message}" for e in errors]
        raise SchemaError(f"{source} does not match {schema_name}:\n" + "\n".join(lines))
    if passed is not None:
        passed.parent.mkdir(parents=True, exist_ok=True)
        passed.touch()


def remember_validated(folder):
    """Remember documents that passed their schema in folder, for this process and the processes it starts."""
    os.environ[CACHE_ENV] = str(Path(folder).resolve())


def _passed_marker(schema_path, document):
    folder = os.environ.get(CACHE_ENV)
    if not folder:
        return None
    digest = hashlib.sha256(schema_path.read_bytes())
    digest.update(json.dumps(document, sort_keys=True, default=str).encode())
    return Path(folder) / digest.hexdigest()
