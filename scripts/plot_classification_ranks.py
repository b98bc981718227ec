"""Ward IMD rank against CNI rank with the thresholds and both DDN lists (rule plot_classification_ranks)."""

import pandas as pd

from ddn_pipeline.figures import apply_style, classification_ranks, save
from ddn_pipeline.logs import run
from ddn_pipeline.presentation import CLASSIFICATION_SOURCE


def main(smk):
    apply_style()
    wards = pd.read_parquet(smk.input.groups)
    cni_threshold = smk.params.share * wards["cni_rank"].notna().sum()
    imd_threshold = smk.params.share * wards["imd_rank"].notna().sum()
    fig = classification_ranks(wards, cni_threshold, imd_threshold, smk.params.zoom)
    both = int((wards["published_ddn"] & wards["reproduced_ddn"]).sum())
    caption = (
        f"Each ward's IMD 2019 rank (population-weighted LSOA scores) against its CNI 2019 rank; dashed lines mark the most "
        f"deprived {smk.params.share:.0%} (CNI rank {cni_threshold:.1f}, IMD rank {imd_threshold:.1f}). {both} wards are DDNs "
        f"on both lists; {int((wards['published_ddn'] & ~wards['reproduced_ddn']).sum())} are on the published list only "
        f"(squares) and {int((wards['reproduced_ddn'] & ~wards['published_ddn']).sum())} on the reproduced list only (triangles)."
    )
    save(
        fig,
        smk.output[0].removesuffix(".png"),
        caption,
        title="Doubly disadvantaged: most deprived 10% on both the Community Needs Index and the IMD",
        source=CLASSIFICATION_SOURCE,
    )


run(main, globals().get("snakemake"))
