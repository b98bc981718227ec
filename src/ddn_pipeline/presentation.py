"""Numbers and tables for people: values in their units, verdicts in words, definitions in words, no `nan`."""

import ast
import math

import pandas as pd

from ddn_pipeline.groups import GROUPS, LABELS, PUBLISHED_GROUPS
from ddn_pipeline.headline import KEY_INDICATORS

VERDICT_WORDS = {
    "matches": "Matches (within the published figure's rounding)",
    "direction_holds": "Holds (the claim's direction is reproduced)",
    "no_difference": "No difference (the gap is under the precision of the published figures)",
    "differs": "Differs",
    "not_computed": "Not computed",
}
NUMBER_VERDICT_WORDS = {
    "matches": "Matches",
    "differs": "Differs",
    "holds": "Holds",
    "does_not_hold": "Does not hold",
    "no_difference": "No difference",
    "reported": "Direction only (a proxy)",
    "not_computed": "Not computed",
}
CLOSENESS_WORDS = {"within": "within rounding", "close": "close", "differs": "differs"}
MISSING = "–"
LIST_WORDS = {
    "published": "2019, published (OCSI/Local Trust)",
    "reproduced": "2019, reproduced (ours)",
    "2025": "2025 (IMD 2025 and CNI 2023, ours)",
}


def format_value(value, unit, digits=1):
    """A value in its unit for reading: shares as percentages, people as whole numbers, years with one decimal."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    if unit == "share":
        return f"{100 * value:.{digits}f}%"
    if unit == "people":
        return f"{value:,.0f}"
    if unit == "years":
        return f"{value:.{digits}f} years"
    if unit == "ratio":
        return f"{value:.2f}"
    return f"{value:,.4g}"


def expression_unit(expression, unit):
    """The unit of a published expression: a difference of shares is in percentage points, a ratio has none."""
    if "/" in expression:
        return "ratio"
    if "-" in expression and unit == "share":
        return "points"
    return unit


def expression_words(expression):
    """'england - ddn' -> 'England minus DDNs': a published expression over groups in words."""
    words = {**LABELS, "-": "minus", "+": "plus", "/": "divided by", "*": "times"}
    return " ".join(words.get(token, token) for token in expression.split())


def format_in(value, unit, digits=None):
    """A value in an expression's unit (expression_unit): as format_value, and percentage points and ratios; with
    digits, that many decimals (a ratio at least two)."""
    if unit == "points":
        return MISSING if value is None or math.isnan(value) else f"{100 * value:.{digits or 1}f} points"
    if unit == "ratio":
        return MISSING if value is None or math.isnan(value) else f"{value:.{max(digits or 2, 2)}f}"
    return format_value(value, unit, digits or 1)


def closeness(ours, published, within, close_within):
    """within (inside the rounding of the published figure: benchmark.compare_value), close (within close_within of
    it, relatively), or differs."""
    if within:
        return "within"
    return "close" if published and abs(ours - published) <= close_within * abs(published) else "differs"


def published_text(figure, unit):
    """The published figure in words: numbers in their units, claims as written."""
    parts = [
        f"{expression_words(v['expr'])}: {format_in(v['published'], expression_unit(v['expr'], unit))}"
        for v in figure.get("values", [])
    ]
    parts += [
        f"{expression_words(v['expr'])}: about {format_in(v['published'], expression_unit(v['expr'], unit))}"
        for v in figure.get("magnitudes", [])
    ]
    parts += [f"claim: {claim_words(claim, unit)}" for claim in figure.get("claims", [])]
    return "; ".join(parts)


def readable_comparison(comparison, figures, indicators):
    """report_comparison.csv for people: statistic, published, ours per group in units, verdict and definition in
    words, source. comparison: the machine table; figures, indicators: the reference data."""
    rows = []
    for row in comparison.itertuples():
        figure = figures[row.id]
        definition = indicators.get(row.indicator)
        unit = definition["unit"] if definition else ""
        note = "" if pd.isna(row.note) else row.note
        verdict = VERDICT_WORDS[row.verdict] + (f": {note}" if row.verdict == "not_computed" and note else "")
        reading = getattr(row, "matches_when_read", "")
        if isinstance(reading, str) and reading:
            # another definition a published wording supports: said beside the headline verdict, never instead of it
            verdict += " on our headline definition; " + "; ".join(
                part.split("): ")[0] + ")" for part in reading.split("; ") if "): " in part
            )
        rows.append(
            {
                "statistic": figure["statistic"],
                "published": published_text(figure, unit),
                **{f"ours_{g}": format_value(getattr(row, g), unit) for g in PUBLISHED_GROUPS},
                "verdict": verdict,
                "detail": note if row.verdict != "not_computed" else "",
                "definition": definition["definition"] if definition else "no method or data in this run",
                "source": row.source_url,
            }
        )
    return pd.DataFrame(rows)


READABLE_COMPARISON_HEADERS = {
    "statistic": "Published statistic",
    "published": "Published value or claim",
    "ours_ddn": "Ours: DDNs",
    "ours_other_deprived": "Ours: other deprived areas",
    "ours_england": "Ours: England",
    "verdict": "Verdict",
    "detail": "How it compares",
    "definition": "Our definition",
    "source": "Source of the published figure",
}


def readable_sensitivity(sensitivity, indicators, not_computed=None):
    """definition_sensitivity.csv for people: each candidate definition in words with values in units.
    not_computed: {statistic id: {label}} (reference/indicators.yaml), named for the statistics with no data."""
    rows = []
    for row in sensitivity.itertuples():
        definition = indicators.get(row.candidate_indicator)
        unit = definition["unit"] if definition else ""
        missing = (not_computed or {}).get(row.candidate_indicator, {}).get("label", row.candidate_indicator)
        rows.append(
            {
                "Published statistic": row.statistic,
                "Candidate definition": definition["definition"] if definition else f"{missing} (not computed)",
                "DDN list": LIST_WORDS[str(row.ddn_list)],
                "Headline definition and list": "Yes" if row.is_default else "No",
                **{f"Ours: {LABELS[g]}": format_value(getattr(row, g), unit) for g in PUBLISHED_GROUPS},
                "Verdict": VERDICT_WORDS[row.verdict],
                "Verdict if England means the rest of England": VERDICT_WORDS[row.verdict_england_as_rest_of_england],
            }
        )
    return pd.DataFrame(rows)


# Source lines of the figures (the datasets behind them, as credited by their publishers).
CLASSIFICATION_SOURCE = (
    "OCSI for Local Trust, Community Needs Index 2019 and the published DDN (left-behind) list; MHCLG, English "
    "Indices of Deprivation 2019; ONS LSOA 2011 to ward 2017 lookup. Analysis: ddn-pipeline."
)
OS_ATTRIBUTION = "Contains OS data © Crown copyright and database right 2019"
BOUNDARY_SOURCE = (
    "Boundaries: ONS Open Geography Portal (LSOA December 2011, local authority districts December 2019), "
    f"Open Government Licence v3.0. {OS_ATTRIBUTION}."
)
BENCHMARK_SOURCE = (
    "published figures: Centre for Progressive Policy and Local Trust (2024), Breaking the cycle; Local Trust, "
    "Left behind? (2019). Reproduced values: ddn-pipeline from open data (results/benchmark/report_comparison.csv)."
)


def indicator_source(definition):
    return f"{definition['source']}; ward groups: OCSI/Local Trust (CNI 2019, DDN list), MHCLG (IMD 2019). Analysis: ddn-pipeline."


# The indicators compared across editions (issue: the key indicators of the report's themes).
EDITION_COLUMNS = [
    ("published", "ddn", "DDNs 2019 (published)"),
    ("reproduced", "ddn", "DDNs 2019 (reproduced)"),
    ("2025", "ddn", "DDNs 2025"),
    ("published", "other_deprived", "Other deprived 2019"),
    ("2025", "other_deprived", "Other deprived 2025"),
    ("published", "england", "England"),
]


def edition_values(groups, indicators, columns=EDITION_COLUMNS, keys=KEY_INDICATORS):
    """[(label, unit, {column header: value or None})] for the key indicators, one value per (list, group) column.
    groups: group_indicators.csv (ddn_list, indicator, group, value)."""
    values = {(str(r.ddn_list), r.indicator, r.group): r.value for r in groups.itertuples()}
    rows = []
    for key in [key for key in keys if key in indicators]:
        found = {header: values.get((ddn_list, key, group)) for ddn_list, group, header in columns}
        found = {header: None if value in (None, "") else float(value) for header, value in found.items()}
        rows.append((indicators[key]["label"], indicators[key]["unit"], found))
    return rows


def editions_side_by_side(groups, indicators, keys=KEY_INDICATORS):
    """The key indicators for the DDNs and other deprived areas of each edition, and England, in their units."""
    return pd.DataFrame(
        [
            {"Indicator": label} | {header: format_value(value, unit) for header, value in found.items()}
            for label, unit, found in edition_values(groups, indicators, keys=keys)
        ]
    )


def format_gap(value, unit, digits=None):
    """A difference between two groups in its unit: shares in percentage points, years, ratios; with its sign."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    usual, scale, suffix = {"share": (1, 100, " points"), "years": (1, 1, " years")}.get(unit, (2, 1, ""))
    digits = usual if digits is None else digits
    shown = round(scale * value, digits) + 0.0  # + 0.0: no "-0.0" for a gap that rounds to nothing
    if shown == 0 and value != 0:
        return f"{scale * value:+.2g}{suffix}"  # a small gap keeps its sign and two figures, never "+0.0"
    return f"{shown:+.{digits}f}{suffix}"


def format_margin(value, unit):
    """A tolerance or precision in its unit, as '±0.05 points' or '±50,000'."""
    if unit == "people":
        return f"±{value:,.0f}"
    return format_gap(value, unit, digits_for(value, unit)).replace("+", "±", 1)


def digits_for(margin, unit):
    """Decimals that show a difference of the size of margin (a rounding of 0.05 points needs two)."""
    scale = 100 if unit in ("share", "points") else 1
    return max(1, -math.floor(math.log10(scale * margin))) if margin > 0 else 1


COMPARISON_WORDS = {ast.Gt: "higher than", ast.Lt: "lower than", ast.GtE: "at least", ast.LtE: "at most"}
BOUND_WORDS = {ast.Gt: "above", ast.Lt: "below", ast.GtE: "at least", ast.LtE: "at most"}


def claim_words(claim, unit):
    """'ddn > england' -> 'DDNs higher than England'; '0.45 <= ddn < 0.5' -> 'DDNs at least 45.0% and below 50.0%'."""
    tree = ast.parse(claim, mode="eval").body

    def words(node):
        if isinstance(node, ast.Constant):
            return format_in(float(node.value), "ratio" if unit == "ratio" else unit).removesuffix(".00")
        return expression_words(ast.unparse(node))

    if not isinstance(tree, ast.Compare):
        return expression_words(claim)
    sides = [tree.left, *tree.comparators]
    if len(tree.ops) == 2 and isinstance(tree.left, ast.Constant):
        low = {ast.Lt: "above", ast.LtE: "at least"}[type(tree.ops[0])]
        return f"{words(sides[1])} {low} {words(sides[0])} and {BOUND_WORDS[type(tree.ops[1])]} {words(sides[2])}"
    bound = isinstance(tree.comparators[-1], ast.Constant)
    table = BOUND_WORDS if bound else COMPARISON_WORDS
    parts = [words(sides[0])]
    for op, side in zip(tree.ops, sides[1:]):
        parts += [table[type(op)], words(side)]
    return " ".join(parts)


def number_reason(number, figure, unit, values, not_computed_reason=""):
    """Why a published number got its verdict, in one or two sentences in its unit: the rounding it is judged by,
    the groups' values and gap for a claim, the claim's reading, and figure['why'] when it is not reproduced."""
    why = figure.get("why", "")
    if isinstance(why, dict):
        why = why.get(number["number"], "")
    verdict, kind = number["verdict"], number["kind"]
    if verdict == "not_computed":
        return (
            f"Not computed in this run: {not_computed_reason}" if not_computed_reason else "Not computed in this run."
        )
    expr_unit = expression_unit(number["number"], unit)
    if kind == "value":
        digits = digits_for(number["margin"], expr_unit)
        ours, published = (
            format_in(number["ours"], expr_unit, digits),
            format_in(number["published"], expr_unit, digits),
        )
        margin = format_margin(number["margin"], "share" if expr_unit == "points" else expr_unit)
        if verdict == "matches":
            return f"Ours is {ours} against the published {published}, within its rounding ({margin})."
        # one more decimal near the edge of the rounding, so that "+0.05 beyond ±0.05" never shows
        near = abs(number["difference"]) < 2 * number["margin"]
        gap = format_gap(number["difference"], "share" if expr_unit == "points" else expr_unit, digits + near)
        return (
            f"Ours is {ours} against the published {published} ({gap}), beyond its rounding ({margin}). {why}".strip()
        )
    if kind == "magnitude":
        ours, published = format_in(number["ours"], expr_unit), format_in(number["published"], expr_unit)
        return f"Ours is {ours} beside the published {published}: only the direction is judged. {why}".strip()
    if kind == "direction":
        tree = ast.parse(number["number"], mode="eval").body
        left, right = ast.unparse(tree.left), ast.unparse(tree.comparators[0])
        levels = (
            f"{expression_words(left)} {format_value(values.get(left), unit)} against "
            f"{expression_words(right)} {format_value(values.get(right), unit)}"
        )
        gap = format_gap(number["ours"], unit)
        if verdict == "no_difference":
            precision = format_margin(number["margin"], unit)
            return f"{levels}: a gap of {gap}, under the precision of the published figures ({precision})."
        said = f"{levels}, a gap of {gap}."
        return said if verdict == "holds" else f"{said} {why}".strip()
    meaning = figure.get("meanings", {}).get(number["number"], "")
    said = f"Ours is {format_in(number['ours'], expression_unit(number['number'], unit))}."
    if meaning:
        said += f" {meaning[0].upper()}{meaning[1:]}."
    return said if verdict == "holds" else f"{said} {why}".strip()


IN_GROUP = {"ddn": "in DDNs", "other_deprived": "in other deprived areas", "england": "in England"}


def coverage_words(reached):
    """How many of each group's residents an indicator reaches ({group: share}), in one sentence."""
    shares = [f"{100 * reached[g]:.1f}% {IN_GROUP[g]}" for g in PUBLISHED_GROUPS if g in reached]
    if not shares:
        return ""
    shares[0] = shares[0].replace("% ", "% of residents ", 1)
    listed = ", ".join(shares[:-1]) + f" and {shares[-1]}" if len(shares) > 1 else shares[0]
    return f"Known for the neighbourhoods of {listed}."


def reading_words(matches_when_read):
    """The other readings under which a figure matches (report_comparison.csv's matches_when_read), in a sentence."""
    labels = [part.split("): ")[0] + ")" for part in matches_when_read.split("; ") if "): " in part]
    return f"It {' and '.join(labels)}." if labels else ""


def readable_numbers(numbers, comparison, figures, indicators, not_computed=None, coverage=None):
    """published_numbers.csv for people: each published number or claim, ours in its unit, the groups' levels, its
    own verdict and the reason for it. numbers: benchmark.number_rows rows; comparison: report_comparison.csv (the
    levels per group); not_computed: {indicator: why it could not be computed, in words}; coverage: {indicator:
    {group: share of its people the indicator reaches}}, said after the reason (indicators.known_for_share)."""
    not_computed, coverage = not_computed or {}, coverage or {}
    levels = comparison.set_index("id")
    rows = []
    for number in numbers.to_dict("records"):
        figure = figures[number["id"]]
        definition = indicators.get(figure["indicator"])
        unit = definition["unit"] if definition else ""
        values = {g: levels.loc[number["id"], g] for g in GROUPS}
        reading = levels.loc[number["id"]].get("matches_when_read", "")
        reading = reading if isinstance(reading, str) else ""
        expr_unit = expression_unit(number["number"], unit)
        if number["kind"] == "value":
            published = f"{expression_words(number['number'])}: {format_in(number['published'], expr_unit)}"
            ours = format_in(number["ours"], expr_unit, digits_for(number["margin"], expr_unit))
        elif number["kind"] == "magnitude":
            published = f"{expression_words(number['number'])}: {format_in(number['published'], expr_unit)}"
            ours = format_in(number["ours"], expr_unit)
        elif number["kind"] == "direction":
            published = claim_words(number["number"], unit)
            ours = format_gap(number["ours"], unit) if not math.isnan(number["ours"]) else MISSING
        else:
            published = claim_words(number["number"], unit)
            ours = format_in(number["ours"], expr_unit)
        rows.append(
            {
                "Published statistic": figure["statistic"],
                "Published figure or claim": published,
                "Ours, in the same terms": ours,
                **{f"Ours: {LABELS[g]}": format_value(values[g], unit) for g in PUBLISHED_GROUPS},
                "Verdict": NUMBER_VERDICT_WORDS[number["verdict"]],
                "Why": " ".join(
                    part
                    for part in (
                        number_reason(number, figure, unit, values, not_computed.get(figure["indicator"], "")),
                        reading_words(reading) if number["verdict"] not in ("matches", "holds") else "",
                        coverage_words(coverage.get(figure["indicator"], {})),
                    )
                    if part
                ),
            }
        )
    return pd.DataFrame(rows)


# The two gaps of the robustness sweep, in words (tables and figures).
GAP_WORDS = {"ddn_minus_other_deprived": "DDNs minus other deprived", "ddn_minus_england": "DDNs minus England"}


def readable_gaps(gaps, indicators):
    """The sweep's gaps table for people: variants and indicators in words, values and gaps in their units."""
    units = [indicators[i]["unit"] for i in gaps["indicator"]]

    def in_units(column, formatter):
        return [formatter(value, unit) for value, unit in zip(gaps[column], units)]

    return pd.DataFrame(
        {
            "Edition": gaps["edition"],
            "Threshold (most deprived share of wards on both indices)": [f"{100 * t:g}%" for t in gaps["threshold"]],
            "Ward IMD weighting": gaps["weighting"].map({"population": "population-weighted", "none": "unweighted"}),
            "Population source": gaps["population_source"],
            "DDN wards": gaps["ddn_wards"],
            "People in DDNs": [format_value(v, "people") for v in gaps["ddn_population"]],
            "Indicator": [indicators[i]["label"] for i in gaps["indicator"]],
            **{LABELS[group]: in_units(group, format_value) for group in PUBLISHED_GROUPS},
            **{words: in_units(gap, format_gap) for gap, words in GAP_WORDS.items()},
        }
    )


def readable_conclusions(conclusions, claims, indicators):
    """The sweep's conclusions for people: each published figure's verdict in every variant, and each gap at the
    report's threshold with its range and whether it keeps its sign in every variant."""
    claim_rows = pd.DataFrame(
        {
            "Edition": claims["edition"],
            "Published figure": claims["statistic"],
            "Verdict at the report's threshold (our reproduced list)": claims["verdict_at_default"]
            .map(VERDICT_WORDS)
            .fillna(MISSING),
            "Variants in which it matches or holds": [
                f"{n} of {total}" for n, total in zip(claims["variants_matching_or_holding"], claims["variants"])
            ],
            "Thresholds at which it matches or holds": claims["thresholds_matching_or_holding"].replace("", "none"),
        }
    )
    gap_rows = []
    for row in conclusions.itertuples():
        unit = indicators[row.indicator]["unit"]
        entry = {"Edition": row.edition, "Indicator": indicators[row.indicator]["label"]}
        for gap, words in GAP_WORDS.items():
            entry[f"{words} at the report's threshold"] = format_gap(getattr(row, f"{gap}_at_default"), unit)
            entry[f"{words}: range over {row.variants} variants"] = (
                f"{format_gap(getattr(row, f'{gap}_min'), unit)} to {format_gap(getattr(row, f'{gap}_max'), unit)}"
            )
            entry[f"{words}: same sign in every variant"] = (
                "yes" if getattr(row, f"{gap}_same_sign_everywhere") else "no"
            )
        gap_rows.append(entry)
    return claim_rows, pd.DataFrame(gap_rows)
