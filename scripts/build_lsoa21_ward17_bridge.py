"""LSOA 2021 -> ward 2017 through LSOA 2011, merged and complex LSOAs apportioned by population
(rule build_lsoa21_ward17_bridge)."""

import logging

import pandas as pd

from ddn_pipeline.bridge import lsoa21_ward17_weights
from ddn_pipeline.files import write_parquet
from ddn_pipeline.logs import run

log = logging.getLogger("build_lsoa21_ward17_bridge")


def main(smk):
    population = pd.read_parquet(smk.input.apportion_population, columns=["lsoa11_code", "population_total"])
    bridge = lsoa21_ward17_weights(
        pd.read_parquet(smk.input.lsoa11_lsoa21),
        pd.read_parquet(smk.input.lsoa11_ward17),
        population.rename(columns={"population_total": "population"}),
    )
    write_parquet(bridge, smk.output[0])


run(main, globals().get("snakemake"))
