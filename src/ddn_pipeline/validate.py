"""Checks on tables as they come in. Each failure names the file, the column, row or code, and what was expected."""

from dataclasses import dataclass

import pandas as pd

from ddn_pipeline.errors import PipelineError


class ValidationError(PipelineError):
    pass


@dataclass(frozen=True)
class Geography:
    """An area geography: its code pattern, the last code of its vintage (if a later vintage added codes) and England's count."""

    name: str
    pattern: str
    england_count: int | None
    last_code: str | None = None


GEOGRAPHIES = {
    "oa11": Geography("Output Area 2011", r"E00\d{6}", 171_372, last_code="E00176774"),
    "oa21": Geography("Output Area 2021", r"E00\d{6}", 178_605),
    "lsoa11": Geography("LSOA 2011", r"E01\d{6}", 32_844, last_code="E01033768"),
    "lsoa21": Geography("LSOA 2021", r"E01\d{6}", 33_755),
    "msoa11": Geography("MSOA 2011", r"E02\d{6}", 6_791, last_code="E02006934"),
    "msoa21": Geography("MSOA 2021", r"E02\d{6}", 6_856),
    "ward17": Geography("ward 2017", r"E05\d{6}", None),
    "ward23": Geography("ward 2023", r"E05\d{6}", None),
    "lad": Geography("local authority district", r"E0[6-9]\d{6}", None),
    "region": Geography("region", r"E12\d{6}", 9),
}


def _examples(values, limit=5):
    values = list(values)
    shown = ", ".join(repr(v) for v in values[:limit])
    return shown + (f" (and {len(values) - limit} more)" if len(values) > limit else "")


def require_columns(df, columns, where):
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValidationError(
            f"{where}: missing column(s) {_examples(missing)}; expected columns {list(columns)}, found {list(df.columns)}"
        )


def require_rows(df, where):
    if df.empty:
        raise ValidationError(f"{where}: no data rows; expected a table with rows")


def check_codes(df, column, geography, where):
    geo = GEOGRAPHIES[geography]
    codes = df[column]
    bad = codes[~codes.astype("string").str.fullmatch(geo.pattern).fillna(False).astype(bool)]
    if not bad.empty:
        raise ValidationError(
            f"{where}: column '{column}' has {len(bad)} code(s) that are not {geo.name} codes (pattern {geo.pattern}), "
            f"e.g. row {bad.index[0]}: {_examples(bad.tolist())}"
        )
    if geo.last_code is not None:
        later = codes[codes > geo.last_code]
        if not later.empty:
            raise ValidationError(
                f"{where}: column '{column}' has {len(later)} code(s) after {geo.last_code}, the last {geo.name} code, "
                f"e.g. {_examples(later.tolist())}: codes of a later vintage where {geo.name} is expected"
            )


def check_unique(df, columns, where):
    columns = [columns] if isinstance(columns, str) else list(columns)
    if len(columns) == 1 and df[columns[0]].is_unique:
        return  # a quick yes; the duplicates are looked for only when there may be some
    duplicated = df.loc[df.duplicated(subset=columns, keep=False), columns]
    if not duplicated.empty:
        values = (
            sorted(set(map(tuple, duplicated.astype(str).to_numpy())))
            if len(columns) > 1
            else sorted(set(duplicated[columns[0]]))
        )
        label = f"column '{columns[0]}'" if len(columns) == 1 else f"columns {columns}"
        raise ValidationError(f"{where}: {label} has duplicated codes {_examples(values)}; expected one row per code")


def check_count(df, expected, what, where):
    if expected is not None and len(df) != expected:
        raise ValidationError(f"{where}: {len(df):,} {what}; expected {expected:,}")


def to_numeric(df, columns, where, non_negative=False, allow_missing=False):
    """Convert columns to numbers, failing on any value that is not one (or is negative, when non_negative)."""
    out = df.copy()
    for column in columns:
        values = out[column]
        if values.dtype == object or pd.api.types.is_string_dtype(values):
            stripped = values.astype("string").str.strip().str.replace(",", "", regex=False)
            numbers = pd.to_numeric(stripped, errors="coerce")
            bad = values[numbers.isna() & stripped.notna() & (stripped != "")]
            if not bad.empty:
                raise ValidationError(
                    f"{where}: column '{column}' has non-numeric value(s) {_examples(bad.tolist())} (first at row {bad.index[0]}); expected numbers"
                )
            values = numbers
        elif not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
            raise ValidationError(f"{where}: column '{column}' has type {values.dtype}; expected numbers")
        values = values.astype("float64")
        if not allow_missing and values.isna().any():
            row = values.index[values.isna()][0]
            raise ValidationError(
                f"{where}: column '{column}' has a missing value at row {row}; expected a number in every row (a truncated file?)"
            )
        if non_negative and (values < 0).any():
            row = values.index[values < 0][0]
            raise ValidationError(
                f"{where}: column '{column}' has negative value {values[row]} at row {row}; expected counts >= 0"
            )
        out[column] = values
    return out


def england_rows(df, column):
    """Rows whose area code is English (starts with E): several source files also cover Wales, Scotland or Northern Ireland."""
    return df[df[column].astype("string").str.startswith("E", na=False)]
