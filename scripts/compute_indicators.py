"""Indicators per ward and pooled per group, for the published and the reproduced DDN lists (rule compute_indicators)."""

import json
import logging
from pathlib import Path

import pandas as pd

from ddn_pipeline.errors import require_values
from ddn_pipeline.files import write_csv, write_parquet
from ddn_pipeline.groups import LIST_COLUMNS
from ddn_pipeline.indicators import IndicatorError, computable, not_computed_rows, pooled, ward_values
from ddn_pipeline.logs import run

log = logging.getLogger("compute_indicators")


def main(smk):
    census = pd.read_parquet(smk.input.census)
    lsoa = pd.read_parquet(smk.input.lsoa)
    groups = pd.read_parquet(
        smk.input.groups,
        columns=[
            "ward17_code",
            "ward17_name",
            "lad_name",
            "region_name",
            "group",
            LIST_COLUMNS["published"],
            LIST_COLUMNS["reproduced"],
        ],
    )
    if smk.input.get("groups_2025"):
        groups_2025 = pd.read_csv(smk.input.groups_2025, usecols=["ward17_code", "group_2025"])
        groups = groups.merge(groups_2025, on="ward17_code", how="left", validate="one_to_one")
    lists = {name: column for name, column in LIST_COLUMNS.items() if column in groups.columns}
    measures = groups.merge(census, on="ward17_code", how="outer", validate="one_to_one")
    measures = measures.merge(lsoa, on="ward17_code", how="outer", validate="one_to_one")
    require_values(
        measures, "group", "ward17_code", IndicatorError, "wards with measures are not in the classification"
    )
    measure_columns = [c for c in measures.columns if c not in groups.columns]
    measures[measure_columns] = measures[measure_columns].fillna(0.0)
    write_parquet(measures, smk.output.measures)

    definitions = smk.params.definitions
    values = ward_values(measures, definitions)
    wards = groups.merge(values, on="ward17_code", how="left", validate="one_to_one")
    write_csv(wards, smk.output.wards)

    pooled_tables = [
        pooled(measures, column, definitions).assign(ddn_list=ddn_list) for ddn_list, column in lists.items()
    ]
    group_table = pd.concat(pooled_tables, ignore_index=True)[
        ["ddn_list", "indicator", "group", "numerator", "denominator", "value"]
    ]
    write_csv(group_table, smk.output.groups)

    dictionary = pd.DataFrame(
        [
            {
                "indicator": i,
                "label": d["label"],
                "unit": d["unit"],
                "numerator": " + ".join(d["numerator"]),
                "denominator": " + ".join(d["denominator"]) or "(count)",
                "source": d["source"],
                "sensitivity_of": d.get("sensitivity_of", ""),
                "computed": computable(measures, d),
            }
            for i, d in definitions.items()
        ]
    )
    write_csv(dictionary, smk.output.dictionary)
    records = [json.loads(Path(path).read_text(encoding="utf-8")) for path in smk.input.records]
    missing = not_computed_rows(measures, definitions, smk.params.not_computed, {r["id"]: r for r in records})
    write_csv(missing, smk.output.not_computed)
    write_csv(pd.concat([pd.read_csv(path) for path in smk.input.coverage], ignore_index=True), smk.output.coverage)

    log.info(
        "%d wards, %d indicators computed, %d not computed", len(wards), int(dictionary["computed"].sum()), len(missing)
    )
    if len(missing):
        log.warning(
            "%d statistics not computed (reasons in %s): %s",
            len(missing),
            smk.output.not_computed,
            ", ".join(missing["indicator"]),
        )


run(main, globals().get("snakemake"))
