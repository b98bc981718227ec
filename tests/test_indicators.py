"""Known answers for the bridges, pooling and verdicts."""

import math

import pandas as pd
import pytest

from ddn_pipeline.benchmark import ExpressionError, evaluate, judge
from ddn_pipeline.bridge import CoverageError, apply_weights, check_coverage, coverage_share, lsoa21_ward17_weights
from ddn_pipeline.indicators import IndicatorError, economic_activity_counts, lsoa11_measures, pooled, ward_values


def test_split_merged_and_complex_lsoas_are_apportioned_by_population():
    lookup = pd.DataFrame(
        {
            "lsoa11_code": ["A", "B", "B", "C", "D", "E", "F"],
            "lsoa21_code": ["a", "b1", "b2", "cd", "cd", "ef", "ef"],
            "change_code": ["U", "S", "S", "M", "M", "X", "X"],
        }
    )
    wards = pd.DataFrame({"lsoa11_code": list("ABCDEF"), "ward17_code": ["W1", "W1", "W1", "W2", "W2", "W2"]})
    population = pd.DataFrame({"lsoa11_code": list("ABCDEF"), "population": [100.0, 200.0, 300.0, 100.0, 0.0, 0.0]})
    bridge = lsoa21_ward17_weights(lookup, wards, population).set_index(["lsoa21_code", "ward17_code"])["weight"]
    assert bridge[("a", "W1")] == 1.0
    assert bridge[("b1", "W1")] == 1.0 and bridge[("b2", "W1")] == 1.0  # a split LSOA 2011: each part whole
    assert bridge[("cd", "W1")] == 0.75 and bridge[("cd", "W2")] == 0.25  # merged: 300 vs 100 people
    assert bridge[("ef", "W2")] == 1.0  # no population: equal shares, both in W2
    counts = pd.DataFrame({"lsoa21_code": ["a", "b1", "b2", "cd", "ef"], "people": [10.0, 20.0, 30.0, 40.0, 50.0]})
    sums = apply_weights(counts, bridge.reset_index(), "lsoa21_code", "ward17_code", ["people"]).set_index(
        "ward17_code"
    )["people"]
    assert sums.to_dict() == {"W1": 10 + 20 + 30 + 30.0, "W2": 10.0 + 50}
    assert sums.sum() == counts["people"].sum()


def test_lsoa_without_population_is_an_error():
    lookup = pd.DataFrame({"lsoa11_code": ["A"], "lsoa21_code": ["a"], "change_code": ["U"]})
    with pytest.raises(CoverageError, match="LSOA 2011 A .* has no population"):
        lsoa21_ward17_weights(
            lookup,
            pd.DataFrame({"lsoa11_code": ["A"], "ward17_code": ["W"]}),
            pd.DataFrame({"lsoa11_code": ["B"], "population": [1.0]}),
        )


def test_coverage_below_the_floor_fails():
    values = pd.DataFrame({"k": ["a", "b"], "people": [990.0, 10.0]})
    weights = pd.DataFrame({"k": ["a"], "weight": [1.0]})
    assert coverage_share(values, weights, "k", "people") == 0.99
    with pytest.raises(CoverageError, match=r"99.000% reached a ward 2017; expected at least 99.5%"):
        check_coverage(0.99, 0.995, "test bridge")
    check_coverage(0.995, 0.995, "test bridge")


def test_economic_activity_counts_from_percentages():
    pct = pd.DataFrame(
        {"oa21_code": ["O1"], "in_employment_pct": [50.0], "unemployed_pct": [10.0], "inactive_pct": [40.0]}
    )
    counts = economic_activity_counts(pct, pd.DataFrame({"oa21_code": ["O1"], "ts062_0001": [200.0]}))
    assert counts.iloc[0][["ea_in_employment", "ea_unemployed", "ea_inactive", "ea_residents_16plus"]].tolist() == [
        100.0,
        20.0,
        80.0,
        200.0,
    ]


def measures():
    return pd.DataFrame(
        {
            "ward17_code": ["W1", "W2", "W3", "W4"],
            "group": ["ddn", "ddn", "other_deprived", "rest_of_england"],
            "num": [1.0, 3.0, 5.0, 1.0],
            "den": [10.0, 10.0, 10.0, 0.0],
            "people": [100.0, 200.0, 300.0, 400.0],
        }
    )


DEFINITIONS = {
    "share": {"numerator": ["num"], "denominator": ["den"]},
    "count": {"numerator": ["people"], "denominator": []},
    "absent": {"numerator": ["nowhere"], "denominator": ["den"]},
}


def test_pooling_is_sum_over_sum_and_england_is_the_total():
    table = pooled(measures(), "group", DEFINITIONS).set_index(["indicator", "group"])
    assert table.loc[("share", "ddn"), "value"] == 0.2  # (1 + 3) / (10 + 10)
    assert table.loc[("share", "england"), "value"] == 10 / 30
    assert math.isnan(table.loc[("share", "rest_of_england"), "value"])  # denominator 0
    assert table.loc[("count", "england"), "value"] == 1000.0
    groups = table.xs("count", level="indicator")
    assert groups.loc["england", "numerator"] == groups.drop("england")["numerator"].sum()
    assert "absent" not in table.index.get_level_values("indicator")


def test_pooling_weights_by_denominator():
    frame = measures().assign(num=[1.0, 9.0, 5.0, 1.0], den=[10.0, 30.0, 10.0, 10.0])
    table = pooled(frame, "group", DEFINITIONS).set_index(["indicator", "group"])
    assert table.loc[("share", "ddn"), "value"] == 0.25  # 10 / 40, not (0.1 + 0.3) / 2 = 0.2


def test_ward_values():
    values = ward_values(measures(), DEFINITIONS).set_index("ward17_code")
    assert values["share"].tolist()[:3] == [0.1, 0.3, 0.5]
    assert math.isnan(values.loc["W4", "share"])
    assert "absent" not in values.columns


def test_lsoa_measures_population_weighted_life_expectancy_skips_suppressed_areas():
    lsoas = pd.DataFrame(
        {"lsoa11_code": ["L1", "L2", "L3"], "ward17_code": ["W", "W", "W"], "population_p": [100.0, 300.0, 50.0]}
    )
    lookup = pd.DataFrame({"lsoa11_code": ["L1", "L2", "L3"], "msoa11_code": ["M1", "M2", "M3"]})
    le = pd.DataFrame({"msoa11_code": ["M1", "M2", "M3"], "le_male": [80.0, 76.0, None]})
    out = lsoa11_measures(lsoas, "population_p", life_expectancy={"p1": le}, lsoa_msoa=lookup)
    assert out["le_male_p1_x_pop"].sum() / out["le_male_p1_pop"].sum() == 77.0  # (80*100 + 76*300) / 400
    iuc = pd.DataFrame({"lsoa11_code": ["L1", "L2", "L3"], "iuc_group": ["e-Withdrawn", "e-Veterans", "e-Withdrawn"]})
    out = lsoa11_measures(lsoas, "population_p", iuc=iuc)
    assert out["lsoas_e_withdrawn"].sum() / out["lsoas"].sum() == pytest.approx(2 / 3)
    assert out["population_e_withdrawn"].sum() / out["population"].sum() == 150 / 450


VALUES = {"ddn": 0.54, "other_deprived": 0.5, "rest_of_england": 0.4, "england": 0.42}


def test_expressions():
    assert evaluate("ddn > other_deprived", VALUES) is True
    assert evaluate("0.5 <= ddn < 0.6", VALUES) is True
    assert evaluate("england - ddn", VALUES) == pytest.approx(-0.12)
    with pytest.raises(ExpressionError, match="unknown group 'wales'"):
        evaluate("wales > 1", VALUES)
    with pytest.raises(ExpressionError, match="Call is not allowed"):
        evaluate("__import__('os')", VALUES)


def test_verdict_tolerance_edges():
    figure = {"values": [{"expr": "ddn", "published": 0.54, "tolerance": 0.005}]}
    assert judge(figure, {**VALUES, "ddn": 0.545})[0] == "matches"
    assert judge(figure, {**VALUES, "ddn": 0.5451})[0] == "differs"
    verdict, difference, _ = judge(figure, {**VALUES, "ddn": 0.52})
    assert verdict == "differs" and difference == pytest.approx(-0.02)


def test_verdict_direction_claims():
    figure = {"claims": ["ddn > other_deprived", "ddn > england"]}
    assert judge(figure, VALUES)[0] == "direction_holds"
    verdict, _, note = judge(figure, {**VALUES, "ddn": 0.45})
    assert verdict == "differs" and "ddn > other_deprived: does not hold" in note


def test_each_number_gets_its_own_verdict_in_its_own_terms():
    from ddn_pipeline.benchmark import judge_numbers

    figure = {
        "values": [{"expr": "england - ddn", "published": 0.1, "tolerance": 0.005}],
        "magnitudes": [{"expr": "ddn / england", "published": 0.5}],
        "claims": ["ddn > other_deprived", "0.45 <= ddn < 0.5"],
        "precision": 0.0005,
    }
    numbers = {n["number"]: n for n in judge_numbers(figure, {**VALUES, "ddn": 0.47, "other_deprived": 0.4698})}
    assert numbers["england - ddn"]["ours"] == pytest.approx(-0.05) and numbers["england - ddn"]["verdict"] == "differs"
    assert numbers["ddn / england"]["verdict"] == "reported"  # a proxy's size is set beside, never judged
    # 0.0002 apart: under the precision, so neither higher nor lower
    assert numbers["ddn > other_deprived"]["verdict"] == "no_difference"
    assert numbers["ddn > other_deprived"]["ours"] == pytest.approx(0.0002)
    assert numbers["0.45 <= ddn < 0.5"]["ours"] == pytest.approx(0.47)
    assert numbers["0.45 <= ddn < 0.5"]["verdict"] == "holds"
    assert judge(figure, {**VALUES, "ddn": 0.47, "other_deprived": 0.4698})[0] == "differs"
    del figure["values"]
    assert judge(figure, {**VALUES, "ddn": 0.47, "other_deprived": 0.4698})[0] == "no_difference"
    assert judge(figure, {**VALUES, "ddn": 0.47, "other_deprived": 0.40})[0] == "direction_holds"
    assert judge(figure, {**VALUES, "ddn": 0.44, "other_deprived": 0.40})[0] == "differs"


def test_values_and_claims_together():
    figure = {"values": [{"expr": "england", "published": 0.42, "tolerance": 0.005}], "claims": ["ddn < 0.25"]}
    assert judge(figure, VALUES)[0] == "differs"
    assert judge(figure, {**VALUES, "ddn": 0.2})[0] == "matches"


def test_missing_source_is_not_computed():
    figure = {"claims": ["ddn > england"]}
    assert judge(figure, {})[0] == "not_computed"
    assert judge(figure, {**VALUES, "ddn": float("nan")})[0] == "not_computed"


def test_jobs_density_proxy_gives_each_resident_their_msoas_density():
    from ddn_pipeline.indicators import jobs_density_measures

    ages = pd.DataFrame({"lsoa11_code": ["L1", "L2", "L3"]})
    for age in range(91):
        ages[f"age_{age}"] = 0.0
    ages.loc[:, "age_30"] = [100.0, 300.0, 200.0]
    ages.loc[:, "age_70"] = [50.0, 50.0, 50.0]  # not of working age
    lsoa_msoa11 = pd.DataFrame({"lsoa11_code": ["L1", "L2", "L3"], "msoa11_code": ["M1", "M1", "M2"]})
    # codes typed as the clean tables give them (pd.NA for missing, Arrow-backed)
    msoa11_msoa21 = pd.DataFrame({"msoa11_code": ["M1", "M2"], "msoa21_code": ["N1", "N2"]}, dtype="string")
    workplace = pd.DataFrame(
        {
            "msoa21_code": pd.array(["N1", "N2", "N3"], dtype="string"),
            "workers": [200.0, 600.0, 200.0],
            "no_fixed_place_or_home": [100.0, 0.0, 50.0],
        }
    )
    frame, reached = jobs_density_measures(lsoa_msoa11, msoa11_msoa21, workplace, ages)
    frame = frame.set_index("lsoa11_code")
    assert frame["residents_16_64"].tolist() == [100.0, 300.0, 200.0]
    # with home workers, N1: 200 workers / 400 residents = 0.5; N2: 600 / 200 = 3
    assert frame["jobs_proxy_with_home_x_residents"].tolist() == pytest.approx([50.0, 150.0, 600.0])
    # at a workplace only, N1: (200 - 100) / 400 = 0.25
    assert frame["jobs_proxy_x_residents"].tolist() == pytest.approx([25.0, 75.0, 600.0])
    assert frame["jobs_proxy_x_residents"].dtype == "float64"  # as every other measure: summed the same way
    assert reached == pytest.approx(0.8)  # N3's 200 workers have no residents in the mapping


def test_industry_mix_shares_an_msoas_jobs_by_where_its_residents_live():
    from ddn_pipeline.indicators import industry_mix

    workplace = pd.DataFrame(
        {
            "msoa11_code": ["m1", "m2"],
            "workers_total": [100.0, 50.0],
            "workers_section_c": [80.0, 0.0],
            "workers_section_g": [20.0, 50.0],
        }
    )
    lookup = pd.DataFrame({"lsoa11_code": ["a", "b", "c"], "msoa11_code": ["m1", "m1", "m2"]})
    membership = pd.DataFrame(
        {"lsoa11_code": ["a", "b", "c"], "group": ["ddn", "other_deprived", "ddn"], "pop": [300.0, 100.0, 10.0]}
    )
    mix = industry_mix(workplace, lookup, membership, "pop").set_index(["group", "section"])
    # m1: 3/4 of its residents in DDN wards -> 60 manufacturing and 15 retail jobs; m2: all 50 retail jobs
    assert mix.loc[("ddn", "c"), "jobs"] == pytest.approx(60.0)
    assert mix.loc[("ddn", "g"), "jobs"] == pytest.approx(65.0)
    assert mix.loc[("ddn", "g"), "share"] == pytest.approx(65 / 125)
    assert mix.loc[("other_deprived", "c"), "jobs"] == pytest.approx(20.0)
    assert mix.loc[("england", "g"), "jobs"] == 70.0 and mix.loc[("england", "c"), "share"] == pytest.approx(80 / 150)
    with pytest.raises(IndicatorError, match="1 LSOAs 2011 have no MSOA 2011"):
        industry_mix(workplace, lookup.iloc[:2], membership, "pop")


def test_require_values_names_the_count_and_the_first_code():
    from ddn_pipeline.errors import PipelineError, require_values

    frame = pd.DataFrame({"code": ["A", "B", "C"], "value": [1.0, None, None]})
    with pytest.raises(PipelineError, match=r"^2 codes have no value, e.g. B$"):
        require_values(frame, "value", "code", PipelineError, "codes have no value")
    require_values(frame.iloc[:1], "value", "code", PipelineError, "codes have no value")


def test_each_bridge_row_names_its_distinct_change_codes_in_alphabetical_order():
    lookup = pd.DataFrame(
        {
            "lsoa11_code": ["A", "G", "H", "I", "J"],
            "lsoa21_code": ["a", "gh", "gh", "gh", "gh"],
            "change_code": ["U", "X", "M", "X", "S"],
        }
    )
    wards = pd.DataFrame({"lsoa11_code": list("AGHIJ"), "ward17_code": ["W1", "W2", "W2", "W2", "W3"]})
    population = pd.DataFrame({"lsoa11_code": list("AGHIJ"), "population": [1.0, 1.0, 1.0, 1.0, 1.0]})
    bridge = lsoa21_ward17_weights(lookup, wards, population)
    assert bridge.set_index(["lsoa21_code", "ward17_code"])["change_codes"].to_dict() == {
        ("a", "W1"): "U",
        ("gh", "W2"): "MX",
        ("gh", "W3"): "S",
    }


def test_councils_and_regions_are_pooled_as_the_groups_are():
    from ddn_pipeline.indicators import pooled_by_area

    measures = pd.DataFrame(
        {
            "lad_name": ["A", "A", "B"],
            "region_name": ["R", "R", "R"],
            "not_working": [10.0, 30.0, 5.0],
            "adults": [100.0, 100.0, 50.0],
        }
    )
    definitions = {"not_in_work": {"numerator": ["not_working"], "denominator": ["adults"]}}
    table = pooled_by_area(measures, {"council": "lad_name", "region": "region_name"}, definitions)
    values = {(r.level, r.area): r.value for r in table.itertuples()}
    # pooled: the sum of the numerators over the sum of the denominators (the region: 45 / 250 = 18%), not the mean
    # of its wards' shares (20%)
    assert values == {
        ("council", "A"): pytest.approx(0.2),
        ("council", "B"): pytest.approx(0.1),
        ("region", "R"): pytest.approx(45 / 250),
        ("england", "England"): pytest.approx(45 / 250),
    }


def test_an_indicator_known_for_part_of_its_people_says_for_how_many():
    from ddn_pipeline.indicators import known_for_share

    definitions = {
        "population": {"unit": "people"},
        "life_expectancy": {"unit": "years", "coverage_of": "population"},
        "bad_health": {"unit": "share"},
    }
    table = pd.DataFrame(
        {
            "area": ["A", "A", "A", "B", "B"],
            "indicator": ["population", "life_expectancy", "bad_health", "population", "life_expectancy"],
            "denominator": [float("nan"), 900.0, 1000.0, 0.0, 0.0],
            "value": [1000.0, 80.0, 0.05, 0.0, float("nan")],
        }
    )
    share = known_for_share(table, definitions, "area")
    assert share.iloc[1] == pytest.approx(0.9)  # 900 of A's 1,000 people
    assert share.drop(index=1).isna().all()  # other indicators, and B with no people: no share
