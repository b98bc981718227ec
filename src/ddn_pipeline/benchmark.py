"""Published figures against reproduced ones: expressions over group values and verdicts."""

import ast
import math
import operator

from ddn_pipeline.errors import PipelineError
from ddn_pipeline.groups import GROUPS, LIST_COLUMNS, PUBLISHED_GROUPS

VERDICTS = ("matches", "direction_holds", "no_difference", "differs", "not_computed")
_BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}
_COMPARE = {ast.Lt: operator.lt, ast.LtE: operator.le, ast.Gt: operator.gt, ast.GtE: operator.ge}


class ExpressionError(PipelineError):
    pass


def evaluate(expression, values):
    """Evaluate an arithmetic expression or a (chained) comparison over group values, e.g. 'ddn > england',
    '0.45 <= ddn < 0.5', 'england - ddn'. Only group names, numbers, + - * / and < <= > >= are allowed."""

    def visit(node):
        if isinstance(node, ast.Expression):
            return visit(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return float(node.value)
        if isinstance(node, ast.Name):
            if node.id not in values:
                raise ExpressionError(
                    f"expression {expression!r}: unknown group {node.id!r}; expected one of {sorted(values)}"
                )
            return values[node.id]
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            return _BINARY[type(node.op)](visit(node.left), visit(node.right))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -visit(node.operand)
        if isinstance(node, ast.Compare) and all(type(op) in _COMPARE for op in node.ops):
            left, result = visit(node.left), True
            for op, comparator in zip(node.ops, node.comparators):
                right = visit(comparator)
                result = result and _COMPARE[type(op)](left, right)
                left = right
            return result
        raise ExpressionError(f"expression {expression!r}: {type(node).__name__} is not allowed")

    try:
        tree = ast.parse(expression, mode="eval")
    except SyntaxError as error:
        raise ExpressionError(f"expression {expression!r} is not valid: {error.msg}") from None
    return visit(tree)


def compare_value(item, values):
    """One published number against ours: (ours, ours - published, within the tolerance of its rounding)."""
    ours = evaluate(item["expr"], values)
    gap = ours - item["published"]
    return ours, gap, abs(gap) <= item["tolerance"] + 1e-12


def is_direction(claim):
    """A claim comparing groups with no number in it ('ddn > england'); the others bound a value ('ddn < 0.25')."""
    tree = ast.parse(claim, mode="eval").body
    return (
        isinstance(tree, ast.Compare)
        and len(tree.ops) == 1
        and not any(isinstance(node, ast.Constant) for node in ast.walk(tree))
    )


def judge_numbers(figure, values):
    """Each published number and claim of a figure judged on its own, in the unit of its expression.

    Returns [{number, kind, published, ours, difference, margin, verdict}]: kind is value (a published number: matches
    within its rounding, or differs), magnitude (a published number ours can only be set beside, as a proxy's:
    reported, never judged), direction (ours is the left side minus the right: holds, does_not_hold, or
    no_difference when the gap is under figure['precision']) or bound (holds or does_not_hold; ours is the bounded
    expression). Every verdict is not_computed when a group value is missing."""
    missing = any(_missing(values.get(group)) for group in _names(figure))
    rows = []
    for item in figure.get("values", []):
        row = {"number": item["expr"], "kind": "value", "published": item["published"], "margin": item["tolerance"]}
        if missing:
            rows.append({**row, "ours": math.nan, "difference": math.nan, "verdict": "not_computed"})
            continue
        ours, gap, within = compare_value(item, values)
        rows.append({**row, "ours": ours, "difference": gap, "verdict": "matches" if within else "differs"})
    for item in figure.get("magnitudes", []):
        row = {"number": item["expr"], "kind": "magnitude", "published": item["published"], "margin": math.nan}
        ours = math.nan if missing else evaluate(item["expr"], values)
        verdict = "not_computed" if missing else "reported"
        rows.append({**row, "ours": ours, "difference": ours - item["published"], "verdict": verdict})
    for claim in figure.get("claims", []):
        tree = ast.parse(claim, mode="eval").body
        direction = is_direction(claim)
        row = {"number": claim, "kind": "direction" if direction else "bound", "published": math.nan}
        row["margin"] = figure.get("precision", 0.0) if direction else math.nan
        if missing:
            rows.append({**row, "ours": math.nan, "difference": math.nan, "verdict": "not_computed"})
            continue
        holds = bool(evaluate(claim, values))
        side = ast.unparse(tree.left if direction or not isinstance(tree.left, ast.Constant) else tree.comparators[0])
        if direction:
            ours = evaluate(side, values) - evaluate(ast.unparse(tree.comparators[0]), values)
            verdict = "no_difference" if abs(ours) < row["margin"] else ("holds" if holds else "does_not_hold")
        else:
            ours, verdict = evaluate(side, values), "holds" if holds else "does_not_hold"
        rows.append({**row, "ours": ours, "difference": math.nan, "verdict": verdict})
    return rows


def judge(figure, values):
    """Verdict for one published figure given our group values (NaN or missing = not computed), from the verdicts of
    its numbers (judge_numbers): not_computed; differs when a number differs or a claim does not hold; no_difference
    when a claimed direction is within the precision of the data; else matches (numbers) or direction_holds.

    figure: {'values': [{'expr', 'published', 'tolerance'}], 'claims': ['ddn > england', ...], 'precision'}.
    Returns (verdict, difference, note): difference is ours - published for the first numeric value."""
    numbers = judge_numbers(figure, values)
    verdicts = {n["verdict"] for n in numbers}
    if "not_computed" in verdicts:
        return "not_computed", float("nan"), "no reproduced value"
    notes = []
    for n in numbers:
        if n["kind"] == "value":
            notes.append(
                f"{n['number']}: ours {n['ours']:.4g} vs published {n['published']:.4g} "
                f"({'within' if n['verdict'] == 'matches' else 'outside'} ±{n['margin']:g})"
            )
        elif n["kind"] == "magnitude":
            notes.append(f"{n['number']}: ours {n['ours']:.4g} beside published {n['published']:.4g} (not judged)")
        elif n["verdict"] == "no_difference":
            notes.append(f"{n['number']}: no difference (gap {n['ours']:.2g}, under the precision {n['margin']:g})")
        else:
            notes.append(f"{n['number']}: {'holds' if n['verdict'] == 'holds' else 'does not hold'}")
    values_given = [n for n in numbers if n["kind"] == "value"]
    difference = values_given[0]["difference"] if values_given else float("nan")
    if verdicts & {"differs", "does_not_hold"}:
        verdict = "differs"
    elif "no_difference" in verdicts:
        verdict = "no_difference"
    else:
        verdict = "matches" if values_given else "direction_holds"
    return verdict, difference, "; ".join(notes)


def _missing(value):
    return value is None or math.isnan(value)


def _names(figure):
    names = set()
    items = [*figure.get("values", []), *figure.get("magnitudes", [])]
    for text in [*(v["expr"] for v in items), *figure.get("claims", [])]:
        names |= {node.id for node in ast.walk(ast.parse(text, mode="eval")) if isinstance(node, ast.Name)}
    return names


def number_rows(figure_id, figure, values):
    """published_numbers.csv rows of one figure: each number and claim with its own verdict (judge_numbers)."""
    return [
        {"id": figure_id, "statistic": figure["statistic"], "indicator": figure["indicator"], **number}
        for number in judge_numbers(figure, values)
    ]


def group_values(groups, ddn_list, indicator):
    """{group: value} of one indicator from the pooled group table, for one DDN list."""
    rows = groups[(groups["ddn_list"] == ddn_list) & (groups["indicator"] == indicator)]
    return dict(zip(rows["group"], rows["value"]))


def definition_text(definitions, indicator):
    d = definitions.get(indicator)
    if d is None:
        return ""
    return f"{' + '.join(d['numerator'])} / {' + '.join(d['denominator']) or '(count)'}; {d['source']}"


def published_values(figures, indicator):
    """{group: published value} of the figures that quote an indicator for a single group."""
    values = {}
    for figure in figures.values():
        if figure["indicator"] == indicator:
            values.update(
                {v["expr"]: v["published"] for v in figure.get("values", []) if v["expr"] in PUBLISHED_GROUPS}
            )
    return values


def value_verdicts(figure, values):
    """Each published number judged on its own (judge_numbers): 'ddn: outside; england: within' (empty when not
    computed)."""
    numbers = [n for n in judge_numbers(figure, values) if n["kind"] == "value"]
    if any(n["verdict"] == "not_computed" for n in numbers):
        return ""
    return "; ".join(f"{n['number']}: {'within' if n['verdict'] == 'matches' else 'outside'}" for n in numbers)


def reading_verdicts(figure, groups, ddn_list="published"):
    """The figure under each reading its published wording supports (figure['readings']): the readings under which it
    matches or holds, in words, e.g. "matches as a share of people (Local Trust writes '43.4 per cent of people'):
    ddn: ours 0.4342 vs published 0.434 ...". Empty when the headline definition already matches or holds."""
    found = []
    for reading in figure.get("readings", []):
        values = group_values(groups, ddn_list, reading.get("indicator", figure["indicator"]))
        if reading.get("england_as") and values:
            values = {**values, "england": values.get(reading["england_as"])}
        verdict, _, note = judge(figure, values)
        if verdict in ("matches", "direction_holds"):
            found.append(f"{verdict.replace('_', ' ')} {reading['label']} ({reading['wording']}): {note}")
    return "; ".join(found)


def comparison_row(figure_id, figure, values, definitions, sources, not_computed, reading=""):
    """One row of report_comparison.csv: the figure, our values per group, the verdict, each number's verdict,
    the readings under which it matches, and a note."""
    verdict, difference, note = judge(figure, values)
    published = {
        f"published_{g}": next((v["published"] for v in figure.get("values", []) if v["expr"] == g), None)
        for g in PUBLISHED_GROUPS
    }
    if verdict == "not_computed" and figure["indicator"] in not_computed:
        note = not_computed[figure["indicator"]]
    return {
        "id": figure_id,
        "statistic": figure["statistic"],
        "indicator": figure["indicator"],
        "definition": definition_text(definitions, figure["indicator"]),
        **{g: values.get(g) for g in GROUPS},
        **published,
        "published_claims": "; ".join(
            [
                *(f"{v['expr']} = {v['published']:g}" for v in figure.get("values", [])),
                *(f"{v['expr']} about {v['published']:g}" for v in figure.get("magnitudes", [])),
                *figure.get("claims", []),
            ]
        ),
        "difference": difference,
        "verdict": verdict,
        "value_verdicts": value_verdicts(figure, values),
        "matches_when_read": "" if verdict in ("matches", "direction_holds") else reading,
        "note": note,
        "source_url": sources[figure["source"]],
    }


def sensitivity_rows(figures, definitions, groups):
    """Each figure under every candidate definition (its indicator and the indicators that are sensitivity_of it),
    both DDN lists, with the verdict when England is all of England and when it is the rest of England."""
    rows = []
    for figure_id, figure in figures.items():
        candidates = [
            figure["indicator"],
            *(i for i, d in definitions.items() if d.get("sensitivity_of") == figure["indicator"]),
        ]
        for indicator in candidates:
            for ddn_list in [name for name in LIST_COLUMNS if name in set(groups["ddn_list"])]:
                values = group_values(groups, ddn_list, indicator)
                verdict, _, _ = judge(figure, values)
                rest_reading = {**values, "england": values.get("rest_of_england")} if values else values
                verdict_rest, _, _ = judge(figure, rest_reading)
                rows.append(
                    {
                        "id": figure_id,
                        "statistic": figure["statistic"],
                        "candidate_indicator": indicator,
                        "candidate_definition": definition_text(definitions, indicator),
                        "ddn_list": ddn_list,
                        "is_default": indicator == figure["indicator"] and ddn_list == "published",
                        **{g: values.get(g) for g in GROUPS},
                        "verdict": verdict,
                        "verdict_england_as_rest_of_england": verdict_rest,
                    }
                )
    return rows


def numeric_points(comparison, figures, indicators, close_within):
    """Every numeric published figure with a reproduced value: a plain label, published, ours, the unit of the
    expression, and how close ours is (within rounding, close, differs; presentation.closeness)."""
    import pandas as pd

    from ddn_pipeline.presentation import closeness, expression_unit, expression_words

    rows = []
    for row in comparison.itertuples():
        values = {group: getattr(row, group) for group in GROUPS}
        if any(pd.isna(v) for v in values.values()):
            continue
        figure = figures[row.id]
        unit = indicators[figure["indicator"]]["unit"]
        for item in figure.get("values", []):
            ours, _, within = compare_value(item, values)
            rows.append(
                {
                    "label": f"{indicators[figure['indicator']]['label']}: {expression_words(item['expr'])}",
                    "published": item["published"],
                    "ours": ours,
                    "unit": expression_unit(item["expr"], unit),
                    "closeness": closeness(ours, item["published"], within, close_within),
                }
            )
    return pd.DataFrame(rows, columns=["label", "published", "ours", "unit", "closeness"])
