"""The double test on IMD 2025 and CNI 2023, for LSOAs 2021 and for wards 2017 as in 2019 (rule classify_ddn_2025)."""

import logging

import pandas as pd

from ddn_pipeline.classify import doubly_disadvantaged, rank_most_deprived_first, transition, ward_population_means
from ddn_pipeline.logs import run

log = logging.getLogger("classify_ddn_2025")


def main(smk):
    imd = pd.read_parquet(smk.input.imd2025, columns=["lsoa21_code", "imd_rank", "imd_score"]).rename(
        columns={"imd_rank": "imd2025_rank", "imd_score": "imd2025_score"}
    )
    cni = pd.read_parquet(
        smk.input.cni2023, columns=["lsoa21_code", "lsoa21_name", "cni_score", "cni_rank", "left_behind_published"]
    )
    cni = cni.rename(
        columns={
            "cni_score": "cni2023_score",
            "cni_rank": "cni2023_rank",
            "left_behind_published": "left_behind_2023_published",
        }
    )
    residents = pd.read_parquet(smk.input.ts001, columns=["oa21_code", "ts001_0001"]).merge(
        pd.read_parquet(smk.input.oa_lsoa21), on="oa21_code", how="inner", validate="one_to_one"
    )
    population = (
        residents.groupby("lsoa21_code", as_index=False)["ts001_0001"]
        .sum()
        .rename(columns={"ts001_0001": "population"})
    )
    lsoas = cni.merge(imd, on="lsoa21_code", how="outer", validate="one_to_one").merge(
        population, on="lsoa21_code", how="left"
    )
    lsoas["doubly_disadvantaged_2025"] = doubly_disadvantaged(
        lsoas["imd2025_rank"], lsoas["cni2023_rank"], smk.params.share
    )
    lsoas.sort_values("lsoa21_code").to_csv(smk.output.lsoas, index=False)

    # wards as in 2019: population-weighted mean scores over their LSOAs, ranked across wards
    values = lsoas[["lsoa21_code", "imd2025_score", "cni2023_score", "doubly_disadvantaged_2025"]]
    means = ward_population_means(values, lsoas[["lsoa21_code", "population"]], pd.read_parquet(smk.input.bridge))
    means = means.rename(
        columns={"population": "population_census2021", "doubly_disadvantaged_2025": "share_in_dd_lsoas_2025"}
    )
    means["imd2025_rank"] = rank_most_deprived_first(means["imd2025_score"])
    means["cni2023_rank"] = rank_most_deprived_first(means["cni2023_score"])
    means["ddn_2025"] = doubly_disadvantaged(means["imd2025_rank"], means["cni2023_rank"], smk.params.share)
    wards = pd.read_parquet(
        smk.input.groups, columns=["ward17_code", "ward17_name", "lad_name", "region_name", "published_ddn"]
    )
    wards = wards.merge(means, on="ward17_code", how="left", validate="one_to_one").rename(
        columns={"published_ddn": "ddn_2019_published"}
    )
    wards["ddn_2025"] = wards["ddn_2025"].fillna(False).astype(bool)
    wards["change"] = transition(wards["ddn_2019_published"], wards["ddn_2025"])
    wards.to_csv(smk.output.wards, index=False)

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


run(main, snakemake)  # noqa: F821
