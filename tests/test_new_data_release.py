"""docs/new-data-release.md followed step by step on a tiny synthetic Census table (TS054 tenure, as in the doc):
a registry entry, its retrieval from a mirror, its clean table, its counts on wards 2017, a new indicator, and the
indicator pooled per group in group_indicators.csv. Every file is made here, under tmp_path; the project's own
scripts run on them as their rules would run them (scripts/clean_census_tables.py, aggregate_census21_ward17.py,
compute_indicators.py), with a `snakemake` object built as ddn_pipeline.mock builds one."""

import hashlib
import re
import runpy
import textwrap

import pandas as pd
import pytest
from conftest import ROOT

from ddn_pipeline import logs
from ddn_pipeline.reference import load_reference
from ddn_pipeline.registry import load_registry
from ddn_pipeline.retrieve import retrieve_dataset
from ddn_pipeline.schema import CACHE_ENV

DOC = ROOT / "docs" / "new-data-release.md"
NEW_ID = "census21_ts054_tenure_oa21"
INDICATOR = "social_rented_households"


def doc_blocks():
    """The doc's two YAML blocks, as a reader copies them: the registry entry (section 2) and the indicator (section 5)."""
    blocks = re.findall(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
    assert len(blocks) == 2, "docs/new-data-release.md should show two YAML blocks: the registry entry, the indicator"
    return blocks


def filled_in(entry, **values):
    """The registry entry with the synthetic file's checksum, size and England row count in place of the doc's."""
    for pattern, value in [
        (r"sha256: <[^>\n]*>", f"sha256: {values['sha256']}"),
        (r"bytes: <[^>\n]*>", f"bytes: {values['bytes']}"),
        (r"expected_rows: 178605", f"expected_rows: {values['expected_rows']}"),
    ]:
        entry, found = re.subn(pattern, value, entry)
        assert found == 1, f"docs/new-data-release.md: the registry entry should have one line matching {pattern!r}"
    return entry


# Table_Metadata.csv (dataset census21_variables): the Census column codes of TS001 and TS054 (TS054 abridged).
METADATA = textwrap.dedent(
    """\
    Table_Name,Variable_Name,Type,new_names,Table_ID,old_names
    Residence type,Total: All usual residents,NA,ts0010001,ts001,Residence type: Total
    Residence type,Lives in a household,NA,ts0010002,ts001,Residence type: Lives in a household
    Tenure of household,Total: All households,NA,ts0540001,ts054,Tenure of household: Total: All households
    Tenure of household,Owned,NA,ts0540002,ts054,Tenure of household: Owned
    Tenure of household,Social rented,NA,ts0540007,ts054,Tenure of household: Social rented
    """
)

# Five English Output Areas (and one Welsh, which cleaning drops) in three LSOAs 2021, which reach four wards 2017.
OA_LSOA = {
    "E00000001": "E01000001",
    "E00000002": "E01000001",
    "E00000003": "E01000002",
    "E00000004": "E01000003",
    "E00000005": "E01000003",
}
HOUSEHOLDS = {"E00000001": 100.0, "E00000002": 50.0, "E00000003": 80.0, "E00000004": 60.0, "E00000005": 40.0}
SOCIAL_RENTED = {"E00000001": 30.0, "E00000002": 20.0, "E00000003": 40.0, "E00000004": 6.0, "E00000005": 4.0}
# LSOA 2021 -> ward 2017 weights (results/geography/lsoa21_ward17_bridge.parquet): E01000002 is shared half and half
BRIDGE = [
    ("E01000001", "E05000001", 1.0),
    ("E01000002", "E05000002", 0.5),
    ("E01000002", "E05000003", 0.5),
    ("E01000003", "E05000004", 1.0),
]
# ward groups (results/classification/ward17_groups.parquet) on the published and the reproduced 2019 lists
GROUPS = {
    "E05000001": ("ddn", "ddn"),
    "E05000002": ("other_deprived", "ddn"),
    "E05000003": ("rest_of_england", "rest_of_england"),
    "E05000004": ("ddn", "other_deprived"),
}

# By hand. Wards: E05000001 = OAs 1+2: 50 social rented of 150 households; E05000002 and E05000003 = half of OA 3
# each: 20 of 40; E05000004 = OAs 4+5: 10 of 100.
EXPECTED = {
    # published list: ddn = E05000001 + E05000004, other_deprived = E05000002, rest = E05000003
    ("published", "ddn"): (60.0, 250.0),
    ("published", "other_deprived"): (20.0, 40.0),
    ("published", "rest_of_england"): (20.0, 40.0),
    ("published", "england"): (100.0, 330.0),
    # reproduced list: ddn = E05000001 + E05000002, other_deprived = E05000004
    ("reproduced", "ddn"): (70.0, 190.0),
    ("reproduced", "other_deprived"): (10.0, 100.0),
    ("reproduced", "rest_of_england"): (20.0, 40.0),
    ("reproduced", "england"): (100.0, 330.0),
}


class Files(list):
    """What a script reads of a job's input or output files: the paths in order, and each named item (a path, or a
    list of paths) by attribute, by name and by get()."""

    def __init__(self, named):
        self.named = {key: list(map(str, v)) if isinstance(v, list) else str(v) for key, v in named.items()}
        super().__init__(path for v in self.named.values() for path in (v if isinstance(v, list) else [v]))

    def __getattr__(self, name):
        try:
            return self.__dict__["named"][name]
        except KeyError:
            raise AttributeError(name) from None

    def __getitem__(self, key):
        return self.named[key] if isinstance(key, str) else super().__getitem__(key)

    def keys(self):
        return self.named.keys()

    def get(self, key, default=None):
        return self.named.get(key, default)


def job(rule, input, output, params):
    """The `snakemake` object a rule's script receives, as far as the scripts read it, without a log file."""
    from types import SimpleNamespace

    return SimpleNamespace(
        input=Files(input),
        output=Files(output),
        params=SimpleNamespace(**params),
        wildcards={},
        threads=1,
        resources={},
        log=[],
        config={},
        rule=rule,
        scriptdir=str(ROOT / "scripts"),
    )


def run_script(name, smk):
    """Run scripts/<name>.py as its rule runs it: the script calls ddn_pipeline.logs.run(main, snakemake)."""
    runpy.run_path(str(ROOT / "scripts" / f"{name}.py"), init_globals={"snakemake": smk}, run_name=name)


def write_parquet(frame, path):
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_parquet(path, index=False)
    return path


def census_parquet(path, table_id, columns):
    """A Census OA parquet as the repackaging has it: column OA, then coded float columns; one Welsh row."""
    frame = pd.DataFrame({"OA": [*OA_LSOA, "W00000001"]})
    for code, values in columns.items():
        frame[f"{table_id}{code}"] = [*(values[oa] for oa in OA_LSOA), 999.0]
    return write_parquet(frame, path)


@pytest.fixture
def quiet_logging(monkeypatch):
    """The scripts' logging goes to pytest's capture: logs.run would otherwise reconfigure the root logger."""
    monkeypatch.setattr(logs, "configure", lambda log_path=None: None)
    monkeypatch.delenv(CACHE_ENV, raising=False)


def test_a_new_census_table_and_its_indicator_reach_the_group_table(tmp_path, quiet_logging):
    mirror, work = tmp_path / "mirror", tmp_path / "work"

    # the raw file, in a mirror laid out as the entry's mirror_path says
    raw = census_parquet(
        mirror / "raw" / "census" / "ts054.parquet",
        "ts054",
        {"0001": HOUSEHOLDS, "0002": {oa: HOUSEHOLDS[oa] - SOCIAL_RENTED[oa] for oa in OA_LSOA}, "0007": SOCIAL_RENTED},
    )

    registry_entry, indicator_entry = doc_blocks()

    # Section 2: the registry entry, appended to a copy of the project's datasets.yaml, loads and validates
    entry = filled_in(
        registry_entry,
        sha256=hashlib.sha256(raw.read_bytes()).hexdigest(),
        bytes=raw.stat().st_size,
        expected_rows=len(OA_LSOA),
    )
    registry_path = tmp_path / "datasets.yaml"
    registry_path.write_text((ROOT / "datasets.yaml").read_text(encoding="utf-8") + entry, encoding="utf-8")
    datasets = load_registry(registry_path)
    dataset = datasets[NEW_ID]
    # a Census table: the workflow cleans it in clean_census21_oa_tables and aggregates it (rules/common.smk)
    census_tables = [name for name, d in datasets.items() if d.table is not None and d.table.reader == "census"]
    assert NEW_ID in census_tables
    assert dataset.files[0].name == "ts054.parquet"

    # Section 2, checked: retrieval from the mirror verifies the sha256 (rule retrieve_<id>)
    record = retrieve_dataset(dataset, work / "resources" / "raw" / NEW_ID, mirror, True, {})
    assert record["status"] == "available", record
    raw_new = work / "resources" / "raw" / NEW_ID / "ts054.parquet"

    # Section 3: the clean table, in the Census job beside TS001 (which the aggregation needs for its coverage check)
    raw_ts001 = census_parquet(
        work / "resources" / "raw" / "census21_ts001_usual_residents_oa21" / "ts001.parquet",
        "ts001",
        {"0001": {oa: 2.5 * n for oa, n in HOUSEHOLDS.items()}, "0002": {oa: 2.4 * n for oa, n in HOUSEHOLDS.items()}},
    )
    metadata = work / "resources" / "raw" / "census21_variables" / "Table_Metadata.csv"
    metadata.parent.mkdir(parents=True)
    metadata.write_text(METADATA, encoding="utf-8")
    ts001_spec = {**datasets["census21_ts001_usual_residents_oa21"].meta["table"], "expected_rows": len(OA_LSOA)}
    tables = {"census21_ts001_usual_residents_oa21": ts001_spec, NEW_ID: dataset.meta["table"]}
    clean = {name: work / "results" / "clean" / f"{name}.parquet" for name in tables}
    dictionaries = {name: work / "results" / "clean" / "dictionary" / f"{name}.csv" for name in tables}
    for path in [*clean.values(), *dictionaries.values()]:
        path.parent.mkdir(parents=True, exist_ok=True)
    run_script(
        "clean_census_tables",
        job(
            "clean_census21_oa_tables",
            input={"files": [str(raw_ts001), str(raw_new)], "metadata": [str(metadata)]},
            output={"tables": list(map(str, clean.values())), "dictionaries": list(map(str, dictionaries.values()))},
            params={
                "tables": tables,
                "files": {"census21_ts001_usual_residents_oa21": [str(raw_ts001)], NEW_ID: [str(raw_new)]},
                # the new file is checked against its registry entry before it is read; the others as retrieved
                "checksums": {
                    str(raw_new): dataset.files[0].sha256,
                    **{str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in (raw_ts001, metadata)},
                },
            },
        ),
    )
    cleaned = pd.read_parquet(clean[NEW_ID])
    assert cleaned.columns.tolist() == ["oa21_code", "ts054_0001", "ts054_0002", "ts054_0007"]
    assert cleaned["oa21_code"].tolist() == list(OA_LSOA)  # the Welsh row dropped
    described = pd.read_csv(dictionaries[NEW_ID]).set_index("column")["description"]
    assert described["ts054_0007"] == "Tenure of household: Social rented"

    # the geography stage's products the aggregation reads
    lookup = write_parquet(
        pd.DataFrame({"oa21_code": list(OA_LSOA), "lsoa21_code": list(OA_LSOA.values())}),
        work / "results" / "clean" / "lookup_oa21_lsoa21.parquet",
    )
    bridge = write_parquet(
        pd.DataFrame(BRIDGE, columns=["lsoa21_code", "ward17_code", "weight"]).assign(change_codes="U"),
        work / "results" / "geography" / "lsoa21_ward17_bridge.parquet",
    )

    # Section 4: Census counts to wards 2017 (rule aggregate_census21_ward17)
    indicators_dir = work / "results" / "indicators"
    indicators_dir.mkdir(parents=True)
    census_measures = indicators_dir / "census21_measures_ward17.parquet"
    census_coverage = indicators_dir / "coverage_census21.csv"
    run_script(
        "aggregate_census21_ward17",
        job(
            "aggregate_census21_ward17",
            input={
                **{name: str(path) for name, path in clean.items()},
                "oa_lsoa21": str(lookup),
                "bridge": str(bridge),
            },
            output={
                "measures": str(census_measures),
                "lsoa21": str(indicators_dir / "census21_measures_lsoa21.parquet"),
                "coverage": str(census_coverage),
            },
            params={"coverage_floor": 0.995, "census_tables": census_tables},
        ),
    )
    wards = pd.read_parquet(census_measures).set_index("ward17_code")
    assert wards.loc["E05000002", ["ts054_0007", "ts054_0001"]].tolist() == [20.0, 40.0]

    # Section 5: the indicator, added under `indicators:` in a copy of reference/indicators.yaml
    text = (ROOT / "reference" / "indicators.yaml").read_text(encoding="utf-8")
    assert "\nindicators:\n" in text
    indicators_path = tmp_path / "indicators.yaml"
    indicators_path.write_text(
        text.replace("\nindicators:\n", "\nindicators:\n" + indicator_entry, 1), encoding="utf-8"
    )
    reference = load_reference(indicators_path, ROOT / "reference" / "published_figures.yaml", set(datasets))
    assert reference.indicators[INDICATOR]["numerator"] == ["ts054_0007"]

    # Section 5, continued: pooled per group (rule compute_indicators), with the classification's groups and the LSOA measures
    groups = write_parquet(
        pd.DataFrame(
            {
                "ward17_code": list(GROUPS),
                "ward17_name": ["Ward one", "Ward two", "Ward three", "Ward four"],
                "lad_name": "An authority",
                "region_name": "North East",
                "group": [published for published, _ in GROUPS.values()],
                "group_published_list": [published for published, _ in GROUPS.values()],
                "group_reproduced_list": [reproduced for _, reproduced in GROUPS.values()],
            }
        ),
        work / "results" / "classification" / "ward17_groups.parquet",
    )
    lsoa_measures = write_parquet(
        pd.DataFrame({"ward17_code": list(GROUPS), "population": [400.0, 100.0, 100.0, 250.0]}),
        indicators_dir / "lsoa11_measures_ward17.parquet",
    )
    lsoa_coverage = indicators_dir / "coverage_lsoa11.csv"
    lsoa_coverage.write_text("bridge,measure,share\nLSOA 2011 -> ward 2017 (best fit),population,1.0\n")
    outputs = {
        name: str(indicators_dir / file)
        for name, file in {
            "measures": "ward17_measures.parquet",
            "wards": "ward17_indicators.csv",
            "groups": "group_indicators.csv",
            "dictionary": "indicator_dictionary.csv",
            "not_computed": "not_computed.csv",
            "coverage": "bridge_coverage.csv",
        }.items()
    }
    run_script(
        "compute_indicators",
        job(
            "compute_indicators",
            input={
                "census": str(census_measures),
                "lsoa": str(lsoa_measures),
                "coverage": [str(census_coverage), str(lsoa_coverage)],
                "groups": str(groups),
                "groups_2025": [],
                "records": [],
            },
            output=outputs,
            params={"definitions": reference.indicators, "not_computed": reference.not_computed},
        ),
    )

    # What section 5 says to check: the group table, the dictionary, the ward table, not_computed.csv
    table = pd.read_csv(outputs["groups"])
    rows = table[table["indicator"] == INDICATOR].set_index(["ddn_list", "group"])
    assert sorted(rows.index) == sorted(EXPECTED)
    for key, (numerator, denominator) in EXPECTED.items():
        assert rows.loc[key, "numerator"] == numerator, key
        assert rows.loc[key, "denominator"] == denominator, key
        assert rows.loc[key, "value"] == pytest.approx(numerator / denominator, rel=1e-12), key
    assert rows.loc[("published", "ddn"), "value"] == pytest.approx(0.24)
    assert rows.loc[("reproduced", "other_deprived"), "value"] == pytest.approx(0.10)

    dictionary = pd.read_csv(outputs["dictionary"]).set_index("indicator")
    assert bool(dictionary.loc[INDICATOR, "computed"])
    assert dictionary.loc[INDICATOR, "numerator"] == "ts054_0007"
    ward_values = pd.read_csv(outputs["wards"]).set_index("ward17_code")[INDICATOR]
    assert ward_values.to_dict() == {"E05000001": 50 / 150, "E05000002": 0.5, "E05000003": 0.5, "E05000004": 0.1}
    assert INDICATOR not in set(pd.read_csv(outputs["not_computed"])["indicator"])
