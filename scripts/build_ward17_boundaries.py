"""Ward 2017 shapes dissolved from LSOA 2011 boundaries with the best-fit lookup (rule build_ward17_boundaries)."""

import logging

import geopandas as gpd
import pandas as pd

from ddn_pipeline.boundaries import dissolve_wards
from ddn_pipeline.files import write_parquet
from ddn_pipeline.logs import run

log = logging.getLogger("build_ward17_boundaries")


def main(smk):
    wards = dissolve_wards(gpd.read_parquet(smk.input.lsoas), pd.read_parquet(smk.input.lookup))
    write_parquet(wards, smk.output[0])


run(main, globals().get("snakemake"))
