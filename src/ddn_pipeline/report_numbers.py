"""The numbers the report's text states, each one read from one results table by one rule (rows, column, how), so
that results/report_numbers.csv says where every number on the page comes from and a test can recompute it."""

from dataclasses import dataclass

import pandas as pd

from ddn_pipeline.errors import PipelineError
from ddn_pipeline.presentation import format_value


class ReportNumberError(PipelineError):
    pass


@dataclass(frozen=True)
class Number:
    id: str
    table: str  # the input name of the table it is read from
    rows: str  # a pandas query selecting the rows ("" for all)
    column: str
    how: str  # value (the one selected row's), count (of rows), sum, min, max, largest:<column> (the row with most)
    unit: str = "count"  # count, people, rank, text

    def read(self, frame):
        selected = frame.query(self.rows) if self.rows else frame
        if self.how == "count":
            return len(selected)
        if self.how == "value":
            if len(selected) != 1:
                raise ReportNumberError(
                    f"report number {self.id}: {self.rows!r} selects {len(selected)} rows of {self.table}; expected one"
                )
            return selected[self.column].iloc[0]
        if self.how in ("sum", "min", "max"):
            return getattr(selected[self.column], self.how)()
        if self.how.startswith("largest:"):
            return selected.sort_values(self.how.split(":", 1)[1], ascending=False, kind="stable")[self.column].iloc[0]
        raise ReportNumberError(f"report number {self.id}: unknown how {self.how!r}")


def shown(value, unit):
    """A number as the page shows it."""
    if unit == "text":
        return str(value)
    if unit == "people":
        return format_value(float(value), "people")
    return f"{float(value):,.0f}"


GROUP = "breakdown == 'group' and group == '{}'"
AGREEMENT = "agreement == '{}'"
NUMBERS = [
    Number("ddn_wards", "summary", GROUP.format("ddn"), "wards", "value"),
    Number("ddn_people", "summary", GROUP.format("ddn"), "population_iod2019_mid2015", "value", "people"),
    Number("england_wards", "summary", GROUP.format("england"), "wards", "value"),
    Number("regions_with_ddns", "summary", "breakdown == 'ddn_by_region'", "region_name", "count"),
    Number("top_region", "summary", "breakdown == 'ddn_by_region'", "region_name", "largest:wards", "text"),
    Number("top_region_wards", "summary", "breakdown == 'ddn_by_region'", "wards", "max"),
    Number("councils_with_ddns", "summary", "breakdown == 'ddn_by_local_authority'", "lad_name", "count"),
    Number("reproduced_both", "reproduction", AGREEMENT.format("both"), "ward17_code", "count"),
    Number("published_only", "reproduction", AGREEMENT.format("published_only"), "ward17_code", "count"),
    Number("reproduced_only", "reproduction", AGREEMENT.format("reproduced_only"), "ward17_code", "count"),
    Number(
        "imd_threshold_rank", "reproduction", AGREEMENT.format("published_only"), "imd_threshold_rank", "max", "rank"
    ),
    Number(
        "nearest_outside",
        "reproduction",
        AGREEMENT.format("published_only"),
        "imd_distance_to_threshold",
        "min",
        "rank",
    ),
    Number(
        "farthest_outside",
        "reproduction",
        AGREEMENT.format("published_only"),
        "imd_distance_to_threshold",
        "max",
        "rank",
    ),
    Number("numbers_judged", "numbers", "", "number", "count"),
    *(
        Number(f"numbers_{verdict}", "numbers", f"verdict == '{verdict}'", "number", "count")
        for verdict in ("matches", "holds", "no_difference", "reported", "differs", "does_not_hold", "not_computed")
    ),
    Number("numbers_reproduced", "numbers", "verdict in ['matches', 'holds']", "number", "count"),
    Number("ddn_2025", "update_2025", "ddn_2025", "ward17_code", "count"),
    Number("ddn_2025_people", "update_2025", "ddn_2025", "population_census2021", "sum", "people"),
    *(
        Number(f"ddn_2025_{change}", "update_2025", f"change == '{change}'", "ward17_code", "count")
        for change in ("stays", "leaves", "enters")
    ),
    Number("wards23", "ward23", "", "ward23_code", "count"),
    Number("ddn_2025_wards23", "ward23", "ddn_2025", "ward23_code", "count"),
    Number("ddn_2025_wards23_people", "ward23", "ddn_2025", "population_census2021", "sum", "people"),
    Number("lsoas21_double", "lsoas_2025", "doubly_disadvantaged_2025", "lsoa21_code", "count"),
    Number("lsoas21_ocsi_2023", "lsoas_2025", "left_behind_2023_published", "lsoa21_code", "count"),
    Number(
        "lsoas21_double_and_ocsi",
        "lsoas_2025",
        "doubly_disadvantaged_2025 and left_behind_2023_published",
        "lsoa21_code",
        "count",
    ),
    Number("sweep_variants", "sweep", "edition == 2019", "variants", "max"),
    Number("sweep_pairs", "sweep", "edition == 2019", "indicator", "count"),
    Number("sweep_other_same_sign", "sweep", "edition == 2019", "ddn_minus_other_deprived_same_sign_everywhere", "sum"),
    Number("sweep_england_same_sign", "sweep", "edition == 2019", "ddn_minus_england_same_sign_everywhere", "sum"),
]


def report_numbers(tables, paths):
    """One row per number whose table this run has: id, value, shown, unit, and the file, rows, column and rule it
    is read by. tables: {input name: frame}; paths: {input name: the file's path in the work folder}."""
    rows = []
    for number in NUMBERS:
        if number.table not in tables:
            continue
        value = number.read(tables[number.table])
        rows.append(
            {
                "id": number.id,
                "value": value,
                "shown": shown(value, number.unit),
                "unit": number.unit,
                "file": paths[number.table],
                "rows": number.rows,
                "column": number.column,
                "how": number.how,
            }
        )
    return pd.DataFrame(rows)
