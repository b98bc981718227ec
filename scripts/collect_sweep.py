"""The robustness sweep gathered: all variants x indicators, which gaps keep their sign, the published figures
under each variant, and how stable each ward's DDN status is (rule collect_sweep)."""

import logging

import pandas as pd

from ddn_pipeline.logs import run
from ddn_pipeline.presentation import readable_conclusions, readable_gaps
from ddn_pipeline.sweep import claim_stability, gap_stability, mark_default, ward_stability

log = logging.getLogger("collect_sweep")


def main(smk):
    gaps = pd.concat([pd.read_csv(path) for path in smk.input.gaps], ignore_index=True)
    gaps = mark_default(gaps, smk.params.default).sort_values(
        ["edition", "weighting", "population_source", "threshold"], kind="stable"
    )
    gaps.to_csv(smk.output.gaps, index=False)
    readable_gaps(gaps, smk.params.indicators).to_csv(smk.output.readable, index=False)
    conclusions = gap_stability(gaps, smk.params.default["threshold"])
    conclusions.to_csv(smk.output.conclusions, index=False)
    claims = pd.concat([pd.read_csv(path) for path in smk.input.claims], ignore_index=True)
    claims = mark_default(claims, smk.params.default).sort_values(
        ["edition", "weighting", "population_source", "threshold"], kind="stable"
    )
    claims.to_csv(smk.output.claims, index=False)
    claim_summary = claim_stability(claims, smk.params.default["threshold"])
    claim_summary.to_csv(smk.output.claim_summary, index=False)
    claims_readable, conclusions_readable = readable_conclusions(conclusions, claim_summary, smk.params.indicators)
    claims_readable.to_csv(smk.output.claim_summary_readable, index=False)
    conclusions_readable.to_csv(smk.output.conclusions_readable, index=False)

    wards = pd.concat([pd.read_parquet(path) for path in smk.input.wards], ignore_index=True)
    names = pd.read_parquet(
        smk.input.names, columns=["ward17_code", "ward17_name", "lad_name", "region_name", "published_ddn"]
    )
    ward_stability(wards, names).to_csv(smk.output.stability, index=False)

    held = conclusions[conclusions["ddn_minus_other_deprived_same_sign_everywhere"]]
    log.info(
        "%d variants, %d indicators; DDN minus other deprived keeps its sign in every variant for %d of %d "
        "(edition, indicator) pairs",
        gaps[["edition", "threshold", "weighting", "population_source"]].drop_duplicates().shape[0],
        gaps["indicator"].nunique(),
        len(held),
        len(conclusions),
    )


run(main, globals().get("snakemake"))
