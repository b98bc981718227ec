"""Your own areas: lists of wards (December 2017) or LSOAs (2011 or 2021) in a CSV file, checked, then profiled
like the DDNs: every indicator pooled over each area at the area's own geography, beside the groups.

Census 2021 counts reach LSOAs 2021 straight from Output Areas; LSOA 2011 sources (IoD2019, IUC, life expectancy,
the jobs proxy) use LSOAs 2011; each reaches the other vintage through ONS's LSOA 2011 to 2021 lookup, shared by
population where an LSOA was split or merged. Ward areas use the ward measures. No area goes through wards unless it
is made of wards."""

import csv

import pandas as pd

from ddn_pipeline.bridge import apply_weights, lsoa_vintage_weights
from ddn_pipeline.errors import PipelineError
from ddn_pipeline.indicators import pooled_by_area

GEOGRAPHY_WORDS = {"ward17": "wards (December 2017)", "lsoa11": "LSOAs 2011", "lsoa21": "LSOAs 2021"}
LISTED = 10  # codes named in an error; the count says how many more


class AreasError(PipelineError):
    pass


def _named(codes):
    codes = list(dict.fromkeys(codes))
    shown = ", ".join(codes[:LISTED])
    return f"{shown} (and {len(codes) - LISTED} more)" if len(codes) > LISTED else shown


def read_areas(path):
    """The areas file, checked for everything that needs no lookup: a CSV with columns code and area, every row with
    both, no code twice in one area, codes of wards (E05) or LSOAs (E01), one kind per area. Returns (area, code)
    rows in the file's order, stripped of spaces."""
    try:
        with open(path, newline="", encoding="utf-8") as handle:
            sample = handle.read(65536)
        if "\0" in sample:
            raise UnicodeDecodeError("utf-8", b"", 0, 1, "a NUL byte")
        frame = pd.read_csv(
            path, dtype=str, keep_default_na=False, skipinitialspace=True, skip_blank_lines=False, encoding="utf-8-sig"
        )
    except FileNotFoundError:
        raise AreasError(f"areas file {path}: not found (a path relative to the work folder)") from None
    except (UnicodeDecodeError, pd.errors.ParserError, csv.Error) as error:
        raise AreasError(
            f"areas file {path}: not a CSV file of text ({error}); expected columns code,area. From a spreadsheet, "
            "save it as 'CSV UTF-8 (comma delimited)'"
        ) from None
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    missing = [c for c in ("code", "area") if c not in frame.columns]
    if missing:
        found = ", ".join(frame.columns) or "none"
        hint = " (separated by semicolons? use commas)" if ";" in found else ""
        raise AreasError(
            f"areas file {path}: no column {' or '.join(missing)}; expected columns code and area, found {found}{hint}"
        )
    frame = frame[["area", "code"]].apply(lambda column: column.str.strip())
    frame["code"] = frame["code"].str.upper()
    frame = frame[(frame["area"] != "") | (frame["code"] != "")]  # blank lines and a spreadsheet's empty rows
    rows = frame.index + 2  # the header is line 1
    unnamed = rows[frame["area"] == ""]
    if len(unnamed):
        raise AreasError(f"areas file {path}: line(s) {_named(map(str, unnamed))} have a code but no area name")
    empty = frame.groupby("area", sort=False)["code"].apply(lambda codes: (codes == "").all())
    if empty.any():
        raise AreasError(f"areas file {path}: area(s) {_named(empty.index[empty])} have no codes")
    frame = frame[frame["code"] != ""]
    twice = frame[frame.duplicated(["area", "code"])]
    if len(twice):
        first = twice.iloc[0]
        raise AreasError(
            f"areas file {path}: {len(twice)} code(s) appear twice in one area, first {first['code']} in "
            f"'{first['area']}'; expected each code once per area"
        )
    kind = frame["code"].str[:3].map({"E05": "ward", "E01": "lsoa"})
    unknown = frame.loc[kind.isna(), "code"]
    if len(unknown):
        raise AreasError(
            f"areas file {path}: {unknown.nunique()} code(s) are neither ward (E05...) nor LSOA (E01...) codes of "
            f"England: {_named(unknown)}"
        )
    kinds = kind.groupby(frame["area"], sort=False).nunique()
    if (kinds > 1).any():
        raise AreasError(
            f"areas file {path}: area(s) {_named(kinds.index[kinds > 1])} mix wards and LSOAs; one area uses one "
            "geography"
        )
    return frame.reset_index(drop=True)


def assign_geographies(areas, codes, path="areas file"):
    """Each code's geography (ward17, lsoa11 or lsoa21) from the code lists, or a clear error: unknown codes (the
    first ten and the count), ward codes of 2023 rather than December 2017, LSOAs of 2011 and of 2021 in one area.
    codes: {"ward17", "ward23", "lsoa11", "lsoa21": set of codes}. An LSOA code of both vintages is an unchanged
    LSOA: the same place either way, it takes its area's vintage (2021 unless the area has a 2011-only code)."""
    wards = areas["code"].str.startswith("E05")
    later = areas.loc[wards & ~areas["code"].isin(codes["ward17"]) & areas["code"].isin(codes["ward23"]), "code"]
    if len(later):
        raise AreasError(
            f"{path}: {later.nunique()} E05 code(s) are of 2023 wards, not December 2017: {_named(later)}; use "
            "December 2017 ward codes (ONS's ward lookups give them)"
        )
    known = (wards & areas["code"].isin(codes["ward17"])) | (
        ~wards & (areas["code"].isin(codes["lsoa11"]) | areas["code"].isin(codes["lsoa21"]))
    )
    if not known.all():
        unknown = areas.loc[~known, "code"]
        raise AreasError(
            f"{path}: {unknown.nunique()} code(s) are not December 2017 wards or LSOAs (2011 or 2021) of England: "
            f"{_named(unknown)}"
        )
    only11 = ~wards & ~areas["code"].isin(codes["lsoa21"])
    only21 = ~wards & ~areas["code"].isin(codes["lsoa11"])
    per_area = pd.DataFrame({"area": areas["area"], "only11": only11, "only21": only21}).groupby("area", sort=False)
    mixed = per_area.any()
    mixed = mixed.index[mixed["only11"] & mixed["only21"]]
    if len(mixed):
        raise AreasError(
            f"{path}: area(s) {_named(mixed)} mix LSOA 2011 and LSOA 2021 codes (codes that exist in one only); one "
            "area uses one geography"
        )
    vintage = per_area["only11"].transform("any").map({True: "lsoa11", False: "lsoa21"})
    return areas.assign(geography=vintage.where(~wards, "ward17"))


def measures_by_geography(ward_measures, lsoa11_measures, lsoa21_counts, lookup):
    """The additive measures of every code at each geography: {geography: frame with code and measure columns}.
    LSOAs get the sources of the other vintage through the lookup (lsoa_vintage_weights), shared by population:
    Census 2021 residents for LSOAs 2021, the LSOA 2011 population for LSOAs 2011."""
    lsoa11 = lsoa11_measures.drop(columns=["ward17_code"], errors="ignore")
    lsoa11_columns = [c for c in lsoa11.columns if c != "lsoa11_code"]
    census_columns = [c for c in lsoa21_counts.columns if c != "lsoa21_code"]
    to21 = lsoa_vintage_weights(
        lookup, "lsoa11_code", "lsoa21_code", lsoa21_counts.rename(columns={"ts001_0001": "population"})
    )
    to11 = lsoa_vintage_weights(lookup, "lsoa21_code", "lsoa11_code", lsoa11[["lsoa11_code", "population"]])
    lsoa21 = lsoa21_counts.merge(
        apply_weights(lsoa11, to21, "lsoa11_code", "lsoa21_code", lsoa11_columns), on="lsoa21_code", how="left"
    )
    lsoa11 = lsoa11.merge(
        apply_weights(lsoa21_counts, to11, "lsoa21_code", "lsoa11_code", census_columns), on="lsoa11_code", how="left"
    )
    return {
        "ward17": ward_measures.rename(columns={"ward17_code": "code"}),
        "lsoa11": lsoa11.rename(columns={"lsoa11_code": "code"}),
        "lsoa21": lsoa21.rename(columns={"lsoa21_code": "code"}),
    }


POPULATION = {"ward17": "population", "lsoa11": "population", "lsoa21": "ts001_0001"}
SOURCES = {"Census 2021": "ts001_0001", "LSOA 2011 sources (IoD2019, IUC, life expectancy, jobs proxy)": "population"}


def profile(members, measures, definitions):
    """Every indicator pooled over each area (the sum of its codes' numerators over the sum of their denominators),
    the area's population, and how much of it each source reached. members: area, code, geography; measures:
    measures_by_geography. Returns (indicators: area, geography, indicator, numerator, denominator, value;
    areas: area, geography, codes, population, and a coverage column per source)."""
    indicator_tables, area_rows = [], []
    for geography, codes in members.groupby("geography", sort=False):
        frame = codes[["area", "code"]].merge(measures[geography], on="code", how="left", validate="many_to_one")
        indicators = pooled_by_area(frame, {"area": "area"}, definitions, england=False).drop(columns="level")
        indicator_tables.append(indicators.assign(geography=geography))
        people = frame[POPULATION[geography]]
        summary = (
            frame.assign(people=people)
            .groupby("area", sort=False)
            .agg(codes=("code", "size"), population=("people", "sum"))
        )
        for source, column in SOURCES.items():
            reached = people.where(frame[column].fillna(0) > 0, 0.0) if column in frame else people * 0.0
            summary[f"reached: {source}"] = reached.groupby(frame["area"], sort=False).sum() / summary["population"]
        area_rows.append(summary.reset_index().assign(geography=geography))
    indicators = pd.concat(indicator_tables, ignore_index=True)
    order = {name: i for i, name in enumerate(members["area"].drop_duplicates())}
    listed = {name: i for i, name in enumerate(definitions)}
    indicators = indicators.sort_values(
        ["area", "indicator"], key=lambda s: s.map(order) if s.name == "area" else s.map(listed), kind="stable"
    )
    indicators = indicators[["area", "geography", "indicator", "numerator", "denominator", "value"]]
    areas = pd.concat(area_rows, ignore_index=True).sort_values("area", key=lambda s: s.map(order))
    return indicators.reset_index(drop=True), areas.reset_index(drop=True)
