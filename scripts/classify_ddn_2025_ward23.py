"""The 2025 double test on today's ward boundaries (wards December 2023) (rule classify_ddn_2025_ward23)."""

import logging

import pandas as pd

from ddn_pipeline.classify import ward23_double_test_2025
from ddn_pipeline.files import write_csv
from ddn_pipeline.logs import run

log = logging.getLogger("classify_ddn_2025_ward23")


def main(smk):
    lsoas = pd.read_csv(smk.input.lsoas)
    lookup = pd.read_parquet(smk.input.lookup)
    missing = sorted(set(lsoas["lsoa21_code"]) - set(lookup["lsoa21_code"]))
    if missing:
        log.warning("%d LSOAs 2021 have no ward 2023 in the lookup, e.g. %s", len(missing), missing[0])
    wards = ward23_double_test_2025(lsoas, lookup, smk.params.share, smk.params.other_deprived_share)
    write_csv(wards, smk.output[0])
    ddn = wards[wards["ddn_2025"]]
    log.info(
        "wards 2023: %d, of which %d DDNs on IMD 2025 and CNI 2023 (%s Census 2021 residents of %s)",
        len(wards),
        len(ddn),
        f"{ddn['population_census2021'].sum():,.0f}",
        f"{wards['population_census2021'].sum():,.0f}",
    )


run(main, globals().get("snakemake"))
