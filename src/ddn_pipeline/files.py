"""Files: checksums, atomic writes (a half-written file never carries the final name) and impostor checks."""

import hashlib
import json
import os
from pathlib import Path

from ddn_pipeline.errors import PipelineError

HTML_MARKERS = (b"<!doctype html", b"<html")


class DataFileError(PipelineError):
    pass


def sha256_file(path, chunk_size=1 << 20):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(chunk_size):
            digest.update(chunk)
    return digest.hexdigest()


def check_not_empty_or_html(path, what):
    """Reject the two commonest impostors of a data file: an empty file and a saved HTML (error) page.
    what names the file for the user (a path, or a dataset's file and where it came from)."""
    path = Path(path)
    if path.stat().st_size == 0:
        raise DataFileError(f"{what} is empty (0 bytes); expected data")
    with path.open("rb") as handle:
        head = handle.read(512).lstrip().lower()
    if head.startswith(HTML_MARKERS):
        raise DataFileError(
            f"{what} is an HTML page, not data (an error or landing page saved under the data file's name)"
        )


def temporary_path(dest):
    return dest.with_name(f".{dest.name}.part-{os.getpid()}")


def write_bytes_atomic(data, path):
    """Write data under a temporary name, then move it to path: a reader, or a process writing the same file at the
    same time, never sees half of it."""
    path = Path(path)
    tmp = temporary_path(path)
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_json_atomic(document, path):
    write_bytes_atomic((json.dumps(document, indent=2, sort_keys=True) + "\n").encode("utf-8"), path)


def write_csv(frame, path):
    """The one CSV writer of the pipeline: DataFrame.to_csv(index=False), written under a temporary name, then
    moved."""
    write_bytes_atomic(frame.to_csv(index=False).encode("utf-8"), path)


def write_parquet(frame, path):
    """The one parquet writer of the pipeline: zstd-compressed, written under a temporary name, then moved."""
    path = Path(path)
    tmp = temporary_path(path)
    try:
        frame.to_parquet(tmp, index=False, compression="zstd")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
