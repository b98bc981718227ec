"""One bar chart per indicator: DDN, other deprived, England, with published values marked (rule plot_indicators)."""

import pandas as pd

from ddn_pipeline.benchmark import published_values
from ddn_pipeline.figures import apply_style, indicator_bars, save
from ddn_pipeline.logs import run


def main(smk):
    apply_style()
    groups = pd.read_csv(smk.input.groups)
    groups = groups[groups["ddn_list"] == "published"]
    dictionary = pd.read_csv(smk.input.dictionary).set_index("indicator")
    not_computed = pd.read_csv(smk.input.not_computed).set_index("indicator")["reason"].to_dict()
    for indicator, png in zip(smk.params.indicators, [p for p in smk.output if p.endswith(".png")]):
        values = groups[groups["indicator"] == indicator].set_index("group")["value"].to_dict()
        label = dictionary.loc[indicator, "label"]
        published = published_values(smk.params.figures, indicator)
        unit = dictionary.loc[indicator, "unit"]
        fig = indicator_bars(label, values, unit, published, not_computed.get(indicator, ""))
        caption = (
            f"{label}: DDNs (published list), other deprived areas and England, pooled as sum of numerators over sum of "
            f"denominators ({dictionary.loc[indicator, 'numerator']} / {dictionary.loc[indicator, 'denominator']}; "
            f"{dictionary.loc[indicator, 'source']})."
            + (" Diamonds: the report's published values." if published else "")
        )
        save(fig, png.removesuffix(".png"), caption)


run(main, globals().get("snakemake"))
