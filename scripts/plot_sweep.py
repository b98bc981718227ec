"""Figures of the robustness sweep: the headline gaps against the threshold, and ward stability (rule plot_sweep)."""

from pathlib import Path

import pandas as pd

from ddn_pipeline.figures import apply_style, save, sweep_gaps, ward_stability_chart
from ddn_pipeline.logs import run

SOURCE = (
    "MHCLG, English Indices of Deprivation 2019 and 2025; OCSI for Local Trust, Community Needs Index 2019 and 2023; "
    "ONS Census 2021, life expectancy by MSOA and LSOA population estimates; CDRC Internet User Classification 2018. "
    "Ward IMD scores are means of LSOA scores, not an official ward index. Analysis: ddn-pipeline."
)


def main(smk):
    apply_style()
    gaps = pd.read_csv(smk.input.gaps)
    stability = pd.read_csv(smk.input.stability)
    stem = {Path(p).stem: p.removesuffix(".png") for p in smk.output if p.endswith(".png")}
    variants = gaps[["edition", "threshold", "weighting", "population_source"]].drop_duplicates()
    thresholds = ", ".join(f"{100 * t:g}%" for t in sorted(variants["threshold"].unique()))
    save(
        sweep_gaps(gaps, smk.params.indicators, smk.params.default_threshold),
        stem["gaps_by_threshold"],
        f"How the gaps between DDNs and other deprived areas (solid) and England (dashed) move with the threshold "
        f"({thresholds}) that defines both the DDNs and the other deprived areas; {len(variants)} variants. Above 0: "
        "the DDNs have more of it. Threshold: the most deprived share of wards on both indices. The dotted line is the report's threshold. The DDNs of each variant are our "
        "reproduction (at 10%: 225 wards, 219 of them on the published list), not the published list.",
        title="The headline gaps at every threshold",
        source=SOURCE,
    )
    editions = sorted(int(c.removeprefix("of_variants_")) for c in stability.columns if c.startswith("of_variants_"))
    save(
        ward_stability_chart(stability, editions),
        stem["ward_stability"],
        f"Wards that are DDNs in at least one variant, by the number of variants in which they are ({thresholds}). "
        "With the threshold the only thing varied, a ward that is a DDN at a threshold is one at every higher "
        "threshold, so the count says from which threshold on it is a DDN.",
        title="How stable is a ward's DDN status?",
        source=SOURCE,
    )


run(main, globals().get("snakemake"))
