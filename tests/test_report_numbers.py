"""Every number the report states comes from results/report_numbers.csv, and every one of those from its table."""

import re
from html.parser import HTMLParser

import pandas as pd
import pytest

from ddn_pipeline.report import Glossary, Numbers
from ddn_pipeline.report_numbers import Number, ReportNumberError, report_numbers

SUMMARY = pd.DataFrame(
    {
        "breakdown": ["group", "group", "ddn_by_region", "ddn_by_region"],
        "group": ["ddn", "england", "", ""],
        "region_name": ["", "", "North East", "London"],
        "wards": [3, 10, 1, 2],
        "population_iod2019_mid2015": [1234.0, 9999.0, 0.0, 0.0],
    }
)


def test_each_number_is_read_by_its_rule_and_shown_in_its_unit():
    numbers = report_numbers({"summary": SUMMARY}, {"summary": "results/classification/group_summary.csv"})
    shown = dict(zip(numbers["id"], numbers["shown"]))
    assert shown["ddn_wards"] == "3" and shown["ddn_people"] == "1,234" and shown["england_wards"] == "10"
    assert shown["top_region"] == "London" and shown["top_region_wards"] == "2" and shown["regions_with_ddns"] == "2"
    # a number whose table this run lacks is left out, not guessed
    assert "ddn_2025" not in shown
    row = numbers.set_index("id").loc["ddn_people"]
    assert row["file"] == "results/classification/group_summary.csv" and row["column"] == "population_iod2019_mid2015"


def test_a_rule_that_selects_several_rows_for_one_value_is_refused():
    number = Number("x", "summary", "breakdown == 'group'", "wards", "value")
    with pytest.raises(ReportNumberError, match="selects 2 rows of summary; expected one"):
        number.read(SUMMARY)


def test_numbers_are_spans_and_the_words_around_them_are_escaped():
    numbers = Numbers(pd.DataFrame({"id": ["a", "b"], "shown": ["1,262", "<b>"]}))
    html = numbers.text("{a} of <them> & {b}")
    assert html == ("<span data-number='a'>1,262</span> of &lt;them&gt; &amp; <span data-number='b'>&lt;b&gt;</span>")


def test_a_term_is_linked_at_its_first_use_only_and_never_inside_a_tag():
    glossary = Glossary([("LSOA", "term-lsoa", "a neighbourhood"), ("MSOA", "term-msoa", "five LSOAs")])
    first = glossary.link("<span data-number='LSOA'>3</span> LSOAs and one LSOA")
    assert first.count("href='#term-lsoa'") == 1 and "data-number='LSOA'" in first
    assert "<a class='term' href='#term-lsoa'>LSOAs</a> and one LSOA" in first
    assert "href" not in glossary.link("another LSOA")
    assert "<dt id='term-msoa'>MSOA</dt><dd>five LSOAs</dd>" in glossary.section()


class ReportReader(HTMLParser):
    """The report's numbers (data-number spans), the prose around them, and its tables' cells by id."""

    PROSE = {"p", "li"}

    def __init__(self):
        super().__init__()
        self.spans, self.loose, self.tables = [], [], {}
        self.stack, self.span, self.table, self.row, self.cell = [], None, None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.stack.append("names" if attrs.get("class") == "sources" else tag)  # dataset names: File 9, v3.0
        if tag == "span" and "data-number" in attrs:
            self.span = [attrs["data-number"], ""]
        elif tag == "figure" and attrs.get("id"):
            self.table = attrs["id"]
            self.tables[self.table] = []
        elif tag == "tr" and self.table:
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = ""

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop() not in (tag, "names"):
            pass
        if tag == "span" and self.span:
            self.spans.append(tuple(self.span))
            self.span = None
        elif tag in ("td", "th") and self.cell is not None:
            self.row.append(self.cell)
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.tables[self.table].append(self.row)
            self.row = None
        elif tag == "figure":
            self.table = None

    def handle_data(self, data):
        if self.span is not None:
            self.span[1] += data
        elif self.cell is not None:
            self.cell += data
        elif self.PROSE & set(self.stack) and not {"table", "figcaption", "dd", "names"} & set(self.stack):
            self.loose.append(data)


# Numbers the prose may state as words of its own: years and editions, the report's 10% cut and the sweep's range,
# and the published population the first card quotes.
LITERALS = re.compile(r"^(19|20)\d\d(-\d\d)?$|^(5|10|20)%$|^2\.3$|^16\+?$|^16-64$|^0\d{2}[A-Z]?$")


@pytest.mark.integration
def test_every_number_on_the_page_is_the_table_s(mirror_run):
    """Each number in a card or a sentence is a span whose text is report_numbers.csv's; each of those is what its
    file, rows, column and rule give when recomputed here; the findings table is published_numbers_readable.csv.
    On the code that compared flags with the text 'True', the 2025 numbers were 0 and this fails."""
    results = mirror_run / "results"
    numbers = pd.read_csv(results / "report_numbers.csv", keep_default_na=False)
    for row in numbers.itertuples():
        table = pd.read_csv(mirror_run / row.file)
        selected = table.query(row.rows) if row.rows else table
        expected = {
            "count": lambda: len(selected),
            "sum": lambda: selected[row.column].sum(),
            "max": lambda: selected[row.column].max(),
            "min": lambda: selected[row.column].min(),
            "value": lambda: selected[row.column].item(),
        }.get(row.how, lambda: selected.sort_values("wards", ascending=False)[row.column].iloc[0])()
        if row.unit == "text":
            assert row.value == expected, row.id
        else:
            assert float(row.value) == pytest.approx(float(expected)), row.id
            assert row.shown == f"{float(expected):,.0f}", row.id

    # the key ones, computed here from the tables without the rules above
    wards = pd.read_csv(results / "classification" / "ward17_groups.csv")
    changes = pd.read_csv(results / "classification" / "ward17_ddn_2019_vs_2025.csv")
    verdicts = pd.read_csv(results / "benchmark" / "published_numbers.csv")["verdict"].value_counts()
    shown = dict(zip(numbers["id"], numbers["shown"]))
    assert shown["ddn_wards"] == str(int((wards["group_published_list"] == "ddn").sum()))
    assert shown["ddn_2025"] == str(int(changes["ddn_2025"].sum())) != "0"
    assert shown["ddn_2025_stays"] == str(int((changes["ddn_2025"] & changes["ddn_2019_published"]).sum()))
    assert shown["numbers_reproduced"] == str(int(verdicts.get("matches", 0) + verdicts.get("holds", 0)))

    reader = ReportReader()
    reader.feed((results / "report.html").read_text(encoding="utf-8"))
    assert len(reader.spans) >= 40
    for number_id, text in reader.spans:
        assert text == shown[number_id], number_id
    loose = [n for text in reader.loose for n in re.findall(r"\d[\d,.]*%?\+?(?:-\d+)?", text)]
    assert [n for n in loose if not LITERALS.match(n.rstrip(".,"))] == []

    findings = pd.read_csv(results / "benchmark" / "published_numbers_readable.csv", keep_default_na=False)
    rendered = reader.tables["findings-table"]
    assert rendered[0] == list(findings.columns)
    assert rendered[1:] == findings.astype(str).values.tolist()


def test_no_code_compares_a_flag_with_text():
    """Flags are booleans everywhere: a flag compared with 'True' is always false once read as a boolean."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    sources = [*(root / "src").rglob("*.py"), *(root / "scripts").glob("*.py"), *(root / "rules").glob("*.smk")]
    flag_as_text = re.compile(r"""(==|!=)\s*['"](True|False)['"]""")
    assert [str(p.relative_to(root)) for p in sources if flag_as_text.search(p.read_text(encoding="utf-8"))] == []
