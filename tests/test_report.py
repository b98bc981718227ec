"""The HTML report's building blocks and the audit trail, on tiny inputs."""

import base64
import re
from html.parser import HTMLParser

import pandas as pd

from ddn_pipeline import report
from ddn_pipeline.provenance import headline_chain, measure_origin


class Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.sources = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.sources += [value for name, value in attrs if name in ("src", "href")]


def test_page_is_self_contained_and_renders_tables():
    frame = pd.DataFrame({"Statistic": ["People <in> DDNs"], "Ours": ["2,334,856"]})
    html = report.page(
        "Title",
        "Lead",
        [("findings", "Findings", report.table(frame, "A caption", "t.csv", "a,b\n1,2\n"))],
        "Footer",
    )
    parser = Collector()
    parser.feed(html)
    assert "table" in parser.tags and "script" not in parser.tags
    assert all(s.startswith(("data:", "#")) for s in parser.sources)  # nothing from the network, nothing beside it
    assert "People &lt;in&gt; DDNs" in html and "class='number'>2,334,856</td>" in html
    csv = next(s for s in parser.sources if s.startswith("data:text/csv"))
    assert base64.b64decode(csv.split(",", 1)[1]) == b"a,b\n1,2\n"


def test_image_embeds_the_png_with_its_caption(tmp_path):
    png = tmp_path / "f.png"
    png.write_bytes(b"\x89PNG fake")
    (tmp_path / "f.caption.md").write_text("The caption.\n")
    html = report.image(png, "A figure")
    assert "data:image/png;base64," in html and "The caption." in html and "alt='A figure'" in html


DICTIONARY = pd.DataFrame(
    [
        ("census21_ts065_employment_history_oa21", "ts065_0001", "number", "not in employment", "ts0650001"),
        ("census21_ts062_nssec_oa21", "ts062_0001", "number", "residents 16+", "ts0620001"),
    ],
    columns=["table", "column", "kind", "description", "source_column"],
)


def test_measures_trace_to_clean_columns_or_their_derivation():
    tables, columns, how = measure_origin("ts065_0001", DICTIONARY)
    assert tables == ["census21_ts065_employment_history_oa21"] and "ts0650001" in columns and how == "copied"
    tables, _, how = measure_origin("le_male_2016_20_x_pop", DICTIONARY)
    assert "life_expectancy_2016_20_msoa11" in tables and "life expectancy" in how


def test_headline_chain_runs_from_raw_files_to_the_comparison_row():
    figures = {"not_in_work": {"statistic": "Not in work", "indicator": "not_in_employment", "source": "cpp"}}
    indicators = {
        "not_in_employment": {
            "numerator": ["ts065_0001"],
            "denominator": ["ts062_0001"],
            "definition": "a ÷ b",
            "unit": "share",
        }
    }
    raw = {
        "census21_ts065_employment_history_oa21": ["resources/raw/x/ts065.parquet"],
        "census21_ts062_nssec_oa21": ["resources/raw/y/ts062.parquet"],
    }
    stages = {
        k: f"results/{k}"
        for k in (
            "bridge",
            "weights",
            "census_measures",
            "lsoa_measures",
            "membership",
            "ward_measures",
            "group_indicators",
            "comparison",
        )
    }
    chain = headline_chain(figures, indicators, DICTIONARY, raw, stages)
    assert chain["step"].tolist() == sorted(chain["step"])
    assert chain.iloc[0]["stage"] == "raw" and chain.iloc[-1]["file"] == "results/comparison"
    assert {"resources/raw/x/ts065.parquet", "results/bridge", "results/census_measures"} <= set(chain["file"])
    assert "results/lsoa_measures" not in set(chain["file"])  # Census measures only
    assert re.search("ts065_0001", " ".join(chain["columns"]))
