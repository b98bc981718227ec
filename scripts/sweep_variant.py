"""One variant of the robustness sweep: re-classify the wards, re-pool the ward measures (rule sweep_variant)."""

import logging

import pandas as pd

from ddn_pipeline.classify import variant_wards_2019, ward17_double_test_2025
from ddn_pipeline.files import write_csv, write_parquet
from ddn_pipeline.logs import run
from ddn_pipeline.sweep import variant_claims, variant_gaps, variant_pooled
from ddn_pipeline.sweep_plan import POPULATION_2025, SweepError, threshold_share

log = logging.getLogger("sweep_variant")


def classify(smk, share):
    """Wards 2017 of the variant: ward17_code, ddn, group, population."""
    weighting, population = smk.wildcards.weighting, smk.wildcards.population
    if smk.wildcards.edition == "2019":
        lsoas = pd.read_parquet(smk.input.lsoas)
        cni = pd.read_parquet(smk.input.cni, columns=["ward17_code", "cni_rank"])
        if f"population_{population}" not in lsoas.columns:
            available = [c.removeprefix("population_") for c in lsoas.columns if c.startswith("population_")]
            raise SweepError(f"population source {population!r} is not in {smk.input.lsoas}; available: {available}")
        wards, _ = variant_wards_2019(lsoas, cni, share, population, weighting, smk.params.universe)
        return wards[["ward17_code", "ddn", "group", "population"]]
    if population != POPULATION_2025:
        raise SweepError(f"the 2025 edition has one population source, {POPULATION_2025!r}; got {population!r}")
    lsoas = pd.read_csv(smk.input.lsoas)
    wards2019 = pd.read_parquet(smk.input.wards2019, columns=["ward17_code", "published_ddn"])
    wards = ward17_double_test_2025(lsoas, pd.read_parquet(smk.input.bridge), wards2019, share, share, weighting)
    wards = wards.rename(columns={"ddn_2025": "ddn", "group_2025": "group", "population_census2021": "population"})
    wards["population"] = wards["population"].fillna(0.0)
    return wards[["ward17_code", "ddn", "group", "population"]]


def main(smk):
    share = threshold_share(smk.wildcards.threshold)
    variant = {
        "edition": int(smk.wildcards.edition),
        "threshold": share,
        "weighting": smk.wildcards.weighting,
        "population_source": smk.wildcards.population,
    }
    wards = classify(smk, share)
    measures = pd.read_parquet(smk.input.measures)
    definitions = smk.params.definitions
    pooled_values = variant_pooled(measures, wards, definitions)
    gaps = variant_gaps(variant, wards, pooled_values, definitions)
    write_csv(gaps, smk.output.gaps)
    write_csv(variant_claims(variant, pooled_values, smk.params.figures), smk.output.claims)
    write_parquet(wards.assign(**variant)[[*variant, "ward17_code", "ddn", "group", "population"]], smk.output.wards)
    log.info(
        "%s: %d DDNs (%s people), %d other deprived wards",
        ", ".join(f"{k} {v}" for k, v in variant.items()),
        gaps["ddn_wards"].iloc[0],
        f"{gaps['ddn_population'].iloc[0]:,.0f}",
        gaps["other_deprived_wards"].iloc[0],
    )


run(main, globals().get("snakemake"))
