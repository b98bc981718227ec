"""Your areas beside the groups on the key indicators (rule plot_areas)."""

import pandas as pd

from ddn_pipeline.figures import apply_style, areas_chart, save
from ddn_pipeline.headline import KEY_INDICATORS
from ddn_pipeline.logs import run

DRAWN = 20  # areas in the figure; the table has them all


def main(smk):
    apply_style()
    definitions = smk.params.indicators
    table = pd.read_csv(smk.input.indicators)
    table = table[table["indicator"].isin([k for k in KEY_INDICATORS if k in definitions])]
    areas = list(dict.fromkeys(table["area"]))
    shown = areas[:DRAWN]
    fig = areas_chart(
        table,
        {name: d["label"] for name, d in definitions.items()},
        {name: d["unit"] for name, d in definitions.items()},
        shown,
    )
    more = f" The first {DRAWN} of {len(areas)} areas are drawn; the table has them all." if len(areas) > DRAWN else ""
    save(
        fig,
        smk.output[0].removesuffix(".png"),
        "Your areas (config areas) on the key indicators, each pooled over the area's own codes, beside the DDNs, "
        f"other deprived areas and England (published list).{more}",
        title="Your areas beside the DDNs, other deprived areas and England",
        source="ONS Census 2021; MHCLG IoD2019; CDRC IUC 2018; ONS life expectancy; ward groups: OCSI/Local Trust, "
        "MHCLG. Analysis: ddn-pipeline.",
    )


run(main, globals().get("snakemake"))
