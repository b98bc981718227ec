"""Ward 2017 IMD: population-weighted mean of LSOA scores over the best-fit lookup (rule aggregate_imd2019_ward17)."""

import logging

import pandas as pd

from ddn_pipeline.classify import ClassificationError, ward_imd
from ddn_pipeline.files import write_parquet
from ddn_pipeline.logs import run

log = logging.getLogger("aggregate_imd2019_ward17")


def main(smk):
    scores = pd.read_parquet(smk.input.scores, columns=["lsoa11_code", "imd_score"])
    weights = pd.read_parquet(smk.input.weights)
    weight = f"population_{smk.params.population}"
    if weight not in weights.columns:
        available = [c.removeprefix("population_") for c in weights.columns if c.startswith("population_")]
        raise ClassificationError(
            f"population source '{smk.params.population}' is not available in this run; available: {available}"
        )
    lsoas = scores.merge(weights, on="lsoa11_code", how="left", validate="one_to_one")
    for column in ["ward17_code", *[c for c in weights.columns if c.startswith("population_")]]:
        missing = lsoas[column].isna()
        if missing.any():
            raise ClassificationError(
                f"{missing.sum()} LSOAs have no {column} (e.g. {lsoas.loc[missing, 'lsoa11_code'].iloc[0]}); expected every LSOA 2011"
            )
    log.info("%d LSOAs joined to %d wards; population weights: %s", len(lsoas), lsoas["ward17_code"].nunique(), weight)

    cni_wards = pd.read_parquet(smk.input.cni, columns=["ward17_code"])["ward17_code"]
    universe = cni_wards if smk.params.universe == "cni_wards" else None
    wards, ranked_wards = ward_imd(lsoas, weight, universe, smk.params.weighting)
    population_columns = [c for c in lsoas.columns if c.startswith("population_")]
    wards = wards.merge(
        lsoas.groupby("ward17_code")[population_columns].sum().reset_index(),
        on="ward17_code",
        validate="one_to_one",
    )
    wards["imd_ranked_wards"] = ranked_wards
    no_lsoa = sorted(set(cni_wards) - set(wards["ward17_code"]))
    not_in_cni = sorted(set(wards["ward17_code"]) - set(cni_wards))
    log.info("ward IMD ranked across %d wards (%s)", ranked_wards, smk.params.universe)
    log.warning("%d CNI wards have no LSOA in the best-fit lookup (no IMD score): %s", len(no_lsoa), ", ".join(no_lsoa))
    log.warning("%d lookup wards are not in the CNI file (no CNI rank): %s", len(not_in_cni), ", ".join(not_in_cni))
    write_parquet(wards, smk.output.wards)
    write_parquet(lsoas, smk.output.lsoas)


run(main, globals().get("snakemake"))
