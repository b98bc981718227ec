"""Every numeric published figure against the reproduced value (rule plot_published_vs_reproduced)."""

import pandas as pd

from ddn_pipeline.benchmark import numeric_points
from ddn_pipeline.figures import apply_style, published_vs_reproduced, save
from ddn_pipeline.logs import run


def main(smk):
    apply_style()
    table = numeric_points(pd.read_csv(smk.input.comparison), smk.params.figures)
    fig = published_vs_reproduced(table)
    caption = (
        f"The {len(table)} numeric figures published for the report and its predecessors, each as the reproduced value in "
        f"percent of the published one; {int(table['within'].sum())} fall within the tolerance set by the figure's rounding "
        "(green). Word-only claims and not-computed figures are not shown: see results/benchmark/report_comparison.csv."
    )
    save(fig, smk.output[0].removesuffix(".png"), caption)


run(main, globals().get("snakemake"))
