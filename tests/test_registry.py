import copy
import csv
import re

import pytest
from conftest import MIRROR, ROOT

from ddn_pipeline.registry import RegistryError, load_registry, parse_registry
from ddn_pipeline.schema import load_yaml

SHA = "a" * 64


def entry(**changes):
    base = {
        "title": "A table",
        "publisher": "ONS",
        "landing_page": "https://example.org/",
        "licence": "OGL v3.0",
        "format": "csv",
        "required": False,
        "used_for": "tests",
        "mirror_path": "raw/a.csv",
        "urls": ["https://example.org/a.csv"],
        "sha256": SHA,
        "bytes": 3,
    }
    base.update(changes)
    return base


def test_project_registry_is_valid_and_names_what_the_mirror_lacks():
    datasets = load_registry(ROOT / "datasets.yaml")
    for dataset_id in [
        "census21_ts066_economic_activity_oa21",
        "census21_ts060_industry_oa21",
        "iod2019_scores_lsoa11",
        "iod2019_all_ranks_scores_lsoa11",
        "bres_employment_lsoa11",
        "gva_small_area_lsoa21",
        "dft_journey_times_lsoa11",
        "claimant_count_lsoa11",
    ]:
        assert datasets[dataset_id].files[0].sha256 is None
        assert datasets[dataset_id].files[0].mirror_path is None


@pytest.mark.integration
def test_registry_checksums_agree_with_the_mirror_manifests():
    manifest = {}
    for name in ["MANIFEST-geography.tsv", "MANIFEST-outcomes.tsv"]:
        with open(MIRROR / name, encoding="utf-8") as handle:
            manifest.update({row["path"]: row["sha256"] for row in csv.DictReader(handle, delimiter="\t")})
    files = [f for d in load_registry(ROOT / "datasets.yaml").values() for f in d.files if f.mirror_path]
    assert len(files) > 500
    assert {f.mirror_path: f.sha256 for f in files} == {f.mirror_path: manifest[f.mirror_path] for f in files}


def test_single_file_name_comes_from_mirror_path():
    datasets = parse_registry({"datasets": {"a_lsoa11": entry()}})
    (only,) = datasets["a_lsoa11"].files
    assert (only.name, only.urls, only.mirror_path) == ("a.csv", ("https://example.org/a.csv",), "raw/a.csv")


def test_multi_file_templates_expand_per_file():
    document = {
        "datasets": {
            "tiles_oa21": entry(
                mirror_path="raw/t/{name}", urls=["https://example.org/t/{name}"], sha256=None, bytes=None
            )
        }
    }
    del document["datasets"]["tiles_oa21"]["sha256"], document["datasets"]["tiles_oa21"]["bytes"]
    document["datasets"]["tiles_oa21"]["files"] = [
        {"name": "1/x.csv", "sha256": SHA},
        {"name": "2/x.csv", "sha256": SHA},
    ]
    files = parse_registry(document)["tiles_oa21"].files
    assert [f.urls[0] for f in files] == ["https://example.org/t/1/x.csv", "https://example.org/t/2/x.csv"]
    assert [f.mirror_path for f in files] == ["raw/t/1/x.csv", "raw/t/2/x.csv"]


@pytest.mark.parametrize(
    "change, message",
    [
        ({"licence": None}, r"at 'datasets/a_lsoa11/licence'"),
        ({"sha256": "not-a-checksum"}, r"at 'datasets/a_lsoa11/sha256'"),
        ({"urls": ["ftp://example.org/a.csv"]}, r"at 'datasets/a_lsoa11/urls/0'"),
        ({"homepage": "x"}, r"'homepage' was unexpected"),
    ],
)
def test_invalid_entries_are_named(change, message):
    with pytest.raises(RegistryError, match=message):
        parse_registry({"datasets": {"a_lsoa11": entry(**change)}})


def test_missing_required_field_is_named():
    bad = entry()
    del bad["title"]
    with pytest.raises(RegistryError, match=r"at 'datasets/a_lsoa11'.*'title' is a required property"):
        parse_registry({"datasets": {"a_lsoa11": bad}})


def test_multi_file_dataset_needs_name_placeholder():
    bad = entry(files=[{"name": "a.csv", "sha256": SHA}, {"name": "b.csv", "sha256": SHA}])
    del bad["sha256"], bad["bytes"]
    with pytest.raises(RegistryError, match=r"lacks '\{name\}'"):
        parse_registry({"datasets": {"a_lsoa11": bad}})


def test_bad_dataset_id_is_rejected():
    with pytest.raises(RegistryError, match="does not match"):
        parse_registry({"datasets": {"Bad-Id": entry()}})


def test_project_registry_entries_are_complete():
    document = load_yaml(ROOT / "datasets.yaml")
    for dataset_id, item in document["datasets"].items():
        assert item["urls"][0].startswith("https://"), dataset_id
        if item["mirror_path"]:
            assert item.get("sha256") or all(f["sha256"] for f in item["files"]), dataset_id
    broken = copy.deepcopy(document)
    broken["datasets"]["cni2019_ward17"]["required"] = "yes"
    with pytest.raises(RegistryError, match="cni2019_ward17/required"):
        parse_registry(broken)


TABLE = {
    "description": "Population by single year of age",
    "reader": "rda",
    "geography": "lsoa11",
    "expected_rows": 2,
    "columns": [{"name": "lsoa11_code", "source": "code", "kind": "code", "description": "LSOA 2011 code"}],
    "single_years_of_age": "Persons aged {age}, mid-2019",
}


def test_table_block_becomes_the_clean_table_named_by_the_dataset():
    table = parse_registry({"datasets": {"pop_lsoa11": entry(table=TABLE)}})["pop_lsoa11"].table
    assert table.name == "pop_lsoa11" and table.key_columns == ("lsoa11_code",)
    names = [c.name for c in table.columns]
    assert names[:3] == ["lsoa11_code", "age_0", "age_1"] and names[-1] == "age_90_plus" and len(names) == 92
    assert table.columns[-1].source == "90+" and table.columns[-1].description == "Persons aged 90+, mid-2019"


def test_dataset_without_table_block_has_no_table():
    assert parse_registry({"datasets": {"a_lsoa11": entry()}})["a_lsoa11"].table is None


@pytest.mark.parametrize(
    "change, message",
    [
        ({"reader": "docx"}, "at 'datasets/a_lsoa11/table/reader': 'docx' is not one of"),
        ({"geography": "lsoa99"}, "at 'datasets/a_lsoa11/table/geography'"),
        (
            {"columns": [{"name": "Bad Name", "source": "x", "kind": "code", "description": "d"}]},
            "'Bad Name' does not match",
        ),
        ({"colums": []}, "'colums' was unexpected"),
    ],
)
def test_invalid_table_blocks_are_named(change, message):
    with pytest.raises(RegistryError, match=re.escape(message)):
        parse_registry({"datasets": {"a_lsoa11": entry(table={**TABLE, **change})}})


def test_data_package_lists_each_table_with_typed_fields():
    import pandas as pd

    from ddn_pipeline.registry import data_package

    dictionary = pd.DataFrame(
        [("t_lsoa11", "lsoa11_code", "code", "LSOA 2011 code", "code"), ("t_lsoa11", "flagged", "flag", "a flag", "F")],
        columns=["table", "column", "kind", "description", "source_column"],
    )
    resource = {
        "title": "T",
        "publisher": "ONS",
        "landing_page": "https://x",
        "licence": "OGL",
        "description": "d",
        "key_columns": ["lsoa11_code"],
    }
    package = data_package({"t_lsoa11": resource}, dictionary)
    (only,) = package["resources"]
    assert only["path"] == "t_lsoa11.parquet" and only["schema"]["primaryKey"] == ["lsoa11_code"]
    assert [(f["name"], f["type"]) for f in only["schema"]["fields"]] == [
        ("lsoa11_code", "string"),
        ("flagged", "boolean"),
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"mirror_path": "/etc/passwd"},
            r"'a_lsoa11': mirror_path '/etc/passwd' is not a relative path inside the mirror",
        ),
        ({"mirror_path": "../../../etc/passwd"}, r"mirror_path '\.\./\.\./\.\./etc/passwd' is not a relative path"),
        ({"mirror_path": "raw/../../x.csv"}, r"mirror_path 'raw/\.\./\.\./x\.csv' is not a relative path"),
        ({"filename": "../escape.csv"}, r"'a_lsoa11': filename '\.\./escape\.csv' is not a file name, with no folder"),
        ({"filename": "/tmp/escape.csv"}, r"filename '/tmp/escape\.csv' is not a file name"),
        (
            {
                "files": [{"name": "../x.csv", "sha256": SHA}],
                "sha256": None,
                "mirror_path": "raw/{name}",
                "urls": ["https://example.org/{name}"],
            },
            r"files name '\.\./x\.csv' is not a relative path inside its raw folder",
        ),
    ],
)
def test_registry_paths_stay_inside_their_folders(change, message):
    document = {"datasets": {"a_lsoa11": entry(**change)}}
    if "files" in change:
        for key in ("sha256", "bytes"):
            document["datasets"]["a_lsoa11"].pop(key)
    with pytest.raises(RegistryError, match=message):
        parse_registry(document)
