"""Figures from small synthetic inputs: non-empty images of the expected size, the same bytes twice; the dissolve."""

import hashlib

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from PIL import Image

from ddn_pipeline import figures
from ddn_pipeline.boundaries import BoundaryError, dissolve_wards


@pytest.fixture(autouse=True)
def style():
    figures.apply_style()


def saved(fig, tmp_path, name="figure"):
    figures.save(fig, tmp_path / name, "A caption.")
    png = tmp_path / f"{name}.png"
    assert (tmp_path / f"{name}.caption.md").read_text() == "A caption.\n"
    assert (tmp_path / f"{name}.svg").stat().st_size > 1000
    with Image.open(png) as image:
        width, height = image.size
        colours = len(image.convert("RGB").getcolors(maxcolors=1 << 24))
    return width, height, colours


def test_indicator_bars(tmp_path):
    fig = figures.indicator_bars("A share", {"ddn": 0.5, "other_deprived": 0.4, "england": 0.2}, "share", {"ddn": 0.52})
    width, height, colours = saved(fig, tmp_path)
    assert 600 <= width <= 900 and 400 <= height <= 650
    assert colours > 10  # drawn, not blank


def test_indicator_not_computed_panel(tmp_path):
    fig = figures.indicator_bars("Jobs", {}, "share", None, "BRES unavailable offline")
    width, _height, colours = saved(fig, tmp_path)
    assert width > 300 and colours > 2


def test_published_vs_reproduced(tmp_path):
    points = pd.DataFrame(
        {"label": ["a: ddn", "b: england"], "published": [0.5, 3.0], "ours": [0.55, 3.0], "within": [False, True]}
    )
    width, height, _ = saved(figures.published_vs_reproduced(points), tmp_path)
    assert width > 800 and height > 250


def test_classification_ranks(tmp_path):
    rng = np.random.default_rng(0)
    wards = pd.DataFrame({"cni_rank": rng.permutation(100) + 1.0, "imd_rank": rng.permutation(100) + 1.0})
    wards["published_ddn"] = (wards["cni_rank"] <= 10) & (wards["imd_rank"] <= 12)
    wards["reproduced_ddn"] = (wards["cni_rank"] <= 10) & (wards["imd_rank"] <= 10)
    width, height, _ = saved(figures.classification_ranks(wards, 10, 10, 30), tmp_path)
    assert width > 1200 and height > 600


def test_ddn_counts(tmp_path):
    regions = pd.DataFrame({"region_name": ["North East", "London"], "wards": [5, 1]})
    authorities = pd.DataFrame({"lad_name": ["Durham", "Hull", "Camden"], "wards": [3, 2, 1]})
    width, height, _ = saved(figures.ddn_counts(regions, authorities, 2), tmp_path)
    assert width > 1200 and height > 500


def squares():
    boxes = [shapely.box(x, 0, x + 0.01, 0.01) for x in (0.0, 0.01, 0.02, 0.03)]
    return gpd.GeoDataFrame({"lsoa11_code": ["L1", "L2", "L3", "L4"]}, geometry=boxes, crs=4326)


def test_dissolve_gives_one_polygon_per_ward():
    lookup = pd.DataFrame({"lsoa11_code": ["L1", "L2", "L3", "L4"], "ward17_code": ["W1", "W1", "W2", "W2"]})
    wards = dissolve_wards(squares(), lookup)
    assert wards["ward17_code"].tolist() == ["W1", "W2"]
    assert (wards.geom_type == "Polygon").all()
    assert wards.crs.to_epsg() == 27700
    assert wards.area.sum() == pytest.approx(squares().to_crs(27700).area.sum())


def test_dissolve_refuses_missing_shapes():
    lookup = pd.DataFrame({"lsoa11_code": ["L1", "L9"], "ward17_code": ["W1", "W1"]})
    with pytest.raises(BoundaryError, match="1 LSOAs of the ward lookup have no boundary"):
        dissolve_wards(squares(), lookup)


def test_map(tmp_path):
    wards = dissolve_wards(
        squares(), pd.DataFrame({"lsoa11_code": ["L1", "L2", "L3", "L4"], "ward17_code": ["W1", "W2", "W3", "W4"]})
    )
    wards["group"] = ["ddn", "other_deprived", "rest_of_england", "ddn"]
    wards["region_name"] = ["North East", "North East", "North West", "North West"]
    authorities = gpd.GeoDataFrame({"lad_code": ["A"]}, geometry=[shapely.box(0, 0, 0.04, 0.01)], crs=4326).to_crs(
        27700
    )
    width, height, colours = saved(figures.ddn_map(wards, authorities, ["North East", "North West"]), tmp_path)
    assert width > 1000 and height > 800 and colours > 3


def test_figures_are_byte_identical_when_redrawn(tmp_path):
    digests = []
    for run in ("a", "b"):
        fig = figures.indicator_bars(
            "A share", {"ddn": 0.5, "other_deprived": 0.4, "england": 0.2}, "share", {"ddn": 0.52}
        )
        figures.save(fig, tmp_path / run, "caption")
        digests.append([hashlib.sha256((tmp_path / f"{run}.{ext}").read_bytes()).hexdigest() for ext in ("png", "svg")])
    assert digests[0] == digests[1]
    assert b"<dc:date>" not in (tmp_path / "a.svg").read_bytes()
