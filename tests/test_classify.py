"""Known answers for the classification functions, on tiny hand-made frames."""

import math

import numpy as np
import pandas as pd
import pytest

from ddn_pipeline.classify import (
    ClassificationError,
    assign_groups,
    decile_from_rank,
    doubly_disadvantaged,
    group_summary,
    imd_score,
    in_most_deprived,
    population_weighted_mean,
    rank_check,
    rank_most_deprived_first,
    reproduction_audit,
    reproduction_sensitivity,
    transition,
    ward_imd,
    ward_population_means,
)

WEIGHTS = {
    "income": 0.225,
    "employment": 0.225,
    "education": 0.135,
    "health": 0.135,
    "crime": 0.093,
    "barriers": 0.093,
    "living_environment": 0.093,
}


def test_imd_score_is_the_weighted_sum_of_transformed_domains():
    frame = pd.DataFrame({f"{d}_exp": [10.0, 0.0] for d in WEIGHTS})
    frame["income_exp"] = [50.0, 100.0]
    # 50*0.225 + 10*(0.999-0.225) = 11.25 + 7.74 = 18.99 ; 100*0.225 = 22.5
    assert imd_score(frame, WEIGHTS).round(6).tolist() == [18.99, 22.5]


def test_imd_score_refuses_weights_that_do_not_sum_to_one():
    frame = pd.DataFrame({f"{d}_exp": [1.0] for d in WEIGHTS})
    with pytest.raises(ClassificationError, match="sum to 1.2990"):
        imd_score(frame, {**WEIGHTS, "income": 0.525})


def test_imd_score_names_a_missing_domain():
    with pytest.raises(ClassificationError, match="crime_exp"):
        imd_score(pd.DataFrame({f"{d}_exp": [1.0] for d in WEIGHTS if d != "crime"}), WEIGHTS)


def test_rank_ties_share_the_best_rank():
    assert rank_most_deprived_first(pd.Series([5.0, 9.0, 9.0, 1.0, np.nan])).tolist()[:4] == [3.0, 1.0, 1.0, 4.0]
    assert math.isnan(rank_most_deprived_first(pd.Series([5.0, np.nan]))[1])


def test_decile_cut_at_the_boundary():
    ranks = pd.Series([1.0, 2.0, 3.0, 20.0])
    assert decile_from_rank(ranks, 20).tolist() == [1.0, 1.0, 2.0, 10.0]
    assert in_most_deprived(ranks, 20, 0.10).tolist() == [True, True, False, False]
    # 10% of 7,433 wards is 743.3: rank 743 is in, 744 out
    assert in_most_deprived(pd.Series([743.0, 744.0]), 7433, 0.10).tolist() == [True, False]
    assert decile_from_rank(pd.Series([743.0, 744.0]), 7433).tolist() == [1.0, 2.0]


def test_population_weighted_mean():
    result = population_weighted_mean(
        pd.Series([10.0, 20.0, 5.0]), pd.Series([1.0, 3.0, 0.0]), pd.Series(["A", "A", "B"])
    )
    assert result["A"] == 17.5
    assert math.isnan(result["B"])


def test_rank_check():
    check = rank_check(pd.Series([1.0, 2.0, 4.0, 3.0]), pd.Series([1.0, 2.0, 3.0, 4.0]))
    assert check["share_exact_rank_match"] == 0.5 and check["largest_rank_difference"] == 1


def lsoas():
    return pd.DataFrame(
        {
            "lsoa11_code": ["L1", "L2", "L3", "L4", "L5"],
            "ward17_code": ["W1", "W1", "W2", "W3", "W4"],
            "imd_score": [60.0, 20.0, 50.0, 10.0, 30.0],
            "population_p": [100.0, 300.0, 200.0, 200.0, 100.0],
        }
    )


def test_ward_imd_weights_ranks_and_deciles():
    wards, count = ward_imd(lsoas(), "population_p")
    wards = wards.set_index("ward17_code")
    assert count == 4
    assert wards.loc["W1", "imd_score"] == 30.0  # (60*100 + 20*300) / 400
    assert wards["imd_rank"].to_dict() == {"W1": 2.0, "W2": 1.0, "W3": 4.0, "W4": 2.0}
    assert wards.loc["W1", "lsoa_count"] == 2
    unweighted, _ = ward_imd(lsoas(), "population_p", weighting="none")
    assert unweighted.set_index("ward17_code").loc["W1", "imd_score"] == 40.0


def test_ward_imd_universe_limits_the_ranking():
    wards, count = ward_imd(lsoas(), "population_p", universe_wards=["W1", "W3"])
    wards = wards.set_index("ward17_code")
    assert count == 2
    assert wards["imd_rank"].to_dict() == {"W1": 1.0, "W2": None, "W3": 2.0, "W4": None} or (
        wards.loc["W1", "imd_rank"] == 1.0
        and wards.loc["W3", "imd_rank"] == 2.0
        and wards["imd_rank"].isna().sum() == 2
    )


def ward_frame():
    return pd.DataFrame(
        {
            "ward17_code": ["W1", "W2", "W3", "W4", "W5"],
            "ward17_name": list("abcde"),
            "lad_name": "L",
            "region_name": ["R1", "R1", "R2", "R2", "R2"],
            "cni_rank": [1.0, 2.0, 1.0, 5.0, np.nan],
            "imd_rank": [1.0, 4.0, 2.0, 1.0, 3.0],
            "imd_score": [50.0, 20.0, 40.0, 50.0, 30.0],
            "published_ddn": [True, True, False, False, False],
            "population": [10.0, 20.0, 30.0, 40.0, 50.0],
        }
    )


def test_reproduction_and_overlap_accounting():
    wards = ward_frame()
    # 5 wards, share 0.4 -> threshold rank 2 on both indices
    wards["reproduced_ddn"] = doubly_disadvantaged(wards["imd_rank"], wards["cni_rank"], 0.4, imd_count=5, cni_count=5)
    assert wards["reproduced_ddn"].tolist() == [True, False, True, False, False]
    audit = reproduction_audit(wards, 0.4, 5, 5).set_index("ward17_code")
    assert audit["agreement"].to_dict() == {"W2": "published_only", "W3": "reproduced_only", "W1": "both"}
    assert audit.loc["W2", "imd_distance_to_threshold"] == 2.0  # rank 4, threshold 2
    assert audit.loc["W3", "cni_distance_to_threshold"] == -1.0


def test_groups_follow_the_chosen_list():
    wards = ward_frame()
    wards["reproduced_ddn"] = doubly_disadvantaged(wards["imd_rank"], wards["cni_rank"], 0.4, 5, 5)
    published = assign_groups(wards, "published", 0.4, 5)
    assert published.tolist() == ["ddn", "ddn", "other_deprived", "other_deprived", "rest_of_england"]
    reproduced = assign_groups(wards, "reproduced", 0.4, 5)
    assert reproduced.tolist() == ["ddn", "rest_of_england", "ddn", "other_deprived", "rest_of_england"]


def test_group_summary_totals_and_breakdowns():
    wards = ward_frame()
    wards["group"] = ["ddn", "ddn", "other_deprived", "rest_of_england", "rest_of_england"]
    summary = group_summary(wards, ["population"])
    groups = summary[summary["breakdown"] == "group"].set_index("group")
    assert groups["wards"].to_dict() == {"ddn": 2, "other_deprived": 1, "rest_of_england": 2, "england": 5}
    assert groups.loc["england", "population"] == groups.drop("england")["population"].sum() == 150.0
    by_region = summary[summary["breakdown"] == "ddn_by_region"]
    assert by_region[["region_name", "wards", "population"]].values.tolist() == [["R1", 2, 30.0]]


def test_reproduction_sensitivity_counts():
    cni = pd.DataFrame(
        {
            "ward17_code": ["W1", "W2", "W3", "W4"],
            "cni_rank": [1.0, 2.0, 3.0, 4.0],
            "left_behind_published": [True, True, False, False],
        }
    )
    table = reproduction_sensitivity(lsoas(), cni, 0.5, [("p", "population", "cni_wards")])
    # CNI top 2: W1, W2. IMD (population-weighted) over W1..W4: W2 50, W1 30, W3 10 -> top 2 W2, W1
    assert table.loc[0, ["reproduced", "on_both", "only_reproduced", "only_published"]].tolist() == [2, 2, 0, 0]


def test_doubly_disadvantaged_uses_each_rank_count():
    imd = pd.Series([1.0, 2.0, 3.0, 4.0, np.nan])
    cni = pd.Series([2.0, 1.0, 4.0, 3.0, 5.0])
    # IMD: 4 ranked, 50% -> rank <= 2; CNI: 5 ranked, 50% -> rank <= 2.5
    assert doubly_disadvantaged(imd, cni, 0.5).tolist() == [True, True, False, False, False]


def test_ward_population_means_apportion_lsoas():
    values = pd.DataFrame({"lsoa21_code": ["a", "b"], "score": [10.0, 40.0], "flag": [True, False]})
    population = pd.DataFrame({"lsoa21_code": ["a", "b"], "population": [100.0, 300.0]})
    weights = pd.DataFrame(
        {"lsoa21_code": ["a", "b", "b"], "ward17_code": ["W1", "W1", "W2"], "weight": [1.0, 1 / 3, 2 / 3]}
    )
    wards = ward_population_means(values, population, weights).set_index("ward17_code")
    assert wards.loc["W1", "population"] == pytest.approx(200.0)  # 100 + 300/3
    assert wards.loc["W1", "score"] == pytest.approx(25.0)  # (10*100 + 40*100) / 200
    assert wards.loc["W1", "flag"] == pytest.approx(0.5)
    assert wards.loc["W2", "score"] == pytest.approx(40.0) and wards.loc["W2", "flag"] == 0.0


def test_transition():
    before = pd.Series([True, True, False, False])
    after = pd.Series([True, False, True, False])
    assert transition(before, after).tolist() == ["stays", "leaves", "enters", "neither"]


def test_the_2025_double_test_for_lsoas_and_wards():
    from ddn_pipeline.classify import lsoa21_double_test_2025, ward17_double_test_2025

    codes = [f"L{i}" for i in range(10)]
    # share 0.1 of 10 LSOAs: rank 1 only. L0 is most deprived on both indices; L1 second on IMD; L2 second on CNI
    imd = pd.DataFrame(
        {
            "lsoa21_code": codes,
            "imd_rank": [1, 2, 5, 6, 7, 8, 9, 10, 3, 4],
            "imd_score": [90.0, 80, 50, 40, 30, 20, 10, 5, 70, 60],
        }
    )
    cni = pd.DataFrame(
        {
            "lsoa21_code": codes,
            "lsoa21_name": codes,
            "cni_score": [95.0, 10, 90, 50, 40, 30, 20, 15, 12, 11],
            "cni_rank": [1, 10, 2, 3, 4, 5, 6, 7, 8, 9],
            "left_behind_published": [True] + [False] * 9,
        }
    )
    residents = pd.DataFrame({"oa21_code": [f"O{i}" for i in range(10)], "ts001_0001": [100.0] * 10})
    oa_lsoa = pd.DataFrame({"oa21_code": [f"O{i}" for i in range(10)], "lsoa21_code": codes})
    lsoas = lsoa21_double_test_2025(imd, cni, residents, oa_lsoa, 0.1).set_index("lsoa21_code")
    assert lsoas["doubly_disadvantaged_2025"].tolist() == [True] + [False] * 9
    assert lsoas.loc["L0", "population"] == 100.0 and lsoas.loc["L0", "imd2025_score"] == 90.0

    # ten wards of one LSOA each: W0 is the 2025 DDN; W0 and W1 were 2019 DDNs
    bridge = pd.DataFrame({"lsoa21_code": codes, "ward17_code": [f"W{i}" for i in range(10)], "weight": 1.0})
    wards2019 = pd.DataFrame(
        {
            "ward17_code": [f"W{i}" for i in range(10)],
            "ward17_name": "x",
            "published_ddn": [True, True] + [False] * 8,
        }
    )
    wards = ward17_double_test_2025(lsoas.reset_index(), bridge, wards2019, 0.1, 0.2).set_index("ward17_code")
    assert wards.loc["W0", "change"] == "stays" and wards.loc["W1", "change"] == "leaves"
    # the 2025 groups: W0 DDN; W1 second on ward IMD 2025, inside the most deprived 20%, so other deprived
    assert wards.loc["W0", "group_2025"] == "ddn" and wards.loc["W1", "group_2025"] == "other_deprived"
    assert (wards["group_2025"] == "rest_of_england").sum() == 8
    assert (wards["change"] == "neither").sum() == 8
    assert wards.loc["W0", "population_census2021"] == 100.0 and wards.loc["W0", "imd2025_rank"] == 1


def test_wards_2023_take_their_lsoas_whole():
    from ddn_pipeline.classify import ward23_double_test_2025

    lsoas = pd.DataFrame(
        {
            "lsoa21_code": ["A", "B", "C", "D"],
            "imd2025_score": [90.0, 70.0, 10.0, 20.0],
            "cni2023_score": [80.0, 60.0, 30.0, 10.0],
            "doubly_disadvantaged_2025": [True, False, False, False],
            "population": [100.0, 300.0, 200.0, 200.0],
        }
    )
    lookup = pd.DataFrame(
        {
            "lsoa21_code": ["A", "B", "C", "D"],
            "ward23_code": ["W1", "W1", "W2", "W2"],
            "ward23_name": ["One", "One", "Two", "Two"],
            "lad23_code": ["E06000001"] * 4,
            "lad23_name": ["Hartlepool"] * 4,
        }
    )
    wards = ward23_double_test_2025(lsoas, lookup, 0.5, 0.5).set_index("ward23_code")
    assert wards.loc["W1", "population_census2021"] == 400.0 and wards["population_census2021"].sum() == 800.0
    assert wards.loc["W1", "imd2025_score"] == pytest.approx((90 * 100 + 70 * 300) / 400)
    assert wards.loc["W1", "share_in_dd_lsoas_2025"] == pytest.approx(0.25)
    assert wards.loc["W1", "ddn_2025"] and not wards.loc["W2", "ddn_2025"]
    assert wards["group_2025"].tolist() == ["ddn", "rest_of_england"] and wards.loc["W1", "ward23_name"] == "One"


def test_a_share_that_selects_no_ward_is_refused():
    """A most deprived share too small to take in one ward (0.0001 of 7,421) would leave every group comparison
    empty: refused, naming the setting and the smallest share that works."""
    from ddn_pipeline.classify import ClassificationError, in_most_deprived

    ranks = pd.Series([1.0, 2.0, 3.0])
    assert in_most_deprived(ranks, 7421, 1.5 / 7421).tolist() == [True, False, False]
    with pytest.raises(ClassificationError, match=r"share of 0\.0001 of 7,421 ranked areas selects none.*1/7,421"):
        in_most_deprived(ranks, 7421, 0.0001)
