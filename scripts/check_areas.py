"""Your areas' codes checked against the lookups, each given its geography (rule check_areas): an unknown code, a
2023 ward code or LSOAs of two vintages in one area stop the run here, before the areas' work."""

import logging

import pandas as pd

from ddn_pipeline.areas import GEOGRAPHY_WORDS, assign_geographies, read_areas
from ddn_pipeline.files import write_csv
from ddn_pipeline.logs import run

log = logging.getLogger("check_areas")


def main(smk):
    lookup = pd.read_parquet(smk.input.lookup, columns=["lsoa11_code", "lsoa21_code"])
    codes = {
        "ward17": set(pd.read_parquet(smk.input.ward17, columns=["ward17_code"])["ward17_code"]),
        "ward23": set(pd.read_parquet(smk.input.ward23, columns=["ward23_code"])["ward23_code"]),
        "lsoa11": set(lookup["lsoa11_code"]),
        "lsoa21": set(lookup["lsoa21_code"]),
    }
    members = assign_geographies(read_areas(smk.input.areas), codes, smk.input.areas)
    write_csv(members, smk.output[0])
    kinds = members.drop_duplicates("area")["geography"].value_counts()
    log.info(
        "%d codes in %d areas: %s",
        len(members),
        members["area"].nunique(),
        ", ".join(f"{n} of {GEOGRAPHY_WORDS[g]}" for g, n in kinds.items()),
    )


run(main, globals().get("snakemake"))
