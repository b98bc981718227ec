"""DDNs by region and the local authorities with the most (rule plot_ddn_counts)."""

import pandas as pd

from ddn_pipeline.figures import apply_style, ddn_counts, save
from ddn_pipeline.logs import run
from ddn_pipeline.presentation import CLASSIFICATION_SOURCE


def main(smk):
    apply_style()
    summary = pd.read_csv(smk.input.summary)
    by_region = summary[summary["breakdown"] == "ddn_by_region"]
    by_authority = summary[summary["breakdown"] == "ddn_by_local_authority"]
    fig = ddn_counts(by_region, by_authority, smk.params.top)
    top = by_region.sort_values("wards", ascending=False).iloc[0]
    caption = (
        f"Number of DDN wards (published list) per region and in the {smk.params.top} local authorities with the most. "
        f"{top['region_name']} has the most ({int(top['wards'])} of {int(by_region['wards'].sum())})."
    )
    save(
        fig,
        smk.output[0].removesuffix(".png"),
        caption,
        title="Where the doubly disadvantaged neighbourhoods are",
        source=CLASSIFICATION_SOURCE,
    )


run(main, globals().get("snakemake"))
