"""Numbers and tables for people: units, verdicts in words, no nan."""

import math

import pandas as pd
import pytest

from ddn_pipeline.benchmark import compare_value, numeric_points
from ddn_pipeline.presentation import (
    closeness,
    expression_words,
    format_value,
    readable_comparison,
    readable_sensitivity,
)

INDICATORS = {
    "share_ind": {"unit": "share", "label": "A share", "definition": "a ÷ b (Census 2021 TS001)"},
    "years_ind": {"unit": "years", "label": "Life expectancy", "definition": "years"},
}
FIGURES = {
    "f1": {
        "statistic": "A share in DDNs",
        "indicator": "share_ind",
        "source": "s",
        "values": [{"expr": "ddn", "published": 0.267, "tolerance": 0.0005}],
    },
    "f2": {
        "statistic": "Gap",
        "indicator": "years_ind",
        "source": "s",
        "values": [{"expr": "england - ddn", "published": 3.7, "tolerance": 0.05}],
    },
    "f3": {"statistic": "Jobs", "indicator": "jobs", "source": "s", "claims": ["ddn > england"]},
}


@pytest.mark.parametrize(
    "value, unit, text",
    [
        (0.47903, "share", "47.9%"),
        (2334856.0, "people", "2,334,856"),
        (78.07, "years", "78.1 years"),
        (math.nan, "share", "–"),
        (None, "people", "–"),
    ],
)
def test_values_in_their_units(value, unit, text):
    assert format_value(value, unit) == text


def test_closeness_bands():
    ours, _, within = compare_value({"expr": "ddn", "published": 0.267, "tolerance": 0.0005}, {"ddn": 0.26756})
    assert not within and closeness(ours, 0.267, within, 0.05) == "close"
    assert closeness(0.267, 0.267, True, 0.05) == "within"
    assert closeness(0.129, 0.09, False, 0.05) == "differs"


def test_expressions_in_words():
    assert expression_words("england - ddn") == "England minus DDNs"


def comparison():
    return pd.DataFrame(
        [
            {
                "id": "f1",
                "indicator": "share_ind",
                "ddn": 0.26756,
                "other_deprived": 0.259,
                "rest_of_england": 0.1,
                "england": 0.12,
                "verdict": "differs",
                "note": "ddn: outside",
                "source_url": "https://x",
            },
            {
                "id": "f2",
                "indicator": "years_ind",
                "ddn": 78.0,
                "other_deprived": 78.1,
                "rest_of_england": 81.5,
                "england": 81.4,
                "verdict": "differs",
                "note": "gap",
                "source_url": "https://x",
            },
            {
                "id": "f3",
                "indicator": "jobs",
                "ddn": math.nan,
                "other_deprived": math.nan,
                "rest_of_england": math.nan,
                "england": math.nan,
                "verdict": "not_computed",
                "note": "BRES unavailable offline",
                "source_url": "https://x",
            },
        ]
    )


def test_readable_comparison_has_units_words_and_no_nan():
    table = readable_comparison(comparison(), FIGURES, INDICATORS)
    assert table.loc[0, "ours_ddn"] == "26.8%" and table.loc[1, "ours_england"] == "81.4 years"
    assert table.loc[0, "published"] == "DDNs: 26.7%" and table.loc[1, "published"] == "England minus DDNs: 3.7 years"
    assert table.loc[2, "verdict"] == "Not computed: BRES unavailable offline"
    assert table.loc[2, "published"] == "claim: DDNs higher than England"
    assert not table.astype(str).apply(lambda column: column.str.contains("nan")).any().any()


def test_numeric_points_label_in_words_with_their_unit():
    points = numeric_points(comparison(), FIGURES, INDICATORS, 0.05)
    assert points["label"].tolist() == ["A share: DDNs", "Life expectancy: England minus DDNs"]
    assert points["unit"].tolist() == ["share", "years"]
    assert points["closeness"].tolist() == ["close", "differs"]


def test_readable_sensitivity_names_lists_in_words():
    sensitivity = pd.DataFrame(
        [
            {
                "statistic": "A share",
                "candidate_indicator": "share_ind",
                "ddn_list": "reproduced",
                "is_default": False,
                "ddn": 0.3,
                "other_deprived": 0.2,
                "england": 0.1,
                "verdict": "differs",
                "verdict_england_as_rest_of_england": "matches",
            }
        ]
    )
    table = readable_sensitivity(sensitivity, INDICATORS)
    assert table.loc[0, "DDN list"] == "2019, reproduced (ours)" and table.loc[0, "Ours: DDNs"] == "30.0%"


def test_a_reading_that_matches_is_named_beside_the_headline_verdict():
    frame = (
        comparison()
        .iloc[[0]]
        .assign(
            matches_when_read="matches as a share of people (Local Trust writes '26.7 per cent of people'): ddn: ours 0.267"
        )
    )
    (verdict,) = readable_comparison(frame, FIGURES, INDICATORS)["verdict"]
    assert (
        verdict
        == "Differs on our headline definition; matches as a share of people (Local Trust writes '26.7 per cent of people')"
    )


def test_each_number_and_each_reading_is_judged():
    from ddn_pipeline.benchmark import reading_verdicts, value_verdicts

    figure = {
        "indicator": "a",
        "values": [
            {"expr": "ddn", "published": 0.434, "tolerance": 0.0005},
            {"expr": "england", "published": 0.088, "tolerance": 0.0005},
        ],
        "readings": [{"label": "as a share of people", "indicator": "b", "wording": "'per cent of people'"}],
    }
    assert value_verdicts(figure, {"ddn": 0.441, "england": 0.0879}) == "ddn: outside; england: within"
    groups = pd.DataFrame(
        [
            ("published", "b", "ddn", 0.4342),
            ("published", "b", "england", 0.0878),
            ("published", "b", "other_deprived", 0.39),
            ("published", "b", "rest_of_england", 0.03),
        ],
        columns=["ddn_list", "indicator", "group", "value"],
    )
    reading = reading_verdicts(figure, groups)
    assert reading.startswith("matches as a share of people ('per cent of people'): ddn: ours 0.4342")
    assert reading_verdicts({**figure, "readings": [{**figure["readings"][0], "indicator": "a"}]}, groups) == ""


def test_each_published_number_has_its_verdict_and_reason_in_its_unit():
    from ddn_pipeline.benchmark import number_rows
    from ddn_pipeline.presentation import claim_words, readable_numbers

    assert claim_words("0.45 <= ddn < 0.5", "share") == "DDNs at least 45.0% and below 50.0%"
    assert claim_words("ddn < england", "years") == "DDNs lower than England"
    figure = {
        "statistic": "Life expectancy",
        "indicator": "le",
        "claims": ["ddn < other_deprived", "ddn < england"],
        "precision": 0.05,
        "why": "MSOA values.",
    }
    values = {"ddn": 78.1, "other_deprived": 78.088, "rest_of_england": 82.0, "england": 81.9}
    numbers = pd.DataFrame(number_rows("le", figure, values))
    comparison = pd.DataFrame([{"id": "le", **values}])
    table = readable_numbers(numbers, comparison, {"le": figure}, {"le": {"unit": "years"}})
    first, second = table.to_dict("records")
    assert first["Verdict"] == "No difference" and first["Ours, in the same terms"] == "+0.012 years"
    assert "78.1 years against Other deprived 78.1 years" in first["Why"] and "±0.05 years" in first["Why"]
    assert second["Verdict"] == "Holds" and second["Ours, in the same terms"] == "-3.8 years"
    assert "MSOA values." not in second["Why"]  # the known reasons are given only where a number is not reproduced
