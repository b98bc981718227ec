"""Every numeric published figure against the reproduced value (rule plot_published_vs_reproduced)."""

import pandas as pd

from ddn_pipeline.benchmark import GROUPS, evaluate
from ddn_pipeline.figures import apply_style, published_vs_reproduced, save
from ddn_pipeline.logs import run


def points(comparison, figures):
    rows = []
    for row in comparison.itertuples():
        values = {group: getattr(row, group) for group in GROUPS}
        if any(pd.isna(v) for v in values.values()):
            continue
        for item in figures[row.id].get("values", []):
            ours = evaluate(item["expr"], values)
            rows.append(
                {
                    "label": f"{row.id}: {item['expr']}",
                    "published": item["published"],
                    "ours": ours,
                    "within": abs(ours - item["published"]) <= item["tolerance"] + 1e-12,
                }
            )
    return pd.DataFrame(rows, columns=["label", "published", "ours", "within"])


def main(smk):
    apply_style()
    table = points(pd.read_csv(smk.input.comparison), smk.params.figures)
    fig = published_vs_reproduced(table)
    caption = (
        f"The {len(table)} numeric figures published for the report and its predecessors, each as the reproduced value in "
        f"percent of the published one; {int(table['within'].sum())} fall within the tolerance set by the figure's rounding "
        "(green). Word-only claims and not-computed figures are not shown: see results/benchmark/report_comparison.csv."
    )
    save(fig, smk.output[0].removesuffix(".png"), caption)


run(main, snakemake)  # noqa: F821
