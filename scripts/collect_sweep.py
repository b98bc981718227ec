"""The robustness sweep gathered: all variants x indicators, which gaps keep their sign, the published figures
under each variant, and how stable each ward's DDN status is (rule collect_sweep)."""

import logging

import pandas as pd

from ddn_pipeline.files import write_csv
from ddn_pipeline.logs import run
from ddn_pipeline.presentation import readable_conclusions, readable_gaps
from ddn_pipeline.sweep import claim_stability, gap_stability, mark_default, ward_stability

log = logging.getLogger("collect_sweep")


def main(smk):
    gaps = pd.concat([pd.read_csv(path) for path in smk.input.gaps], ignore_index=True)
    gaps = mark_default(gaps, smk.params.default).sort_values(
        ["edition", "weighting", "population_source", "threshold"], kind="stable"
    )
    write_csv(gaps, smk.output.gaps)
    write_csv(readable_gaps(gaps, smk.params.indicators), smk.output.readable)
    conclusions = gap_stability(gaps, smk.params.default["threshold"])
    write_csv(conclusions, smk.output.conclusions)
    claims = pd.concat([pd.read_csv(path) for path in smk.input.claims], ignore_index=True)
    claims = mark_default(claims, smk.params.default).sort_values(
        ["edition", "weighting", "population_source", "threshold"], kind="stable"
    )
    write_csv(claims, smk.output.claims)
    claim_summary = claim_stability(claims, smk.params.default["threshold"])
    write_csv(claim_summary, smk.output.claim_summary)
    claims_readable, conclusions_readable = readable_conclusions(conclusions, claim_summary, smk.params.indicators)
    write_csv(claims_readable, smk.output.claim_summary_readable)
    write_csv(conclusions_readable, smk.output.conclusions_readable)

    wards = pd.concat([pd.read_parquet(path) for path in smk.input.wards], ignore_index=True)
    names = pd.read_parquet(
        smk.input.names, columns=["ward17_code", "ward17_name", "lad_name", "region_name", "published_ddn"]
    )
    write_csv(ward_stability(wards, names), smk.output.stability)

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
