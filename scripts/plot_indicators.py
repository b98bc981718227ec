"""Indicator charts: DDN, other deprived, England, with published values marked; panels of related indicators as
one small-multiples figure (rule plot_indicators)."""

from pathlib import Path

import pandas as pd

from ddn_pipeline.benchmark import published_values
from ddn_pipeline.figures import apply_style, indicator_bars, save, small_multiples
from ddn_pipeline.logs import run
from ddn_pipeline.presentation import indicator_source


def coverage_note(definition, coverage):
    """For indicators the publisher suppresses in small areas (life expectancy): the share of people with a value."""
    known = coverage[coverage["measure"].isin(definition["denominator"])]
    if definition["unit"] != "years" or known.empty:
        return ""
    return (
        f" Known for {known['share'].min():.1%} of England's population: ONS suppresses the value of small areas, "
        "whose people are left out of the averages."
    )


def main(smk):
    apply_style()
    groups = pd.read_csv(smk.input.groups)
    groups = groups[groups["ddn_list"] == "published"]
    not_computed = pd.read_csv(smk.input.not_computed).set_index("indicator")["reason"].to_dict()
    coverage = pd.read_csv(smk.input.coverage)
    indicators = smk.params.indicators
    folder = Path(smk.output[0])
    folder.mkdir(parents=True, exist_ok=True)

    def values_of(indicator):
        return groups[groups["indicator"] == indicator].set_index("group")["value"].to_dict()

    for chart, members in smk.params.charts.items():
        png = str(folder / f"{chart}.png")
        if len(members) > 1:
            panels = [(indicators[i]["label"], values_of(i), indicators[i]["unit"]) for i in members]
            fig = small_multiples(panels)
            title = f"{chart.replace('_', ' ').capitalize()}: DDNs, other deprived areas and England"
            caption = (
                f"{title}; each panel: {'; '.join(indicators[i]['definition'] for i in members[:1])}, and likewise for "
                "the other groups. Pooled as the sum of numerators over the sum of denominators."
            )
            save(fig, png.removesuffix(".png"), caption, title=title, source=indicator_source(indicators[members[0]]))
            continue
        (indicator,) = members
        definition = indicators[indicator]
        published = published_values(smk.params.figures, indicator)
        fig = indicator_bars(
            definition["label"], values_of(indicator), definition["unit"], published, not_computed.get(indicator, "")
        )
        caption = (
            f"{definition['label']}: DDNs (published list), other deprived areas and England. Definition: "
            f"{definition['definition']}, pooled over each group's wards."
            + (" Diamonds: the report's published values." if published else "")
            + (" The axis starts above 0 to show the gaps." if definition["unit"] == "years" else "")
            + coverage_note(definition, coverage)
        )
        save(fig, png.removesuffix(".png"), caption, title=definition["label"], source=indicator_source(definition))


run(main, globals().get("snakemake"))
