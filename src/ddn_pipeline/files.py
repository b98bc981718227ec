"""Files: checksums, atomic writes (a half-written file never carries the final name) and impostor checks."""

import hashlib
import io
import json
import math
import os
import re
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
    """The one CSV writer of the pipeline: what DataFrame.to_csv(path, index=False) writes, byte for byte, written
    under a temporary name, then moved. Tables of numbers, flags and plain text are written from their columns at
    once (csv_text); any other table through pandas, whose writer takes a Python call per field."""
    text = csv_text(frame)
    if text is None:
        buffer = io.StringIO()
        frame.to_csv(buffer, index=False)
        text = buffer.getvalue()
    write_bytes_atomic(text.encode("utf-8"), path)


CSV_QUOTED = re.compile(r'[,"]')  # a field Python's csv writer (and so pandas) quotes, doubling its quotes
CSV_LINE_BREAK = re.compile(r"[\r\n]")  # quoted too, but such a table is left to pandas


def csv_text(frame):
    """DataFrame.to_csv(index=False)'s text for a frame of two or more columns, each float64 (Python's repr: the
    text pandas writes, numpy's shortest form that reads back as the same number), int64, bool or text without line
    breaks; a missing value is empty. None for any other frame."""
    import numpy as np
    import pandas as pd

    if frame.shape[1] < 2 or not all(isinstance(name, str) for name in frame.columns):
        return None  # a row of one empty field is quoted
    header = csv_fields(frame.columns)
    if header is None:
        return None
    columns = []
    for position in range(frame.shape[1]):
        column = frame.iloc[:, position]
        dtype = column.dtype
        if isinstance(dtype, np.dtype) and dtype.kind == "f" and dtype.itemsize == 8:
            values = column.to_numpy()
            fields = list(map(float.__repr__, values.tolist()))
            for missing in np.flatnonzero(np.isnan(values)).tolist():
                fields[missing] = ""
        elif isinstance(dtype, np.dtype) and (dtype.kind == "b" or (dtype.kind == "i" and dtype.itemsize == 8)):
            fields = list(map(str, column.to_numpy().tolist()))
        elif dtype == object or isinstance(dtype, pd.StringDtype):
            fields = csv_fields(column.tolist())
            if fields is None:
                return None
        else:
            return None
        columns.append(fields)
    return "".join(",".join(row) + "\n" for row in (header, *zip(*columns)))


def csv_fields(values):
    """Text values as Python's csv writer writes them (missing: empty), or None if one is not text or has a line
    break."""
    import pandas as pd

    fields = []
    for value in values:
        if type(value) is str:
            if CSV_LINE_BREAK.search(value):
                return None
            fields.append('"' + value.replace('"', '""') + '"' if CSV_QUOTED.search(value) else value)
        elif value is None or value is pd.NA or (type(value) is float and math.isnan(value)):
            fields.append("")
        else:
            return None
    return fields


def write_parquet(frame, path):
    """The one parquet writer of the pipeline: zstd-compressed, written under a temporary name, then moved."""
    path = Path(path)
    tmp = temporary_path(path)
    try:
        frame.to_parquet(tmp, index=False, compression="zstd")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
