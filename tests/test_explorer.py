"""The explorer's page builder on tiny inputs: paths, records and a self-contained page."""

import json
import math

import pandas as pd
import shapely

from ddn_pipeline.explorer import bounds, group_values, page, svg_paths, ward_records

DEFINITIONS = {
    "not_in_employment": {"unit": "share", "label": "Not in employment"},
    "life_expectancy_male_2016_20": {"unit": "years", "label": "Male life expectancy"},
}


def test_neighbours_keep_their_shared_border():
    left, right = shapely.box(400000, 100000, 400055, 100100), shapely.box(400055, 100000, 400120, 100100)
    a, b = svg_paths([left, right])
    assert a.startswith("M") and a.endswith("Z")
    shared = {"40006 -10000", "40006 -10010"}  # x = 400055 m rounds the same way on both sides, north up
    assert shared <= set(a[1:-1].split("L")) and shared <= set(b[1:-1].split("L"))
    assert bounds(left) == [40000, -10010, 40006, -10000]


def test_paths_keep_holes_and_parts_in_order_and_drop_rings_that_collapse():
    outer = shapely.Polygon([(0, 0), (100, 0), (100, 100), (0, 100)], [[(20, 20), (40, 20), (40, 40), (20, 40)]])
    collapses = shapely.box(200, 0, 203, 3)  # a single point once rounded to tens of metres
    paths = svg_paths([shapely.MultiPolygon([outer, collapses]), shapely.box(0, 0, 10, 10)])
    assert paths == ["M0 0L10 0L10 -10L0 -10L0 0ZM2 -2L4 -2L4 -4L2 -4L2 -2Z", "M1 0L1 -1L0 -1L0 0L1 0Z"]


def test_records_carry_formatted_numbers_and_groups():
    wards = pd.DataFrame(
        {
            "ward17_code": ["E05000001"],
            "ward17_name": ["Easington"],
            "lad_name": ["County Durham"],
            "region_name": ["North East"],
            "group_published_list": ["ddn"],
            "group_reproduced_list": ["rest_of_england"],
            "group_2025": ["other_deprived"],
            "published_ddn": [True],
            "reproduced_ddn": [False],
            "population": [7569.0],
            "cni_rank": [326.0],
            "imd_score": [34.5612],
            "imd_rank": [781.0],
            "imd2025_rank": [math.nan],
            "cni2023_rank": [1557.0],
        }
    )
    indicators = pd.DataFrame(
        {"ward17_code": ["E05000001"], "not_in_employment": [0.5106], "life_expectancy_male_2016_20": [77.04]}
    )
    (record,) = ward_records(wards, indicators, DEFINITIONS)
    assert record["groups"] == {"published": "ddn", "reproduced": "rest_of_england", "2025": "other_deprived"}
    assert record["indicators"] == {"not_in_employment": "51.1%", "life_expectancy_male_2016_20": "77.0 years"}
    facts = record["facts"]
    assert facts["Ward IMD 2019 score (higher = more deprived)"] == "34.56"
    assert facts["Ward IMD 2025 rank (1 = most deprived)"] == "–"
    assert facts["Ward CNI 2023 rank (1 = most need)"] == "1,557"


def test_page_embeds_everything_and_escapes_the_data():
    groups = pd.DataFrame([{"ddn_list": "published", "indicator": "not_in_employment", "group": "ddn", "value": 0.479}])
    values = group_values(groups, DEFINITIONS)
    assert values == {"published": {"not_in_employment": {"ddn": "47.9%"}}}
    data = {"wards": [{"name": "</script><b>"}], "values": values}
    html = page(data, {"E05000001": "M0 0L1 0L1 1Z"}, ["M0 0L2 0L2 2Z"], [0, 0, 2, 2])
    assert 'id="w-E05000001"' in html and 'viewBox="0 0 2 2"' in html
    assert "<\\/script>" in html and "://" not in html.replace("http://www.w3.org", "")
    # no network and no inline event handler: only the page's own script runs, by its sha256
    import base64
    import hashlib

    from ddn_pipeline.explorer import SCRIPT

    digest = base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode()
    assert f"default-src 'none'; script-src 'sha256-{digest}';" in html
    assert f"<script>{SCRIPT}</script>" in html
    start = html.index('type="application/json">') + len('type="application/json">')
    embedded = html[start : html.index("</script>", start)]
    assert json.loads(embedded)["wards"][0]["name"] == "</script><b>"
