"""The robustness sweep: known answers on tiny frames, and on the mirror the 10% default variant is the main
classification exactly."""

import math

import numpy as np
import pandas as pd
import pytest

from ddn_pipeline.classify import variant_wards_2019, wards_2025
from ddn_pipeline.presentation import format_gap, readable_gaps
from ddn_pipeline.sweep import (
    gap_stability,
    mark_default,
    variant_claims,
    variant_gaps,
    variant_pooled,
    ward_stability,
)
from ddn_pipeline.sweep_plan import (
    POPULATION_2025,
    SweepError,
    sweep_indicators,
    threshold_share,
    threshold_text,
    variants,
)


def test_threshold_wildcards_round_trip():
    for share in (0.05, 0.075, 0.10, 0.125, 0.15, 0.20):
        assert math.isclose(threshold_share(threshold_text(share)), share)
    assert threshold_text(0.075) == "7.5" and threshold_text(0.1) == "10"
    with pytest.raises(SweepError, match="not a percentage"):
        threshold_share("ten")
    with pytest.raises(SweepError, match="outside"):
        threshold_share("150")


def test_variants_cross_every_choice_and_2025_has_one_population():
    found = variants([2019, 2025], [0.05, 0.1], ["population", "none"], ["a", "b", "c"])
    assert len(found) == 2 * 2 * 3 + 2 * 2 * 1
    assert {p for e, _, _, p in found if e == 2025} == {POPULATION_2025}
    assert (2019, "5", "none", "b") in found


def test_sweep_indicators_are_key_and_quoted_ones_without_counts():
    definitions = {
        "population": {"unit": "people"},
        "not_in_employment": {"unit": "share"},
        "jobs_density_proxy": {"unit": "ratio"},
    }
    figures = {"a": {"indicator": "population"}, "b": {"indicator": "jobs_density_proxy"}}
    assert sweep_indicators(definitions, figures) == ["not_in_employment", "jobs_density_proxy"]


# Ten LSOAs, one per ward w0..w9: ward IMD = LSOA score. IMD: w0 most deprived; CNI: w9 most deprived except w0, w1.
LSOAS = pd.DataFrame(
    {
        "lsoa11_code": [f"l{i}" for i in range(10)],
        "ward17_code": [f"w{i}" for i in range(10)],
        "imd_score": [100.0 - 10 * i for i in range(10)],
        "population_a": [100.0] * 10,
        "population_b": [float(10 * (i + 1)) for i in range(10)],
    }
)
CNI = pd.DataFrame({"ward17_code": [f"w{i}" for i in range(10)], "cni_rank": [2.0, 1.0, 4, 3, 5, 6, 7, 8, 9, 10]})


def test_variant_wards_2019_known_answers():
    wards, count = variant_wards_2019(LSOAS, CNI, 0.2, "a", "population", "cni_wards")
    assert count == 10
    # IMD ranks 1..10 for w0..w9; top 20% = ranks <= 2 on both: w0 (CNI 2) and w1 (CNI 1)
    assert wards.loc[wards["ddn"], "ward17_code"].tolist() == ["w0", "w1"]
    assert wards["group"].value_counts().to_dict() == {"rest_of_england": 8, "ddn": 2}
    wards, _ = variant_wards_2019(LSOAS, CNI, 0.4, "b", "population", "cni_wards")
    # top 40% = ranks <= 4 on both: w0..w3 on IMD, CNI ranks 2, 1, 4, 3
    assert wards.loc[wards["ddn"], "ward17_code"].tolist() == ["w0", "w1", "w2", "w3"]
    assert wards.loc[wards["ddn"], "population"].sum() == 10 + 20 + 30 + 40
    # other deprived follows the threshold unless given: with 0.4 as DDN and 0.6 on IMD, w4 and w5 are other deprived
    wards, _ = variant_wards_2019(LSOAS, CNI, 0.4, "a", "population", "cni_wards", other_deprived_share=0.6)
    assert wards.loc[wards["group"] == "other_deprived", "ward17_code"].tolist() == ["w4", "w5"]


def test_variant_wards_2019_weighting_changes_ward_scores():
    lsoas = pd.DataFrame(
        {
            "lsoa11_code": ["l0", "l1", "l2", "l3"],
            "ward17_code": ["w0", "w0", "w1", "w1"],
            "imd_score": [90.0, 10.0, 60.0, 50.0],
            "population_a": [100.0, 900.0, 500.0, 500.0],
        }
    )
    cni = pd.DataFrame({"ward17_code": ["w0", "w1"], "cni_rank": [1.0, 2.0]})
    # weighted: w0 = 18, w1 = 55 -> w1 most deprived; unweighted: w0 = 50, w1 = 55 -> still w1; at 50% only w1 and
    # the CNI top half is w0 only, so no DDN either way; ranks tell the weighting apart
    weighted, _ = variant_wards_2019(lsoas, cni, 0.5, "a", "population", "cni_wards")
    unweighted, _ = variant_wards_2019(lsoas, cni.assign(cni_rank=[2.0, 1.0]), 0.5, "a", "none", "cni_wards")
    assert weighted["imd_rank"].tolist() == [2.0, 1.0] and not weighted["ddn"].any()
    assert unweighted.loc[unweighted["ddn"], "ward17_code"].tolist() == ["w1"]
    lsoas.loc[1, "imd_score"] = 30.0  # unweighted w0 = 60 > w1 = 55, weighted w0 = 36 < 55
    unweighted, _ = variant_wards_2019(lsoas, cni, 0.5, "a", "none", "cni_wards")
    weighted, _ = variant_wards_2019(lsoas, cni, 0.5, "a", "population", "cni_wards")
    assert unweighted.loc[unweighted["ddn"], "ward17_code"].tolist() == ["w0"]
    assert not weighted["ddn"].any()


def test_wards_2025_unweighted_means_count_each_lsoa_share():
    lsoas = pd.DataFrame(
        {
            "lsoa21_code": ["a", "b"],
            "imd2025_score": [10.0, 40.0],
            "cni2023_score": [1.0, 1.0],
            "doubly_disadvantaged_2025": [False, False],
            "population": [300.0, 100.0],
        }
    )
    weights = pd.DataFrame({"lsoa21_code": ["a", "b"], "ward17_code": ["w", "w"], "weight": [1.0, 1.0]})
    weighted = wards_2025(lsoas, weights, 1.0, 1.0)  # one ward: a share must take it in (less selects none)
    unweighted = wards_2025(lsoas, weights, 1.0, 1.0, weighting="none")
    assert weighted["imd2025_score"].iloc[0] == pytest.approx((10 * 300 + 40 * 100) / 400)
    assert unweighted["imd2025_score"].iloc[0] == pytest.approx(25.0)
    assert weighted["population_census2021"].iloc[0] == unweighted["population_census2021"].iloc[0] == 400


DEFINITIONS = {
    "workless": {"unit": "share", "numerator": ["workless"], "denominator": ["adults"], "label": "Workless adults"},
    "life": {"unit": "years", "numerator": ["le_x_pop"], "denominator": ["le_pop"], "label": "Life expectancy"},
}
MEASURES = pd.DataFrame(
    {
        "ward17_code": ["w0", "w1", "w2", "w3"],
        "group": ["x"] * 4,  # the main classification's columns are replaced by the variant's
        "group_published_list": ["x"] * 4,
        "workless": [50.0, 30.0, 20.0, 10.0],
        "adults": [100.0, 100.0, 100.0, 100.0],
        "le_x_pop": [7000.0, 7500.0, 8000.0, 8000.0],
        "le_pop": [100.0, 100.0, 100.0, 100.0],
    }
)
VARIANT_GROUPS = pd.DataFrame(
    {
        "ward17_code": ["w0", "w1", "w2", "w3"],
        "group": ["ddn", "other_deprived", "other_deprived", "rest_of_england"],
        "population": [1000.0, 2000.0, 3000.0, 4000.0],
    }
)
VARIANT = {"edition": 2019, "threshold": 0.1, "weighting": "population", "population_source": "a"}


def test_variant_gaps_known_answers():
    pooled = variant_pooled(MEASURES, VARIANT_GROUPS, DEFINITIONS)
    gaps = variant_gaps(VARIANT, VARIANT_GROUPS, pooled, DEFINITIONS).set_index("indicator")
    assert gaps.loc["workless", "ddn"] == 0.5
    assert gaps.loc["workless", "other_deprived"] == 0.25
    assert gaps.loc["workless", "england"] == pytest.approx(110 / 400)
    assert gaps.loc["workless", "ddn_minus_other_deprived"] == pytest.approx(0.25)
    assert gaps.loc["life", "ddn_minus_england"] == pytest.approx(70 - 76.25)
    assert gaps["ddn_wards"].unique().tolist() == [1] and gaps["ddn_population"].unique().tolist() == [1000.0]
    assert gaps["other_deprived_wards"].unique().tolist() == [2]
    assert len(gaps) == len(DEFINITIONS)


def test_a_ward_without_a_variant_group_is_an_error():
    with pytest.raises(SweepError, match="1 wards with measures have no group"):
        variant_pooled(MEASURES, VARIANT_GROUPS.iloc[:3], DEFINITIONS)


def test_variant_claims_judge_each_published_figure():
    pooled = variant_pooled(MEASURES, VARIANT_GROUPS, DEFINITIONS)
    figures = {
        "workless_higher": {"statistic": "s", "indicator": "workless", "claims": ["ddn > other_deprived"]},
        "life_value": {
            "statistic": "s",
            "indicator": "life",
            "values": [{"expr": "ddn", "published": 75, "tolerance": 1}],
        },
        "elsewhere": {"statistic": "s", "indicator": "not_pooled_here", "claims": ["ddn > england"]},
    }
    claims = variant_claims(VARIANT, pooled, figures).set_index("id")
    assert claims["verdict"].to_dict() == {"workless_higher": "direction_holds", "life_value": "differs"}


def gaps_frame(values, thresholds=(0.05, 0.1, 0.2), weighting="population", population="a", edition=2019):
    return pd.DataFrame(
        {
            "edition": edition,
            "threshold": list(thresholds),
            "weighting": weighting,
            "population_source": population,
            "indicator": "workless",
            "unit": "share",
            "ddn_minus_other_deprived": values,
            "ddn_minus_england": [0.1] * len(values),
        }
    )


def test_gap_stability_says_which_gaps_keep_their_sign():
    default = {"weighting": "population", "population_source": "a"}
    holds = mark_default(gaps_frame([0.02, 0.01, 0.03]), default)
    flips = mark_default(gaps_frame([-0.01, 0.01, 0.03]), default)
    row = gap_stability(holds, 0.1).iloc[0]
    assert row["ddn_minus_other_deprived_same_sign_everywhere"] and row["ddn_minus_other_deprived_at_default"] == 0.01
    assert row["ddn_minus_other_deprived_min"] == 0.01 and row["ddn_minus_other_deprived_max"] == 0.03
    assert not gap_stability(flips, 0.1).iloc[0]["ddn_minus_other_deprived_same_sign_everywhere"]
    # a non-default variant at the default threshold is not the reference, but counts for the sign
    both = pd.concat([holds, mark_default(gaps_frame([0.02, -0.5, 0.03], weighting="none"), default)])
    row = gap_stability(both, 0.1).iloc[0]
    assert row["ddn_minus_other_deprived_at_default"] == 0.01 and row["variants"] == 6
    assert not row["ddn_minus_other_deprived_same_sign_everywhere"]


def test_mark_default_takes_census_2021_for_2025():
    frame = pd.concat(
        [
            gaps_frame([0.1], (0.1,), population=POPULATION_2025, edition=2025),
            gaps_frame([0.1], (0.1,), population="b"),
        ]
    )
    marked = mark_default(frame, {"weighting": "population", "population_source": "b"})
    assert marked["default_variant"].tolist() == [True, True]


def test_ward_stability_counts_variants_per_edition():
    rows = []
    for threshold, members in ((0.05, ["w0"]), (0.1, ["w0", "w1"]), (0.2, ["w0", "w1", "w2"])):
        for ward in ["w0", "w1", "w2", "w3"]:
            rows.append(
                {
                    "edition": 2019,
                    "threshold": threshold,
                    "weighting": "population",
                    "population_source": "a",
                    "ward17_code": ward,
                    "ddn": ward in members,
                }
            )
    names = pd.DataFrame(
        {"ward17_code": ["w0", "w1", "w2", "w3"], "ward17_name": list("ABCD"), "lad_name": "L", "region_name": "R"}
    ).assign(published_ddn=[True, True, False, False])
    table = ward_stability(pd.DataFrame(rows), names).set_index("ward17_code")
    assert table["ddn_variants_2019"].to_dict() == {"w0": 3, "w1": 2, "w2": 1}
    assert table["of_variants_2019"].unique().tolist() == [3]
    assert table["lowest_threshold_2019"].to_dict() == {"w0": 0.05, "w1": 0.1, "w2": 0.2}


def test_readable_gaps_in_units():
    gaps = pd.DataFrame(
        {
            "edition": [2019],
            "threshold": [0.075],
            "weighting": ["none"],
            "population_source": ["a"],
            "ddn_wards": [10],
            "ddn_population": [12345.0],
            "indicator": ["workless"],
            "ddn": [0.5],
            "other_deprived": [0.25],
            "england": [np.nan],
            "ddn_minus_other_deprived": [0.25],
            "ddn_minus_england": [np.nan],
        }
    )
    row = readable_gaps(gaps, DEFINITIONS).iloc[0]
    assert row["Threshold (most deprived share of wards on both indices)"] == "7.5%"
    assert row["Ward IMD weighting"] == "unweighted" and row["People in DDNs"] == "12,345"
    assert row["DDNs minus other deprived"] == "+25.0 points" and row["DDNs minus England"] == "–"
    assert format_gap(-1.25, "years") == "-1.2 years" and format_gap(-0.123, "ratio") == "-0.12"


# ---------------------------------------------------------------- on the mirror


def read(workdir, path, **kwargs):
    path = workdir / "results" / path
    return pd.read_parquet(path, **kwargs) if path.suffix == ".parquet" else pd.read_csv(path, **kwargs)


@pytest.mark.integration
def test_default_10pct_variants_equal_the_main_classification(mirror_run):
    main = read(mirror_run, "classification/ward17_groups.parquet")
    variant = read(mirror_run, "sweep/variants/2019/iod2019_mid2015/population/10pct/wards.parquet")
    both = main.merge(variant, on="ward17_code", how="outer", validate="one_to_one", indicator=True)
    assert (both["_merge"] == "both").all()
    assert (both["ddn"] == both["reproduced_ddn"]).all()
    assert (both["group_y"] == both["group_reproduced_list"]).all()
    assert (both["population_x"] == both["population_y"]).all()
    main_2025 = read(mirror_run, "classification/ward17_ddn_2019_vs_2025.csv")
    variant_2025 = read(mirror_run, "sweep/variants/2025/census2021/population/10pct/wards.parquet")
    both = main_2025.merge(variant_2025, on="ward17_code", how="outer", validate="one_to_one")
    assert (both["group_2025"] == both["group"]).all() and (both["ddn_2025"] == both["ddn"]).all()


@pytest.mark.integration
def test_gaps_table_one_row_per_variant_and_indicator(mirror_run):
    gaps = read(mirror_run, "sweep/threshold/gaps.csv")
    keys = ["edition", "threshold", "weighting", "population_source", "indicator"]
    assert not gaps.duplicated(keys).any()
    variant_count = len(gaps[keys[:-1]].drop_duplicates())
    assert variant_count == 12  # 6 thresholds x 2 editions at the default weighting and population
    assert len(gaps) == variant_count * gaps["indicator"].nunique()
    assert gaps["default_variant"].all()
    groups = read(mirror_run, "indicators/group_indicators.csv")
    for edition, ddn_list in ((2019, "reproduced"), (2025, "2025")):
        at_default = gaps[(gaps["edition"] == edition) & np.isclose(gaps["threshold"], 0.1)]
        for row in at_default.itertuples():
            values = groups[(groups["ddn_list"] == ddn_list) & (groups["indicator"] == row.indicator)]
            values = values.set_index("group")["value"]
            assert (row.ddn, row.other_deprived, row.england) == (
                values["ddn"],
                values["other_deprived"],
                values["england"],
            )
    stability = read(mirror_run, "sweep/threshold/ward_stability.csv")
    at_10 = stability["lowest_threshold_2019"] <= 0.1
    assert at_10.sum() == 225  # the reproduced list: a ward DDN at 10% is one at every higher threshold


@pytest.mark.integration
def test_full_sweep_reuses_the_default_variants(mirror_run, mirror):
    from conftest import snakemake

    plan = snakemake(mirror_run, "sweep_full", "--config", f"mirror={mirror}", "-n")
    assert plan.returncode == 0, plan.stderr[-2000:]
    planned = [line.split() for line in plan.stdout.splitlines() if line.startswith("sweep_variant ")]
    assert planned and int(planned[0][1]) == 48 - 12  # the default run's 12 variants are reused
    run = snakemake(mirror_run, "sweep_full", "--config", f"mirror={mirror}")
    assert run.returncode == 0, run.stderr[-3000:]
    gaps = read(mirror_run, "sweep/full/gaps.csv")
    assert len(gaps[["edition", "threshold", "weighting", "population_source"]].drop_duplicates()) == 48
    assert not gaps.duplicated(["edition", "threshold", "weighting", "population_source", "indicator"]).any()
    conclusions = read(mirror_run, "sweep/full/conclusions.csv")
    assert conclusions["ddn_minus_other_deprived_at_default"].notna().all()


def test_claim_stability_counts_the_variants_a_figure_holds_in():
    from ddn_pipeline.presentation import readable_conclusions
    from ddn_pipeline.sweep import claim_stability

    claims = pd.DataFrame(
        {
            "edition": 2019,
            "threshold": [0.05, 0.1, 0.2],
            "weighting": "population",
            "population_source": "a",
            "id": "life",
            "statistic": "Life expectancy worse",
            "verdict": ["differs", "direction_holds", "matches"],
        }
    )
    summary = claim_stability(mark_default(claims, {"weighting": "population", "population_source": "a"}), 0.1)
    row = summary.iloc[0]
    assert row["verdict_at_default"] == "direction_holds" and row["variants_matching_or_holding"] == 2
    assert row["thresholds_matching_or_holding"] == "10%, 20%"
    conclusions = gap_stability(
        mark_default(gaps_frame([0.02, 0.01, 0.03]), {"weighting": "population", "population_source": "a"}), 0.1
    )
    claim_words, gap_words = readable_conclusions(conclusions, summary, DEFINITIONS)
    assert claim_words.iloc[0]["Variants in which it matches or holds"] == "2 of 3"
    assert gap_words.iloc[0]["DDNs minus other deprived at the report's threshold"] == "+1.0 points"
    assert gap_words.iloc[0]["DDNs minus other deprived: same sign in every variant"] == "yes"
