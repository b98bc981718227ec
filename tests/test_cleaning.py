"""Cleaners on small synthetic files: the real table specs with England counts scaled down to the fixture."""

from dataclasses import replace

import pandas as pd
import pytest
from conftest import registry_tables

from ddn_pipeline.cleaning import clean
from ddn_pipeline.errors import PipelineError
from ddn_pipeline.files import write_parquet
from ddn_pipeline.validate import ValidationError, check_unique

TABLES_BY_NAME = registry_tables()

CNI_HEADER = (
    "ward17_code,ward17_name,lad19_code,lad19_name,Civic Assets score,Civic Assets rank,Connectedness score,Connectedness rank,"
    "Engaged community score,Engaged community rank,Community Needs Index score,Community Needs Index rank,Left Behind Area?"
)


def cni_csv(write_csv, rows, header=CNI_HEADER):
    lines = [header] + [
        f"{code},Ward {i},E09000002,Barking,1.5,{i},2,{i},3,{i},{score},{rank},{flag}"
        for i, (code, score, rank, flag) in enumerate(rows, start=1)
    ]
    return write_csv("cni.csv", "\n".join(lines) + "\n")


def spec(name, rows):
    return replace(TABLES_BY_NAME[name], expected_rows=rows)


GOOD_CNI = [("E05000026", "45.1", "2", "False"), ("E05000027", "56.3", "1", "True"), ("E05000028", "10", "3", "FALSE")]


def test_cni_is_cleaned_renamed_and_typed(write_csv):
    frame, dictionary = clean(spec("cni2019_ward17", 3), [cni_csv(write_csv, GOOD_CNI)])
    assert frame["ward17_code"].tolist() == ["E05000026", "E05000027", "E05000028"]
    assert frame["left_behind_published"].tolist() == [False, True, False]
    assert frame["cni_rank"].tolist() == [2.0, 1.0, 3.0]
    assert frame["cni_score"].dtype == "float64"
    assert dictionary.set_index("column").loc["cni_rank", "source_column"] == "Community Needs Index rank"


def test_wrong_header_names_the_missing_column(write_csv):
    path = cni_csv(write_csv, GOOD_CNI, header=CNI_HEADER.replace("Community Needs Index rank", "CNI rank"))
    with pytest.raises(ValidationError, match=r"cni.csv: missing column\(s\) 'Community Needs Index rank'"):
        clean(spec("cni2019_ward17", 3), [path])


def test_duplicated_code_is_named(write_csv):
    rows = GOOD_CNI[:2] + [("E05000026", "1", "3", "False")]
    with pytest.raises(ValidationError, match=r"column 'ward17_code' has duplicated codes 'E05000026'"):
        clean(spec("cni2019_ward17", 3), [cni_csv(write_csv, rows)])


def test_non_numeric_value_is_named_with_column_and_value(write_csv):
    rows = GOOD_CNI[:2] + [("E05000028", "n/a", "3", "False")]
    with pytest.raises(ValidationError, match=r"column 'cni_score' has non-numeric value\(s\) 'n/a'"):
        clean(spec("cni2019_ward17", 3), [cni_csv(write_csv, rows)])


def test_bad_flag_is_named(write_csv):
    rows = GOOD_CNI[:2] + [("E05000028", "1", "3", "maybe")]
    with pytest.raises(ValidationError, match=r"column 'left_behind_published' has value\(s\) \['maybe'\]"):
        clean(spec("cni2019_ward17", 3), [cni_csv(write_csv, rows)])


def test_wrong_count_is_reported(write_csv):
    with pytest.raises(ValidationError, match=r"3 England rows \(ward17_code\); expected 7,433"):
        clean(TABLES_BY_NAME["cni2019_ward17"], [cni_csv(write_csv, GOOD_CNI)])


def test_empty_file(write_csv):
    with pytest.raises(PipelineError, match="is empty"):
        clean(spec("cni2019_ward17", 3), [write_csv("cni.csv", "")])


def test_header_only_file_has_no_rows(write_csv):
    with pytest.raises(ValidationError, match="no data rows"):
        clean(spec("cni2019_ward17", 3), [write_csv("cni.csv", CNI_HEADER + "\n")])


def test_html_page_under_a_data_name(write_csv):
    with pytest.raises(PipelineError, match="HTML page"):
        clean(spec("cni2019_ward17", 3), [write_csv("cni.csv", "<!DOCTYPE html>\n<html><title>404</title></html>\n")])


LOOKUP_HEADER = "LSOA11CD,LSOA11NM,WD17CD,WD17NM,WD17NMW,LAD17CD,LAD17NM,FID"


def lookup_csv(write_csv, codes):
    lines = [LOOKUP_HEADER] + [f"{c},Name,E05009288,Ward,,E09000001,City,{i}" for i, c in enumerate(codes)]
    return write_csv("lookup.csv", "\n".join(lines) + "\n")


def test_welsh_rows_are_dropped_english_kept(write_csv):
    frame, _ = clean(spec("lookup_lsoa11_ward17", 2), [lookup_csv(write_csv, ["E01000001", "W01000001", "E01000002"])])
    assert frame["lsoa11_code"].tolist() == ["E01000001", "E01000002"]


def test_lsoa21_code_where_2011_expected(write_csv):
    with pytest.raises(ValidationError, match=r"code\(s\) after E01033768, the last LSOA 2011 code, e.g. 'E01035000'"):
        clean(spec("lookup_lsoa11_ward17", 2), [lookup_csv(write_csv, ["E01000001", "E01035000"])])


def test_code_of_another_geography(write_csv):
    with pytest.raises(
        ValidationError, match=r"'lsoa11_code' has 1 code\(s\) that are not LSOA 2011 codes .*'E02000001'"
    ):
        clean(spec("lookup_lsoa11_ward17", 2), [lookup_csv(write_csv, ["E01000001", "E02000001"])])


def census_files(tmp_path, counts):
    data = tmp_path / "ts062.parquet"
    pd.DataFrame(
        {"OA": ["E00000002", "E00000001", "W00000001"], "ts0620001": counts, "ts0620002": [1.0, 2.0, 3.0]}
    ).to_parquet(data)
    meta = tmp_path / "Table_Metadata.csv"
    meta.write_text(
        "Table_Name,Variable_Name,Type,new_names,Table_ID,old_names\n"
        "NS-SeC,Total,Value,ts0620001,ts062,x\nNS-SeC,L1 L2 and L3,Value,ts0620002,ts062,y\n"
        "Other,Total,Value,ts0010001,ts001,z\n"
    )
    return data, meta


def test_census_columns_are_decoded_from_metadata(tmp_path):
    data, meta = census_files(tmp_path, [10.0, 20.0, 30.0])
    frame, dictionary = clean(spec("census21_ts062_nssec_oa21", 2), [data], meta)
    assert frame.columns.tolist() == ["oa21_code", "ts062_0001", "ts062_0002"]
    assert frame["oa21_code"].tolist() == ["E00000001", "E00000002"]
    assert frame["ts062_0001"].tolist() == [20.0, 10.0]
    assert dictionary.set_index("column").loc["ts062_0002", "description"] == "NS-SeC: L1 L2 and L3"


def test_negative_count_is_rejected(tmp_path):
    data, meta = census_files(tmp_path, [10.0, -1.0, 30.0])
    with pytest.raises(ValidationError, match=r"column 'ts062_0001' has negative value -1.0 .*expected counts >= 0"):
        clean(spec("census21_ts062_nssec_oa21", 2), [data], meta)


def truncate(path):
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def test_truncated_parquet(tmp_path):
    data, meta = census_files(tmp_path, [10.0, 20.0, 30.0])
    with pytest.raises(ValidationError, match=r"ts062.parquet: cannot be read as parquet"):
        clean(spec("census21_ts062_nssec_oa21", 2), [truncate(data)], meta)


def file1_xlsx(tmp_path, codes):
    frame = pd.DataFrame(
        {
            "LSOA code (2011)": codes,
            "LSOA name (2011)": "x",
            "Local Authority District code (2019)": "E09000001",
            "Local Authority District name (2019)": "City",
            "Index of Multiple Deprivation (IMD) Rank": range(1, len(codes) + 1),
            "Index of Multiple Deprivation (IMD) Decile": 1,
        }
    )
    path = tmp_path / "file1.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame().to_excel(writer, sheet_name="Notes")
        frame.to_excel(writer, sheet_name="IMD2019", index=False)
    return path


def test_xlsx_sheet_is_read(tmp_path):
    frame, _ = clean(spec("imd2019_ranks_lsoa11", 2), [file1_xlsx(tmp_path, ["E01000002", "E01000001"])])
    assert frame["imd_rank"].tolist() == [2.0, 1.0]


def test_truncated_xlsx(tmp_path):
    with pytest.raises(ValidationError, match=r"file1.xlsx: cannot be read as xlsx"):
        clean(spec("imd2019_ranks_lsoa11", 2), [truncate(file1_xlsx(tmp_path, ["E01000002", "E01000001"]))])


def test_truncated_rda(tmp_path):
    pyreadr = pytest.importorskip("pyreadr")
    path = tmp_path / "pop.rda"
    frame = pd.DataFrame({"lsoa11_code": ["E01000001"], "total_population": [1500.0]})
    pyreadr.write_rdata(str(path), frame, df_name="population19_lsoa11")
    with pytest.raises(ValidationError, match=r"pop.rda: cannot be read as rda"):
        clean(spec("population_mid2019_lsoa11", 1), [truncate(path)])


def test_life_expectancy_2016_20_is_pivoted_keeping_suppressed_areas(tmp_path):
    rows = [
        (code, sex, le)
        for code, values in {"E02000001": (79.0, 83.0, 81.0), "E02000002": (None, None, None)}.items()
        for sex, le in zip(["Males", "Females", "Persons"], values)
    ]
    frame = pd.DataFrame(rows, columns=["Code", "Sex", "Life Expectancy at birth (in years)"]).assign(Population=100)
    path = tmp_path / "le.xlsx"
    frame.to_excel(path, sheet_name="Data", index=False)
    clean_frame, _ = clean(spec("life_expectancy_2016_20_msoa11", 2), [path])
    assert clean_frame["msoa11_code"].tolist() == ["E02000001", "E02000002"]
    assert clean_frame.loc[0, ["le_male", "le_female", "le_persons"]].tolist() == [79.0, 83.0, 81.0]
    assert clean_frame.loc[1, ["le_male"]].isna().all()


def test_tiles_are_concatenated_and_overlaps_caught(write_csv):
    header = "areacd,economic_activity_status_4a-001,economic_activity_status_4a-002,economic_activity_status_4a-003\n"
    first = write_csv("t1/a.csv", header + "E00000001,60.0,5.0,35.0\n")
    second = write_csv("t2/a.csv", header + "E00000002,50.0,2.5,47.5\nW00000001,1,1,98\n")
    frame, _ = clean(spec("census21_economic_activity_pct_oa21", 2), [first, second])
    assert frame["inactive_pct"].tolist() == [35.0, 47.5]
    overlap = write_csv("t3/a.csv", header + "E00000001,60.0,5.0,35.0\n")
    with pytest.raises(ValidationError, match="duplicated codes 'E00000001'"):
        clean(spec("census21_economic_activity_pct_oa21", 2), [first, second, overlap])


def test_a_tile_with_another_header_or_unreadable_is_named(tmp_path):
    from ddn_pipeline.cleaning import _read_tiles

    (tmp_path / "a.csv").write_text("areacd,a\nE00000001,1\n")
    (tmp_path / "b.csv").write_text("areacd,b\nE00000002,2\n")
    with pytest.raises(ValidationError, match=r"b\.csv: columns \['areacd', 'b'\]; expected the columns of .*a\.csv"):
        _read_tiles([tmp_path / "a.csv", tmp_path / "b.csv"], None)
    (tmp_path / "b.csv").write_bytes(b"areacd,a\nE00000002,\xff\xfe\n")
    with pytest.raises(ValidationError, match=r"b\.csv: cannot be read as csv"):
        _read_tiles([tmp_path / "a.csv", tmp_path / "b.csv"], None)


def test_workplace_code_is_split_from_its_label(write_csv):
    WORKPLACE_INDUSTRY_SECTIONS = [c.source for c in TABLES_BY_NAME["census11_workplace_industry_msoa11"].columns[2:]]

    header = ",".join(
        ['"2011 super output area - middle layer"', '"All categories: Industry"']
        + [f'"{h}"' for h in WORKPLACE_INDUSTRY_SECTIONS]
    )
    row = "E02002559 : Darlington 001,11098," + ",".join(["1"] * len(WORKPLACE_INDUSTRY_SECTIONS))
    frame, _ = clean(spec("census11_workplace_industry_msoa11", 1), [write_csv("wp.csv", header + "\n" + row + "\n")])
    assert frame.loc[0, "msoa11_code"] == "E02002559" and frame.loc[0, "workers_total"] == 11098.0
    assert "workers_section_rs" in frame.columns


def test_parquet_written_atomically(tmp_path):
    write_parquet(pd.DataFrame({"a": [1]}), tmp_path / "t.parquet")
    assert [p.name for p in tmp_path.iterdir()] == ["t.parquet"]


def test_truncated_csv_cut_mid_row(write_csv):
    text = cni_csv(write_csv, GOOD_CNI).read_text()
    cut = write_csv("cut.csv", text[: text.rindex("\n", 0, len(text) - 1) + 30])  # the last row loses its end
    with pytest.raises(ValidationError, match=r"cut.csv: column '\w+' has a missing value at row 2; .*truncated file"):
        clean(spec("cni2019_ward17", 3), [cut])


def test_truncated_csv_cut_at_a_row_end(write_csv):
    text = cni_csv(write_csv, GOOD_CNI).read_text()
    cut = write_csv("cut.csv", text[: text.rindex("\n", 0, len(text) - 1) + 1])  # the last row is gone
    with pytest.raises(ValidationError, match=r"cut.csv: 2 England rows \(ward17_code\); expected 3"):
        clean(spec("cni2019_ward17", 3), [cut])


@pytest.mark.parametrize(
    "codes, duplicated",
    [
        (["E01", "E02", "E03"], None),  # sorted: one comparison of neighbours says so
        (["E03", "E01", "E02"], None),  # unsorted, unique
        (["E01", "E02", "E02", "E03"], "'E02'"),  # sorted, a repeat
        (["E03", "E01", "E03"], "'E03'"),  # unsorted, a repeat
        ([None, "E01", None], "(nan|None|<NA>)"),  # missing twice counts as a duplicate, as pandas finds them
        ([], None),
    ],
)
@pytest.mark.parametrize("dtype", ["str", "string", object])
def test_check_unique_finds_every_duplicate_whatever_the_order(codes, duplicated, dtype):
    frame = pd.DataFrame({"code": pd.Series(codes, dtype=dtype), "value": range(len(codes))})
    if duplicated is None:
        check_unique(frame, "code", "table.csv")
    else:
        with pytest.raises(ValidationError, match=f"table.csv: column 'code' has duplicated codes {duplicated}"):
            check_unique(frame, "code", "table.csv")


def test_check_unique_of_mixed_values_and_of_columns_together():
    check_unique(pd.DataFrame({"code": ["E01", 2, 3.5]}), "code", "t")  # incomparable: hashed instead
    with pytest.raises(ValidationError, match="duplicated codes"):
        check_unique(pd.DataFrame({"code": ["E01", 2, "E01"]}), "code", "t")
    pairs = pd.DataFrame({"a": ["x", "x", "y"], "b": ["1", "2", "1"]})
    check_unique(pairs, ["a", "b"], "t")
    with pytest.raises(ValidationError, match=r"columns \['a', 'b'\] has duplicated codes"):
        check_unique(pd.concat([pairs, pairs.iloc[:1]]), ["a", "b"], "t")


def test_raw_files_are_checked_against_the_registry_before_they_are_read(tmp_path):
    """A raw file changed after its retrieval (a flipped byte) stops the clean rule, naming the file and the way
    out; a file the registry has no sha256 for is read, said to be unverified."""
    import hashlib

    from ddn_pipeline.cleaning import raw_paths

    raw = tmp_path / "raw.csv"
    raw.write_bytes(b"code,value\nE01000001,1\n")
    good = hashlib.sha256(raw.read_bytes()).hexdigest()
    assert raw_paths([raw], {str(raw): good}) == [raw]
    assert raw_paths([raw], {str(raw): None}) == [raw]
    raw.write_bytes(b"code,value\nE01000001,2\n")
    with pytest.raises(
        ValidationError,
        match=r"raw\.csv: sha256 \w+ is not the registry's .*delete it and run Snakemake again with --forcerun",
    ):
        raw_paths([raw], {str(raw): good})
    with pytest.raises(ValidationError, match=r"raw\.csv: not a file of this dataset in the registry"):
        raw_paths([raw], {})
