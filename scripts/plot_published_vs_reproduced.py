"""Every numeric published figure against the reproduced value (rule plot_published_vs_reproduced)."""

import pandas as pd

from ddn_pipeline.benchmark import numeric_points
from ddn_pipeline.figures import apply_style, published_vs_reproduced, save
from ddn_pipeline.logs import run
from ddn_pipeline.presentation import BENCHMARK_SOURCE


def main(smk):
    apply_style()
    table = numeric_points(
        pd.read_csv(smk.input.comparison), smk.params.figures, smk.params.indicators, smk.params.close_within
    )
    fig = published_vs_reproduced(table)
    counts = table["closeness"].value_counts()
    caption = (
        f"The {len(table)} numeric figures published for the report and its predecessors, each as the reproduced value "
        f"in percent of the published one: {counts.get('within', 0)} within the rounding of the published figure (blue "
        f"circles), {counts.get('close', 0)} close, within {smk.params.close_within:.0%} of it (orange squares), and "
        f"{counts.get('differs', 0)} further away (red triangles). Word-only claims and figures not computed are not "
        "shown: see the comparison table."
    )
    save(
        fig,
        smk.output[0].removesuffix(".png"),
        caption,
        title="Published figures against the reproduced ones",
        source=BENCHMARK_SOURCE,
    )


run(main, globals().get("snakemake"))
