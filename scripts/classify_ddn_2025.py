"""The double test on IMD 2025 and CNI 2023, for LSOAs 2021 and for wards 2017 as in 2019 (rule classify_ddn_2025)."""

import logging

import pandas as pd

from ddn_pipeline.classify import lsoa21_double_test_2025, ward17_double_test_2025
from ddn_pipeline.files import write_csv
from ddn_pipeline.logs import run

log = logging.getLogger("classify_ddn_2025")


def main(smk):
    lsoas = lsoa21_double_test_2025(
        pd.read_parquet(smk.input.imd2025),
        pd.read_parquet(smk.input.cni2023),
        pd.read_parquet(smk.input.ts001, columns=["oa21_code", "ts001_0001"]),
        pd.read_parquet(smk.input.oa_lsoa21),
        smk.params.share,
    )
    write_csv(lsoas.sort_values("lsoa21_code"), smk.output.lsoas)
    wards2019 = pd.read_parquet(
        smk.input.groups, columns=["ward17_code", "ward17_name", "lad_name", "region_name", "published_ddn"]
    )
    wards = ward17_double_test_2025(
        lsoas, pd.read_parquet(smk.input.bridge), wards2019, smk.params.share, smk.params.other_deprived_share
    )
    write_csv(wards, smk.output.wards)

    counts = wards["change"].value_counts().to_dict()
    both = lsoas["doubly_disadvantaged_2025"] & lsoas["left_behind_2023_published"]
    log.info(
        "LSOA 2021: %d doubly disadvantaged on IMD 2025 and CNI 2023 (%s people); OCSI's 2023 flag: %d, on both %d",
        lsoas["doubly_disadvantaged_2025"].sum(),
        f"{lsoas.loc[lsoas['doubly_disadvantaged_2025'], 'population'].sum():,.0f}",
        lsoas["left_behind_2023_published"].sum(),
        both.sum(),
    )
    log.info(
        "wards: %d DDNs on IMD 2025 and CNI 2023 (%s people); against the 2019 list: %s",
        wards["ddn_2025"].sum(),
        f"{wards.loc[wards['ddn_2025'], 'population_census2021'].sum():,.0f}",
        counts,
    )


run(main, globals().get("snakemake"))
