"""Map of England: DDN and other deprived wards over local authority outlines, with regional panels (rule plot_ddn_map)."""

import geopandas as gpd
import pandas as pd

from ddn_pipeline.boundaries import BRITISH_NATIONAL_GRID
from ddn_pipeline.figures import apply_style, ddn_map, save
from ddn_pipeline.logs import run
from ddn_pipeline.presentation import BOUNDARY_SOURCE, CLASSIFICATION_SOURCE


def main(smk):
    apply_style()
    groups = pd.read_parquet(smk.input.groups, columns=["ward17_code", "group", "region_name", "lad_name"])
    wards = gpd.read_parquet(smk.input.wards).merge(groups, on="ward17_code", how="left")
    authorities = gpd.read_parquet(smk.input.authorities).to_crs(BRITISH_NATIONAL_GRID)
    counts = groups["group"].value_counts()
    fig = ddn_map(wards, authorities, smk.params.insets)
    caption = (
        f"The {counts.get('ddn', 0)} doubly disadvantaged neighbourhoods (published list, blue) and the "
        f"{counts.get('other_deprived', 0)} other deprived wards (most deprived 10% on ward IMD, orange), ward December 2017 "
        "boundaries dissolved from LSOA 2011 shapes with the ONS best-fit lookup, over local authority (2019) outlines. "
        f"Panels: {', '.join(smk.params.insets)}. Named: the councils with the most DDNs."
    )
    save(
        fig,
        smk.output[0].removesuffix(".png"),
        caption,
        title=f"The {counts.get('ddn', 0)} doubly disadvantaged neighbourhoods (DDNs) of England",
        source=f"{CLASSIFICATION_SOURCE} {BOUNDARY_SOURCE}",
    )


run(main, globals().get("snakemake"))
