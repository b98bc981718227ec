"""Figures from small synthetic inputs: non-empty images of the expected size, the same bytes twice; the dissolve."""

import hashlib

import geopandas as gpd
import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
import shapely
from PIL import Image

from ddn_pipeline import figures
from ddn_pipeline.boundaries import BoundaryError, coverage_union, dissolve_wards, union_by_code


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
        {
            "label": ["a: DDNs", "b: England", "c: DDNs"],
            "published": [0.5, 3.0, 0.267],
            "ours": [0.55, 3.0, 0.2675],
            "unit": ["share", "years", "share"],
            "closeness": ["differs", "within", "close"],
        }
    )
    fig = figures.published_vs_reproduced(points)
    ax = fig.axes[0]
    assert {text.get_text() for text in ax.get_legend().get_texts()} == {"within rounding", "close", "differs"}
    low, high = ax.get_xlim()
    assert low < 100 < high < 160  # fitted to the data (110% at most), not a fixed 200%
    assert "ours 55.0%, published 50.0%" in {text.get_text() for text in ax.texts}
    width, height, _ = saved(fig, tmp_path)
    assert width > 800 and height > 250


def test_long_row_labels_stay_inside_the_figure(tmp_path):
    label = "Managerial, administrative and professional occupations (NS-SeC L1-L6), share of residents: England"
    points = pd.DataFrame(
        {"label": [label, "b: DDNs"], "published": [0.41, 0.5], "ours": [0.396, 0.5], "unit": ["share"] * 2}
    ).assign(closeness=["close", "within"])
    fig = figures.published_vs_reproduced(points)
    assert "\n" in fig.axes[0].get_yticklabels()[1].get_text()
    width, _, _ = saved(fig, tmp_path)
    # the figure is 10 inches wide at 150 dpi; labels running off its left edge made the image wider
    assert width <= 10 * 150 + 2 * 0.1 * 150


def test_years_are_dots_with_their_values_never_bars_from_an_arbitrary_base(tmp_path):
    fig = figures.indicator_bars("Life expectancy", {"ddn": 78.1, "other_deprived": 78.0, "england": 81.9}, "years")
    ax = fig.axes[0]
    assert len(ax.patches) == 0 and len(ax.collections[0].get_offsets()) == 3  # three dots, no bar
    assert 76 < ax.get_ylim()[0] < 78 and ax.get_ylabel() == "Years"
    assert {t.get_text() for t in ax.texts} == {"78.1", "78.0", "81.9"}


def test_regional_bars_carry_their_values():
    by_region = pd.DataFrame({"region_name": ["North East", "London"], "wards": [56, 2]})
    by_authority = pd.DataFrame({"lad_name": ["Hartlepool"], "wards": [9]})
    fig = figures.ddn_counts(by_region, by_authority, 1)
    assert [t.get_text() for t in fig.axes[0].texts] == ["2", "56"] and fig.axes[1].texts[0].get_text() == "9"


def test_counts_use_people_not_offset_notation(tmp_path):
    fig = figures.indicator_bars("Population", {"ddn": 2.3e6, "other_deprived": 5.8e6, "england": 5.5e7}, "people")
    fig.canvas.draw()
    ax = fig.axes[0]
    assert ax.yaxis.get_offset_text().get_text() == ""
    assert any(label.get_text().endswith("m") for label in ax.get_yticklabels())


def test_every_saved_figure_can_carry_a_title_and_a_source(tmp_path):
    fig = figures.indicator_bars("A share", {"ddn": 0.5, "other_deprived": 0.4, "england": 0.2}, "share")
    figures.save(fig, tmp_path / "f", "caption", title="A title", source="ONS Census 2021")
    svg = (tmp_path / "f.svg").read_text()
    assert "A title" in svg and "Source: ONS Census 2021" in svg


def test_small_multiples_share_one_axis(tmp_path):
    panels = [
        (f"Occupation: group {i}", {"ddn": 0.1 * i, "other_deprived": 0.05, "england": 0.1}, "share")
        for i in range(1, 5)
    ]
    fig = figures.small_multiples(panels, ncols=2)
    titles = [ax.get_title(loc="left") for ax in fig.axes]
    assert titles == ["Group 1", "Group 2", "Group 3", "Group 4"]
    assert len({ax.get_ylim() for ax in fig.axes}) == 1


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


def test_the_union_by_code_is_geopandas_dissolve():
    """Codes in shuffled order, several shapes each, overlapping and apart: the same codes, in the same order, and
    the same geometries, vertex for vertex, as GeoDataFrame.dissolve."""
    rng = np.random.default_rng(7)
    codes = rng.choice(["W3", "W1", "W10", "W2"], size=40)
    shapes = [shapely.box(x, y, x + rng.uniform(0.5, 2), y + 1) for x, y in rng.uniform(0, 6, size=(40, 2))]
    frame = gpd.GeoDataFrame({"ward17_code": codes}, geometry=shapes, crs=27700)
    expected = frame.dissolve("ward17_code", as_index=False)
    got_codes, got_shapes = union_by_code(frame["ward17_code"], frame.geometry.to_numpy())
    assert got_codes.tolist() == expected["ward17_code"].tolist()
    assert [shape.wkb for shape in got_shapes] == [shape.wkb for shape in expected.geometry]


def test_a_coverage_is_unioned_to_the_shapes_of_dissolve(monkeypatch):
    """A grid of squares sharing their edges (a coverage, as LSOAs are), codes in shuffled order: the same shapes as
    GeoDataFrame.dissolve, vertex for vertex once each ring starts at the same vertex, without a general union."""
    rng = np.random.default_rng(3)
    squares = [shapely.box(x, y, x + 1, y + 1) for x in range(8) for y in range(8)]
    codes = rng.choice(["W3", "W1", "W2"], size=len(squares))
    frame = gpd.GeoDataFrame({"ward17_code": codes}, geometry=squares, crs=27700)
    expected = frame.dissolve("ward17_code", as_index=False)
    monkeypatch.setattr(shapely, "union_all", lambda shapes: pytest.fail("a general union of a coverage"))
    got_codes, got_shapes = union_by_code(frame["ward17_code"], frame.geometry.to_numpy())
    assert got_codes.tolist() == expected["ward17_code"].tolist()
    assert shapely.is_valid(got_shapes).all()
    assert [shapely.normalize(s).wkb for s in got_shapes] == [shapely.normalize(s).wkb for s in expected.geometry]


@pytest.mark.parametrize(
    "shapes",
    [
        [shapely.box(0, 0, 1.5, 1), shapely.box(1, 0, 2, 1)],  # overlapping: an invalid coverage union
        [shapely.box(0, 0, 1, 2), shapely.box(1, 0, 2, 1), shapely.box(1, 1, 2, 2)],  # an edge meets two: GEOS fails
        [shapely.box(0, 0, 1, 1), shapely.box(0, 0, 1, 1)],  # the same shape twice
        [shapely.box(0, 0, 3, 3), shapely.box(1, 1, 2, 2)],  # one inside the other
    ],
)
def test_shapes_that_are_not_a_coverage_get_the_general_union(shapes):
    union = coverage_union(np.array(shapes, dtype=object))
    assert union.wkb == shapely.union_all(shapes).wkb
    assert union.is_valid


def test_dissolve_refuses_missing_shapes():
    lookup = pd.DataFrame({"lsoa11_code": ["L1", "L9"], "ward17_code": ["W1", "W1"]})
    with pytest.raises(BoundaryError, match="1 LSOAs of the ward lookup have no boundary"):
        dissolve_wards(squares(), lookup)


def four_wards(column, values):
    """Four square wards, two in each of two regions, with a category column for a map."""
    wards = dissolve_wards(
        squares(), pd.DataFrame({"lsoa11_code": ["L1", "L2", "L3", "L4"], "ward17_code": ["W1", "W2", "W3", "W4"]})
    )
    wards[column] = values
    wards["region_name"] = ["North East", "North East", "North West", "North West"]
    wards["lad_name"] = ["Newcastle", "Newcastle", "Wigan", "Wigan"]
    return wards


def one_authority():
    return gpd.GeoDataFrame({"lad_code": ["A"]}, geometry=[shapely.box(0, 0, 0.04, 0.01)], crs=4326).to_crs(27700)


def test_map(tmp_path):
    wards = four_wards("group", ["ddn", "other_deprived", "rest_of_england", "ddn"])
    fig = figures.ddn_map(wards, one_authority(), ["North East", "North West"])
    for ax, region in zip(fig.axes[1:], ["North East", "North West"]):
        minx, miny, maxx, maxy = wards[wards["region_name"] == region].total_bounds
        (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
        assert x0 <= minx and maxx <= x1 and y0 <= miny and maxy <= y1  # the whole region is inside its panel
    # the councils with the most DDNs are named
    assert {t.get_text() for t in fig.axes[0].texts} == {"Newcastle", "Wigan"}
    width, height, colours = saved(fig, tmp_path)
    assert width > 1000 and height > 800 and colours > 3


def test_a_map_layer_is_one_path_with_holes_empty_and_islands_filled():
    """shapes_path: a ring per subpath, whatever way the rings were wound: a square with a hole (wound the same way
    as its exterior), and a second square lying in that hole, drawn as one patch fill the square and the island
    and leave the rest of the hole empty."""
    from matplotlib.patches import PathPatch

    holed = shapely.Polygon(
        [(0, 0), (10, 0), (10, 10), (0, 10)], holes=[[(3, 3), (7, 3), (7, 7), (3, 7)]]
    )  # the hole anticlockwise too
    island = shapely.box(4, 4, 6, 6)
    path = figures.shapes_path([shapely.MultiPolygon([holed]), island])
    assert len(path.vertices) == 15 and (path.codes == path.MOVETO).sum() == 3
    fig = plt.figure(figsize=(1, 1), dpi=100)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set(xlim=(0, 10), ylim=(0, 10))
    ax.set_axis_off()
    ax.add_artist(PathPatch(path, facecolor="black", linewidth=0, antialiased=False))
    fig.canvas.draw()
    pixels = np.asarray(fig.canvas.buffer_rgba())[::-1, :, 0]  # rows from the bottom, as y runs
    plt.close(fig)
    assert pixels[10, 10] == 0  # the square
    assert pixels[35, 35] == 255  # its hole
    assert pixels[50, 50] == 0  # the island in the hole
    assert figures.shapes_path([]).vertices.shape == (0, 2)


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


def test_the_2025_figures(tmp_path):
    wards = four_wards("change", ["stays", "leaves", "enters", "neither"])
    fig = figures.transition_map(wards, one_authority(), ["North East", "North West"])
    assert fig.axes[1].get_title(loc="left") == "North East: 1 stay, 1 leave, 0 enter"
    legend = [text.get_text() for text in fig.axes[0].get_legend().get_texts()]
    assert legend[0].startswith("Stays") and len(legend) == 4

    counts = pd.DataFrame({"2019": [5, 1], "2025": [3, 4]}, index=["North East", "London"])
    fig = figures.edition_counts(counts, counts, top=15)
    assert [label.get_text() for label in fig.axes[0].get_yticklabels()] == ["London", "North East"]

    ranks = pd.DataFrame(
        {
            "cni2023_rank": [1.0, 2, 30, 40],
            "imd2025_rank": [1.0, 50, 2, 40],
            "ddn_2019_published": [True, True, False, False],
            "ddn_2025": [True, False, True, False],
        }
    )
    fig = figures.classification_ranks(ranks, 4.0, 4.0, 20, layout=figures.RANKS_2025)
    assert fig.axes[0].get_xlabel() == "CNI 2023 rank (1 = most need)"
    labels = {text.get_text() for text in fig.axes[1].get_legend().get_texts()}
    assert "DDN in 2025 only (enters)" in labels and "DDN in 2019 only (leaves)" in labels

    panels = [(f"Indicator {i}", "share", {"DDNs 2019": 0.4, "DDNs 2025": 0.45, "England": 0.3}) for i in range(3)]
    fig = figures.editions_panels(panels, ncols=2)
    figures.save(fig, tmp_path / "e", "caption", title="T", source="S")
    assert (tmp_path / "e.png").stat().st_size > 10_000


def svg_text_rows(svg):
    """{text: y} of the text elements of a matplotlib SVG saved with svg.fonttype none (y grows downwards)."""
    import re

    rows = {}
    for attributes, text in re.findall(r"<text([^>]*)>([^<]*)</text>", svg):
        y = re.search(r'\by="([-\d.]+)"', attributes) or re.search(r"translate\([-\d.]+[ ,]+([-\d.]+)\)", attributes)
        rows[text.strip()] = float(y.group(1))
    return rows


def test_a_legend_at_the_foot_stays_above_the_source_line(tmp_path):
    """A tight save grows the figure to take in the source line; a figure legend must not follow it down."""
    series = ["DDNs 2019", "DDNs 2025", "Other deprived 2019", "Other deprived 2025", "England"]
    panels = [(f"Indicator {i}", "share", {name: 0.1 * (j + 1) for j, name in enumerate(series)}) for i in range(8)]
    fig = figures.editions_panels(panels)
    figures.save(fig, tmp_path / "f", "caption", title="A title", source="Somewhere")
    rows = svg_text_rows((tmp_path / "f.svg").read_text())
    assert rows["England"] < rows["Source: Somewhere"] - 5


def test_share_ticks_show_the_digits_they_need(tmp_path):
    fig = figures.indicator_bars("A share", {"ddn": 0.21, "other_deprived": 0.2, "england": 0.15}, "share")
    ax = fig.axes[0]
    ax.set_yticks([0, 0.025, 0.05, 0.125])
    fig.canvas.draw()
    assert [label.get_text() for label in ax.get_yticklabels()] == ["0%", "2.5%", "5%", "12.5%"]


def test_a_long_title_stays_above_the_chart(tmp_path):
    """A standalone chart's title wraps to three lines here; the layout makes room for it above the axes."""
    title = "Jobs-density proxy: Census 2021 workers per resident aged 16-64 in the resident's MSOA (not BRES)"
    fig = figures.indicator_bars(title, {"ddn": 0.59, "other_deprived": 0.71, "england": 0.74}, "ratio")
    figures.save(fig, tmp_path / "f", "caption", title=title, source="Somewhere")
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    renderer = FigureCanvasAgg(fig).get_renderer()  # save() closed the figure's own canvas
    (suptitle,) = [text for text in fig.texts if text.get_text().startswith("Jobs-density")]
    assert suptitle.get_text().count("\n") >= 1
    assert suptitle.get_window_extent(renderer).y0 >= fig.axes[0].get_tightbbox(renderer).y1


def test_a_laid_out_figure_is_drawn_once_per_file(tmp_path, monkeypatch):
    """Laid out once, then saved as PNG and SVG: two draws. A layout engine left on the figure, even matplotlib's
    placeholder, makes each save draw it once more."""
    from matplotlib.figure import Figure

    panels = [(f"Indicator {i}", {"ddn": 0.4, "other_deprived": 0.3, "england": 0.2}, "share") for i in range(4)]
    fig = figures.small_multiples(panels)
    assert fig.get_layout_engine() is not None  # constrained: the case that used to be drawn four times
    draws = []
    own_draw = Figure.draw
    monkeypatch.setattr(Figure, "draw", lambda self, renderer: draws.append(type(renderer)) or own_draw(self, renderer))
    figures.save(fig, tmp_path / "panels", "A caption.", title="Panels", source="Somewhere")
    assert len(draws) == 2
    assert (tmp_path / "panels.png").stat().st_size > 0 and (tmp_path / "panels.svg").stat().st_size > 1000


def test_the_png_names_no_software_and_keeps_the_resolution(tmp_path):
    """The files say nothing of the matplotlib that wrote them (a new release must not change their bytes by its
    name alone), and the PNG keeps the figure's resolution."""
    for name in ("first", "second"):
        fig = figures.indicator_bars("A share", {"ddn": 0.5, "other_deprived": 0.4, "england": 0.2}, "share")
        figures.save(fig, tmp_path / name, "A caption.", title="A title", source="A source")
    with Image.open(tmp_path / "first.png") as png:
        assert png.mode == "RGBA"
        assert png.info["dpi"] == pytest.approx((150, 150), abs=0.05)
        assert not any("matplotlib" in str(value).lower() for value in png.info.values())
    assert matplotlib.__version__.encode() not in (tmp_path / "first.svg").read_bytes()
    for kind in ("png", "svg", "caption.md"):
        assert (tmp_path / f"first.{kind}").read_bytes() == (tmp_path / f"second.{kind}").read_bytes()
