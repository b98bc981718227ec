"""Census 2021 OA counts -> LSOA 2021 -> ward 2017, with coverage checks (rule aggregate_census21_ward17). The LSOA
2021 counts are kept too: areas made of LSOAs 2021 are profiled from them (rule profile_areas)."""

import logging

import pandas as pd

from ddn_pipeline.bridge import apply_weights, check_coverage, coverage_share
from ddn_pipeline.files import write_csv, write_parquet
from ddn_pipeline.indicators import economic_activity_counts
from ddn_pipeline.logs import input_names, run
from ddn_pipeline.validate import check_unique

log = logging.getLogger("aggregate_census21_ward17")


def main(smk):
    floor = smk.params.coverage_floor
    names = [name for name in smk.params.census_tables if name in input_names(smk)]
    tables = [pd.read_parquet(smk.input[name]) for name in names]
    for name, table in zip(names, tables):
        check_unique(table, "oa21_code", smk.input[name])
    # one row per code, checked above: the tables side by side on their codes, sorted as an outer merge would sort
    # them (ten merges of 190,000 string codes took most of a second)
    oa = pd.concat([table.set_index("oa21_code") for table in tables], axis=1, join="outer").sort_index().reset_index()
    if "census21_economic_activity_pct_oa21" in input_names(smk) and "ts062_0001" in oa.columns:
        activity = economic_activity_counts(
            pd.read_parquet(smk.input.census21_economic_activity_pct_oa21), oa[["oa21_code", "ts062_0001"]]
        )
        oa = oa.merge(activity, on="oa21_code", how="left", validate="one_to_one")
    columns = [c for c in oa.columns if c != "oa21_code"]
    log.info("%d Output Areas, %d count columns from %d census tables", len(oa), len(columns), len(tables))

    oa_lsoa = pd.read_parquet(smk.input.oa_lsoa21).assign(weight=1.0)
    share = coverage_share(oa, oa_lsoa, "oa21_code", "ts001_0001")
    coverage = [{"bridge": "OA 2021 -> LSOA 2021", "measure": "ts001_0001 (usual residents)", "share": share}]
    check_coverage(share, floor, "Census 2021 residents, OA 2021 -> LSOA 2021")
    lsoa21 = apply_weights(oa, oa_lsoa, "oa21_code", "lsoa21_code", columns)

    bridge = pd.read_parquet(smk.input.bridge)
    share = coverage_share(lsoa21, bridge, "lsoa21_code", "ts001_0001")
    coverage.append({"bridge": "LSOA 2021 -> ward 2017", "measure": "ts001_0001 (usual residents)", "share": share})
    check_coverage(share, floor, "Census 2021 residents, LSOA 2021 -> ward 2017")
    wards = apply_weights(lsoa21, bridge, "lsoa21_code", "ward17_code", columns)
    log.info(
        "%d wards; England residents %.0f, reaching wards %.0f",
        len(wards),
        oa["ts001_0001"].sum(),
        wards["ts001_0001"].sum(),
    )

    write_parquet(lsoa21, smk.output.lsoa21)
    write_parquet(wards, smk.output.measures)
    write_csv(pd.DataFrame(coverage), smk.output.coverage)


run(main, globals().get("snakemake"))
