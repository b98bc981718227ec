"""Your own areas: the file's checks, each with its message, and the indicators at each area's own geography."""

import pandas as pd
import pytest

from ddn_pipeline.areas import AreasError, assign_geographies, measures_by_geography, profile, read_areas

CODES = {
    "ward17": {"E05000001", "E05000002"},
    "ward23": {"E05013001"},
    "lsoa11": {"E01000001", "E01000002", "E01000003"},  # E01000003 was split in 2021
    "lsoa21": {"E01000001", "E01000002", "E01035001", "E01035002"},
}


def areas(write_csv, text):
    return read_areas(write_csv("areas.csv", text))


@pytest.mark.parametrize(
    "text, message",
    [
        ("code,name\nE05000001,A\n", "no column area; expected columns code and area, found code, name"),
        ("code,area\nE05000001,A\nE05000001,A\n", "1 code(s) appear twice in one area, first E05000001 in 'A'"),
        ("code,area\n,Empty\nE05000001,A\n", "area(s) Empty have no codes"),
        ("code,area\nE05000001,\n", "line(s) 2 have a code but no area name"),
        ("code,area\nE05000001,A\nE01000001,A\n", "area(s) A mix wards and LSOAs; one area uses one geography"),
        ("code,area\nW05000001,A\nS01000001,A\n", "2 code(s) are neither ward (E05...) nor LSOA (E01...) codes"),
    ],
)
def test_the_file_s_problems_are_named_before_any_work(write_csv, text, message):
    with pytest.raises(AreasError, match=message.replace("(", r"\(").replace(")", r"\)")):
        areas(write_csv, text)


def test_a_file_that_is_not_csv_is_refused(tmp_path):
    path = tmp_path / "areas.xlsx"
    path.write_bytes(b"PK\x03\x04\x00\x00binary workbook\x00\xff")
    with pytest.raises(AreasError, match="not a CSV file of text"):
        read_areas(path)


def test_a_spreadsheet_s_habits_are_accepted_or_explained(write_csv):
    # headers in capitals, lower-case codes, blank and empty rows: accepted; lines counted as in the file
    frame = areas(write_csv, "\ufeffCode,Area\ne05000001,A\n\n,\nE05000002,B\n")
    assert frame["code"].tolist() == ["E05000001", "E05000002"]
    with pytest.raises(AreasError, match=r"line\(s\) 5 have a code but no area name"):
        areas(write_csv, "code,area\nE05000001,A\n\n,\nE05000002,\n")
    with pytest.raises(AreasError, match="found code;area \\(separated by semicolons\\? use commas\\)"):
        areas(write_csv, "code;area\nE05000001;A\n")


def test_the_same_code_may_be_in_two_areas(write_csv):
    frame = areas(write_csv, "code,area\nE05000001, A\nE05000001,B\n")
    assert frame.to_dict("records") == [{"area": "A", "code": "E05000001"}, {"area": "B", "code": "E05000001"}]


def test_unknown_codes_are_named_the_first_ten_and_counted(write_csv):
    codes = "".join(f"E0100{n:04d},A\n" for n in range(100, 112))
    with pytest.raises(AreasError, match=r"12 code\(s\) are not December 2017 wards .*E01000100.*\(and 2 more\)"):
        assign_geographies(areas(write_csv, "code,area\n" + codes), CODES)


def test_ward_codes_of_2023_say_which_wards_to_use(write_csv):
    with pytest.raises(AreasError, match="E05 code.* of 2023 wards, not December 2017: E05013001; use December 2017"):
        assign_geographies(areas(write_csv, "code,area\nE05013001,A\n"), CODES)


def test_lsoas_of_two_vintages_in_one_area_are_refused(write_csv):
    with pytest.raises(AreasError, match="area.* A mix LSOA 2011 and LSOA 2021 codes"):
        assign_geographies(areas(write_csv, "code,area\nE01000003,A\nE01035001,A\n"), CODES)


def test_each_area_gets_its_geography(write_csv):
    text = "code,area\nE01000001,Old\nE01000003,Old\nE01000001,New\nE01035001,New\nE01000002,Either\nE05000002,W\n"
    members = assign_geographies(areas(write_csv, text), CODES)
    assert members.groupby("area", sort=False)["geography"].first().to_dict() == {
        "Old": "lsoa11",
        "New": "lsoa21",
        "Either": "lsoa21",  # unchanged LSOAs: the same place in either vintage
        "W": "ward17",
    }


def test_an_lsoa_2021_area_takes_census_counts_directly_and_lsoa_2011_sources_shared_by_population():
    """E01000003 (2011) was split into E01035001 and E01035002 (2021), with 300 and 100 residents: its LSOA 2011
    measures go three quarters to the first. Census counts of LSOAs 2021 are summed as they are."""
    lsoa21 = pd.DataFrame(
        {
            "lsoa21_code": ["E01000001", "E01000002", "E01035001", "E01035002"],
            "ts001_0001": [1000.0, 500.0, 300.0, 100.0],
            "ts062_0001": [800.0, 400.0, 240.0, 80.0],
            "ts065_0001": [400.0, 100.0, 120.0, 40.0],
        }
    )
    lsoa11 = pd.DataFrame(
        {
            "lsoa11_code": ["E01000001", "E01000002", "E01000003"],
            "ward17_code": ["W1", "W1", "W2"],
            "population": [950.0, 480.0, 420.0],
            "income_deprived": [95.0, 48.0, 84.0],
        }
    )
    lookup = pd.DataFrame(
        {
            "lsoa11_code": ["E01000001", "E01000002", "E01000003", "E01000003"],
            "lsoa21_code": ["E01000001", "E01000002", "E01035001", "E01035002"],
            "change_code": ["U", "U", "S", "S"],
        }
    )
    wards = pd.DataFrame({"ward17_code": ["W1"], "population": [1.0]})
    measures = measures_by_geography(wards, lsoa11, lsoa21, lookup)
    members = pd.DataFrame({"area": ["New", "New", "Old"], "code": ["E01000001", "E01035001", "E01000003"]}).assign(
        geography=["lsoa21", "lsoa21", "lsoa11"]
    )
    definitions = {
        "not_in_employment": {"numerator": ["ts065_0001"], "denominator": ["ts062_0001"]},
        "income_deprived": {"numerator": ["income_deprived"], "denominator": ["population"]},
    }
    indicators, summary = profile(members, measures, definitions)
    value = {(r.area, r.indicator): r.value for r in indicators.itertuples()}
    assert value[("New", "not_in_employment")] == pytest.approx((400 + 120) / (800 + 240))
    # income-deprived people: E01000001's 95 and three quarters of E01000003's 84, over the same shares of people
    assert value[("New", "income_deprived")] == pytest.approx((95 + 0.75 * 84) / (950 + 0.75 * 420))
    # the old LSOA takes both new ones' Census counts
    assert value[("Old", "not_in_employment")] == pytest.approx((120 + 40) / (240 + 80))
    populations = summary.set_index("area")["population"].to_dict()
    assert populations == {"New": 1300.0, "Old": 420.0}
    assert summary.filter(like="reached").to_numpy().min() == pytest.approx(1.0)
