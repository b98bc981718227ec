"""Published figures against reproduced ones: expressions over group values and verdicts."""

import ast
import math
import operator

from ddn_pipeline.errors import PipelineError

VERDICTS = ("matches", "direction_holds", "differs", "not_computed")
GROUPS = ("ddn", "other_deprived", "rest_of_england", "england")
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


def judge(figure, values):
    """Verdict for one published figure given our group values (NaN or missing = not computed).

    figure: {'values': [{'expr', 'published', 'tolerance'}], 'claims': ['ddn > england', ...]}.
    Returns (verdict, difference, note): difference is ours - published for the first numeric value."""
    if any(_missing(values.get(group)) for group in _names(figure)):
        return "not_computed", float("nan"), "no reproduced value"
    notes, difference, numeric_ok, claims_ok = [], float("nan"), True, True
    for item in figure.get("values", []):
        ours = evaluate(item["expr"], values)
        gap = ours - item["published"]
        if math.isnan(difference):
            difference = gap
        within = abs(gap) <= item["tolerance"] + 1e-12
        numeric_ok &= within
        notes.append(
            f"{item['expr']}: ours {ours:.4g} vs published {item['published']:.4g} ({'within' if within else 'outside'} ±{item['tolerance']:g})"
        )
    for claim in figure.get("claims", []):
        holds = bool(evaluate(claim, values))
        claims_ok &= holds
        notes.append(f"{claim}: {'holds' if holds else 'does not hold'}")
    if not (numeric_ok and claims_ok):
        verdict = "differs"
    else:
        verdict = "matches" if figure.get("values") else "direction_holds"
    return verdict, difference, "; ".join(notes)


def _missing(value):
    return value is None or math.isnan(value)


def _names(figure):
    names = set()
    for text in [*(v["expr"] for v in figure.get("values", [])), *figure.get("claims", [])]:
        names |= {node.id for node in ast.walk(ast.parse(text, mode="eval")) if isinstance(node, ast.Name)}
    return names
