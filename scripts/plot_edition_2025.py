"""Figures of the 2025 edition: the map of stays, leaves and enters, DDNs by region and local authority in 2019 and
2025, the 2025 ranks, and the key indicators of both editions (rule plot_edition_2025)."""

from pathlib import Path

import geopandas as gpd
import pandas as pd

from ddn_pipeline.figures import (
    RANKS_2025,
    apply_style,
    classification_ranks,
    edition_counts,
    editions_panels,
    save,
    transition_map,
)
from ddn_pipeline.logs import run
from ddn_pipeline.presentation import BOUNDARY_SOURCE, EDITION_COLUMNS, edition_values

SOURCE = (
    "MHCLG, English Indices of Deprivation 2025; OCSI for Local Trust, Community Needs Index 2023 and 2019 with the "
    "published DDN list; ONS Census 2021 (residents) and LSOA lookups. Ward scores are population-weighted means of "
    "LSOA 2021 scores, not an official ward index. Analysis: ddn-pipeline."
)
CAVEAT = (
    " OCSI warns that the CNI 2023 is not directly comparable with the CNI 2019: read the change as indicative. Ward "
    "2025 scores are population-weighted means of LSOA 2021 scores (Census 2021 residents), not an official ward index."
)
# the columns of the side-by-side table, without the reproduced 2019 list
SERIES = [column for column in EDITION_COLUMNS if column[0] != "reproduced"]


def main(smk):
    apply_style()
    wards = pd.read_csv(smk.input.wards)
    counts = wards["change"].value_counts()
    stem = {Path(p).stem: p.removesuffix(".png") for p in smk.output if p.endswith(".png")}

    if smk.input.get("shapes"):
        shapes = gpd.read_parquet(smk.input.shapes).merge(
            wards[["ward17_code", "change", "region_name"]], on="ward17_code"
        )
        authorities = gpd.read_parquet(smk.input.authorities).to_crs(shapes.crs)
        fig = transition_map(shapes, authorities, smk.params.insets)
        caption = (
            f"The {counts.get('stays', 0) + counts.get('leaves', 0)} published 2019 DDNs on the 2025 indices: "
            f"{counts.get('stays', 0)} stay (blue) and {counts.get('leaves', 0)} leave (pink); {counts.get('enters', 0)} "
            "wards enter (orange). Wards 2017." + CAVEAT
        )
        save(
            fig,
            stem["transitions_map"],
            caption,
            title="Doubly disadvantaged in 2019 and on the 2025 indices",
            source=f"{SOURCE} {BOUNDARY_SOURCE}",
        )

    def tally(column, by):
        return wards[wards[column]].groupby(by).size()

    by_region = pd.DataFrame(
        {"2019": tally("ddn_2019_published", "region_name"), "2025": tally("ddn_2025", "region_name")}
    )
    by_authority = pd.DataFrame(
        {"2019": tally("ddn_2019_published", "lad_name"), "2025": tally("ddn_2025", "lad_name")}
    )
    fig = edition_counts(by_region.fillna(0).astype(int), by_authority.fillna(0).astype(int), smk.params.top)
    caption = (
        f"DDN wards per region and in the {smk.params.top} local authorities with the most: the published 2019 list "
        f"({int(wards['ddn_2019_published'].sum())} wards) beside the 2025 indices ({int(wards['ddn_2025'].sum())})."
        + CAVEAT
    )
    save(fig, stem["ddn_counts"], caption, title="Where the DDNs are, 2019 and 2025", source=SOURCE)

    ranked = wards["imd2025_rank"].notna().sum()
    threshold = smk.params.share * ranked
    fig = classification_ranks(wards, threshold, threshold, smk.params.zoom, layout=RANKS_2025)
    caption = (
        f"Each ward's IMD 2025 rank against its CNI 2023 rank (wards 2017); dashed lines: the most deprived "
        f"{smk.params.share:.0%} on each (rank {threshold:.1f} of {ranked:,})." + CAVEAT
    )
    save(fig, stem["ranks"], caption, title="The 2025 double test: ward IMD 2025 against CNI 2023", source=SOURCE)

    groups = pd.read_csv(smk.input.groups, dtype={"ddn_list": str})
    panels = edition_values(groups, smk.params.indicators, columns=SERIES)
    fig = editions_panels(panels)
    caption = (
        "The key indicators for the DDNs and other deprived areas of each edition, and England: the same data (Census "
        "2021 and the other sources), other groups. Life expectancy axes start above 0 to show the gaps." + CAVEAT
    )
    save(fig, stem["key_indicators"], caption, title="How the DDNs compare, 2019 list and 2025 list", source=SOURCE)


run(main, globals().get("snakemake"))
