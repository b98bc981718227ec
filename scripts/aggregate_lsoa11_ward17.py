"""LSOA 2011 measures (population, IUC, IoD rates, life expectancy by MSOA), per LSOA and summed to ward 2017 (rule
aggregate_lsoa11_ward17)."""

import logging

import pandas as pd

from ddn_pipeline.bridge import check_coverage
from ddn_pipeline.files import write_csv, write_parquet
from ddn_pipeline.indicators import jobs_density_measures, lsoa11_measures
from ddn_pipeline.logs import input_names, run

log = logging.getLogger("aggregate_lsoa11_ward17")


def optional(smk, name, **kwargs):
    return pd.read_parquet(smk.input[name], **kwargs) if name in input_names(smk) else None


def main(smk):
    membership = pd.read_parquet(smk.input.membership)
    lookup = optional(smk, "lookup_oa11_lsoa11_msoa11", columns=["lsoa11_code", "msoa11_code"])
    life_expectancy = {}
    if lookup is not None:
        lookup = lookup.drop_duplicates()
        for name, period in (
            ("life_expectancy_2009_13_msoa11", "2009_13"),
            ("life_expectancy_2016_20_msoa11", "2016_20"),
        ):
            table = optional(smk, name)
            if table is not None:
                life_expectancy[period] = table
    measures = lsoa11_measures(
        membership,
        f"population_{smk.params.population}",
        iuc=optional(smk, "iuc2018_lsoa11"),
        iod_scores=optional(smk, "iod2019_scores_composite_lsoa11"),
        iod_population=pd.read_parquet(
            smk.input.iod_population, columns=["lsoa11_code", "population_total", "population_working_age"]
        ),
        life_expectancy=life_expectancy,
        lsoa_msoa=lookup,
    )
    jobs_inputs = ("census21_workplace_population_msoa21", "lookup_msoa11_msoa21", "population_mid2020_lsoa11")
    jobs_reached = None
    if lookup is not None and all(name in input_names(smk) for name in jobs_inputs):
        jobs, jobs_reached = jobs_density_measures(
            lookup,
            pd.read_parquet(smk.input.lookup_msoa11_msoa21),
            pd.read_parquet(smk.input.census21_workplace_population_msoa21),
            pd.read_parquet(smk.input.population_mid2020_lsoa11),
        )
        measures = measures.merge(jobs, on="lsoa11_code", how="left", validate="one_to_one")
        log.info(
            "jobs-density proxy: %.2f%% of England's Census 2021 workers reach a resident MSOA", 100 * jobs_reached
        )
    coverage = [
        {
            "bridge": "LSOA 2011 -> ward 2017 (best fit)",
            "measure": "population",
            "share": measures["population"].sum() / membership[f"population_{smk.params.population}"].sum(),
        }
    ]
    check_coverage(coverage[-1]["share"], smk.params.coverage_floor, "LSOA 2011 population, LSOA 2011 -> ward 2017")
    for column in [
        c for c in measures.columns if c.endswith("_pop") and not c.endswith("_x_pop") and c.startswith(("le_", "hle_"))
    ]:
        coverage.append(
            {
                "bridge": "MSOA 2011 -> LSOA 2011 (life expectancy known)",
                "measure": column,
                "share": measures[column].sum() / measures["population"].sum(),
            }
        )
    if jobs_reached is not None:
        coverage.append(
            {
                "bridge": "MSOA 2021 workplaces -> resident MSOAs (jobs proxy)",
                "measure": "workers",
                "share": jobs_reached,
            }
        )
    write_parquet(measures, smk.output.lsoas)
    wards = measures.drop(columns="lsoa11_code").groupby("ward17_code").sum().reset_index()
    log.info(
        "%d LSOAs -> %d wards; measures: %s",
        len(measures),
        len(wards),
        ", ".join(c for c in wards.columns if c != "ward17_code"),
    )
    write_parquet(wards, smk.output.measures)
    write_csv(pd.DataFrame(coverage), smk.output.coverage)


run(main, globals().get("snakemake"))
