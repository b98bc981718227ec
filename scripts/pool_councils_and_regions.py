"""Every indicator pooled over each council's and each region's wards, and England's (rule
pool_councils_and_regions): what a ward's profile is compared with beside the groups."""

import logging

import pandas as pd

from ddn_pipeline.files import write_csv
from ddn_pipeline.indicators import pooled_by_area
from ddn_pipeline.logs import run

log = logging.getLogger("pool_councils_and_regions")


def main(smk):
    measures = pd.read_parquet(smk.input.measures)
    areas = pooled_by_area(measures, {"council": "lad_name", "region": "region_name"}, smk.params.definitions)
    write_csv(areas, smk.output[0])
    counts = areas.drop_duplicates(["level", "area"])["level"].value_counts().to_dict()
    log.info("indicators pooled for %s", ", ".join(f"{n} {level} area(s)" for level, n in counts.items()))


run(main, globals().get("snakemake"))
