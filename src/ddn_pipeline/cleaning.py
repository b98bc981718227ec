"""Cleaning: each raw dataset becomes a tidy table with checked codes, counts and numbers, and a data dictionary."""

import logging
from dataclasses import replace
from pathlib import Path

import pandas as pd

from ddn_pipeline import validate as v
from ddn_pipeline.files import check_not_empty_or_html, sha256_file
from ddn_pipeline.registry import code, data_dictionary, num

log = logging.getLogger(__name__)


# ---------------------------------------------------------------- readers


def _read_one(path, fmt, options):
    if fmt == "csv":
        # text as Python strings: tidy() gives each kept column its type; pandas' own string type (dtype=str) would
        # convert every column first, the ones tidy drops too (a third of reading the OA lookup's 18 columns)
        return pd.read_csv(path, encoding="utf-8-sig", dtype=object, keep_default_na=False, na_values=[""])
    if fmt == "xlsx":
        return pd.read_excel(path, sheet_name=options["sheet"], engine="calamine")
    if fmt == "parquet":
        return pd.read_parquet(path)
    if fmt == "rda":
        import pyreadr

        return pyreadr.read_r(str(path))[options["object"]]
    raise ValueError(f"unknown format {fmt}")


def read_file(path, fmt, options=None):
    """Read one raw file; any failure becomes a ValidationError naming the file and the format expected."""
    check_not_empty_or_html(path, str(path))
    try:
        return _read_one(path, fmt, options or {})
    except Exception as error:  # noqa: BLE001 - every reader failure means the same thing to the user
        raise v.ValidationError(
            f"{path}: cannot be read as {fmt} ({type(error).__name__}: {error}); expected an intact {fmt} file"
        ) from None


def _read_census(paths, table, metadata_path):
    """A Census 2021 OA parquet; its coded columns are described from Table_Metadata.csv."""
    data_path = next(p for p in paths if Path(p).suffix == ".parquet")
    raw = read_file(data_path, "parquet")
    meta = read_file(metadata_path, "csv")
    v.require_columns(meta, ["new_names", "Table_ID", "Table_Name", "Variable_Name"], str(metadata_path))
    meta = meta[meta["Table_ID"] == table.options["table_id"]]
    if meta.empty:
        raise v.ValidationError(
            f"{metadata_path}: no rows for table {table.options['table_id']}; expected its column codes"
        )
    columns = [code("oa21_code", "OA", "Output Area 2021")] + [
        num(
            row.new_names.replace(table.options["table_id"], table.options["table_id"] + "_"),
            row.new_names,
            f"{row.Table_Name}: {row.Variable_Name}",
        )
        for row in meta.itertuples()
    ]
    return raw, replace(table, columns=tuple(columns)), str(data_path)


def _read_tiles(paths, table):
    """A table published as tiles, CSV files with one header: their rows in the order of their paths."""
    paths = sorted(paths)
    frames = []
    for path in paths:
        frame = read_file(path, "csv")
        if frames and list(frame.columns) != list(frames[0].columns):
            raise v.ValidationError(
                f"{path}: columns {list(frame.columns)}; expected the columns of {paths[0]} "
                f"({list(frames[0].columns)}), as every tile of a table has"
            )
        frames.append(frame)
    return pd.concat(frames, ignore_index=True), table, f"{len(paths)} tile files under {paths[0].parent.parent}"


def _read_le_2009_13(paths, table):
    """Four extracts (LE and HLE, males and females) with the same layout, joined on the MSOA code."""
    merged = None
    for path in sorted(paths):
        stem = Path(path).stem  # e.g. healthy_life_expectancy_females
        frame = read_file(path, "csv")
        v.require_columns(frame, ["MSOACode", "Value"], str(path))
        frame = v.england_rows(frame, "MSOACode")
        v.check_unique(frame, "MSOACode", str(path))
        frame = frame[["MSOACode", "Value"]].rename(columns={"Value": stem})
        merged = frame if merged is None else merged.merge(frame, on="MSOACode", how="outer")
    return merged, table, f"{len(paths)} files in {Path(min(paths)).parent}"


def _read_le_2016_20(paths, table):
    path = paths[0]
    raw = read_file(path, "xlsx", {"sheet": "Data"})
    where = str(path)
    v.require_columns(raw, ["Code", "Sex", "Life Expectancy at birth (in years)", "Population"], where)
    v.check_unique(raw, ["Code", "Sex"], where)
    wide = raw.pivot(index="Code", columns="Sex", values="Life Expectancy at birth (in years)")
    missing = [s for s in ("Males", "Females", "Persons") if s not in wide.columns]
    if missing:
        raise v.ValidationError(f"{where}: column 'Sex' lacks {missing}; expected Males, Females and Persons rows")
    return wide.reset_index(), table, where


def read_table(table, paths, metadata_path=None):
    """Returns (raw frame, table spec with its final columns, description of the source)."""
    paths = [Path(p) for p in paths]
    if table.reader == "census":
        return _read_census(paths, table, metadata_path)
    if table.reader == "tiles":
        return _read_tiles(paths, table)
    if table.reader == "le_2009_13":
        return _read_le_2009_13(paths, table)
    if table.reader == "le_2016_20":
        return _read_le_2016_20(paths, table)
    if len(paths) != 1:
        raise ValueError(f"table {table.name}: expected one input file, got {len(paths)}")
    return read_file(paths[0], table.reader, table.options), table, str(paths[0])


# ---------------------------------------------------------------- cleaning


def _to_flag(series, where, column):
    mapping = {"true": True, "false": False, "1": True, "0": False}
    lowered = series.astype("string").str.strip().str.lower()
    bad = series[~lowered.isin(mapping)]
    if not bad.empty:
        raise v.ValidationError(
            f"{where}: column '{column}' has value(s) {bad.unique().tolist()[:5]} (first at row {bad.index[0]}); expected TRUE or FALSE"
        )
    return lowered.map(mapping).astype(bool)


def tidy(raw, table, where):
    """Select, rename, filter to England and check a raw frame against its table spec."""
    v.require_rows(raw, where)
    v.require_columns(raw, [c.source for c in table.columns], where)
    frame = raw[[c.source for c in table.columns]].copy()
    frame.columns = [c.name for c in table.columns]
    if "key_split" in table.options:  # e.g. "E02002559 : Darlington 001"
        first = table.columns[0].name
        frame[first] = frame[first].astype("string").str.split(table.options["key_split"]).str[0].str.strip()
    rows_in = len(frame)
    if table.england_only:
        frame = v.england_rows(frame, table.columns[0].name)
    log.info("%s: %d rows read, %d kept for England", where, rows_in, len(frame))
    v.require_rows(frame, where + " (England rows)")
    code_columns = {table.columns[0].name: table.geography, **table.codes} if table.geography else dict(table.codes)
    for column, geography in code_columns.items():
        frame[column] = frame[column].astype("string").str.strip()
        v.check_codes(frame, column, geography, where)
    v.check_unique(frame, list(table.key_columns), where)
    v.check_count(frame, table.expected_rows, f"England rows ({table.columns[0].name})", where)
    numeric = [c.name for c in table.columns if c.numeric]
    frame = v.to_numeric(frame, numeric, where, non_negative=table.non_negative, allow_missing=table.allow_missing)
    for column in (c for c in table.columns if c.kind == "flag"):
        frame[column.name] = _to_flag(frame[column.name], where, column.name)
    for column in (c for c in table.columns if c.kind == "text"):
        frame[column.name] = frame[column.name].astype("string")
    return frame.sort_values(table.columns[0].name, kind="stable").reset_index(drop=True)


def clean(table, paths, metadata_path=None):
    raw, table, where = read_table(table, paths, metadata_path)
    return tidy(raw, table, where), data_dictionary(table)


def raw_paths(inputs, checksums):
    """Input files, with a folder (a dataset of many files) replaced by the data files below it, in a stable order
    (Snakemake's own marker files start with a dot); each checked against its sha256 in checksums (path -> the
    registry's sha256, or None where the registry has none) before it is read: a raw file changed since its
    retrieval is never used."""
    paths = []
    for item in map(Path, inputs):
        if item.is_dir():
            paths += sorted(p for p in item.rglob("*") if p.is_file() and not p.name.startswith("."))
        else:
            paths.append(item)
    for path in paths:
        verify_raw_file(path, checksums)
    return paths


def verify_raw_file(path, checksums):
    if str(path) not in checksums:
        raise v.ValidationError(f"{path}: not a file of this dataset in the registry; expected one of its raw files")
    expected = checksums[str(path)]
    if expected is None:
        log.warning("%s: the registry has no sha256 for it; read unverified", path)
        return
    actual = sha256_file(path)
    if actual != expected:
        raise v.ValidationError(
            f"{path}: sha256 {actual} is not the registry's {expected}; the file changed after it was retrieved: "
            "delete it and run Snakemake again with --forcerun and this rule's name, which retrieves it again"
        )
