"""The ward explorer: results/explorer/index.html, one offline page (rule build_explorer)."""

import logging
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from ddn_pipeline.areas import GEOGRAPHY_WORDS
from ddn_pipeline.explorer import (
    LIST_LABELS,
    PROFILE_INDICATORS,
    area_values,
    bounds,
    council_labels,
    group_values,
    label_points,
    page,
    svg_paths,
    ward_records,
)
from ddn_pipeline.files import write_bytes_atomic
from ddn_pipeline.groups import LABELS, LIST_COLUMNS
from ddn_pipeline.logs import run
from ddn_pipeline.presentation import format_value

log = logging.getLogger("build_explorer")


def your_ward_areas(members):
    """{area: [ward codes]} of the areas of config areas made of wards (area_members.csv)."""
    wards = members[members["geography"] == "ward17"]
    return {area: codes.tolist() for area, codes in wards.groupby("area", sort=False)["code"]}


YOUR_AREAS_SHOWN = 50  # areas listed in the explorer; results/areas/ has them all
YOUR_AREA_INDICATORS = ["not_in_employment", "income_deprived", "bad_health"]


def your_area_rows(indicators, areas, definitions):
    """The first areas of config areas with their people and a few key values, as text (area_indicators.csv and
    areas.csv)."""
    values = indicators.set_index(["area", "indicator"])["value"]
    rows = []
    for area in areas.head(YOUR_AREAS_SHOWN).itertuples():
        rows.append(
            {
                "name": area.area,
                "made_of": GEOGRAPHY_WORDS[area.geography],
                "people": format_value(area.population, "people"),
                "wards": area.geography == "ward17",
                "values": {
                    key: format_value(values.get((area.area, key)), definitions[key]["unit"])
                    for key in YOUR_AREA_INDICATORS
                    if key in definitions
                },
            }
        )
    return rows


def main(smk):
    definitions = smk.params.indicators
    wards = pd.read_parquet(smk.input.groups)
    lists = dict(LIST_LABELS)
    if smk.input.get("update_2025"):
        edition = pd.read_csv(
            smk.input.update_2025, usecols=["ward17_code", "group_2025", "imd2025_rank", "cni2023_rank"]
        )
        wards = wards.merge(edition, on="ward17_code", how="left", validate="one_to_one")
    else:
        lists.pop("2025")
    shapes = gpd.read_parquet(smk.input.shapes)
    shape_of = dict(zip(shapes["ward17_code"], shapes.geometry))  # not .loc per ward: seconds over 7,400 wards
    wards = wards.sort_values("ward17_code")
    records = ward_records(wards, pd.read_csv(smk.input.indicators), definitions)
    records_by_code = {record["code"]: record for record in records}
    mapped = [code for code in wards["ward17_code"] if code in shape_of]
    ward_paths = dict(zip(mapped, svg_paths([shape_of[code] for code in mapped])))
    authorities = gpd.read_parquet(smk.input.authorities).to_crs(shapes.crs)
    authority_paths = svg_paths(authorities.geometry.to_numpy())
    view = bounds(shapely.box(*shapes.total_bounds))
    view_box = [view[0], view[1], view[2] - view[0], view[3] - view[1]]
    counts = {
        name: {g: int((wards[column] == g).sum()) for g in ("ddn", "other_deprived")}
        for name, column in LIST_COLUMNS.items()
        if name in lists
    }
    data = {
        "wards": records,
        "bounds": {code: bounds(shape_of[code]) for code in ward_paths},
        "view": view_box,
        "lists": lists,
        "counts": counts,
        "labels": {key: definitions[key]["label"] for key in PROFILE_INDICATORS if key in definitions},
        "group_labels": {**LABELS, "ddn": "DDN"},
        "group_values": group_values(pd.read_csv(smk.input.group_indicators, dtype={"ddn_list": str}), definitions),
        "area_values": area_values(pd.read_csv(smk.input.area_indicators), definitions),
        # your areas made of wards (config areas), found by name; areas of LSOAs are in the report, not on this map
        "your_areas": your_ward_areas(pd.read_csv(smk.input.your_areas)) if smk.input.get("your_areas") else {},
        "your_area_rows": (
            your_area_rows(pd.read_csv(smk.input.your_area_values), pd.read_csv(smk.input.your_area_list), definitions)
            if smk.input.get("your_area_values")
            else []
        ),
        "council_labels": council_labels(wards, shape_of),
        "ward_labels": label_points(
            [records_by_code[code]["name"] for code in mapped], [shape_of[code] for code in mapped]
        ),
    }
    html = page(data, ward_paths, authority_paths, view_box)
    Path(smk.output[0]).parent.mkdir(parents=True, exist_ok=True)
    write_bytes_atomic(html.encode("utf-8"), smk.output[0])
    log.info("explorer: %d wards (%d with a shape), %.1f MB", len(records), len(ward_paths), len(html.encode()) / 1e6)


run(main, globals().get("snakemake"))
