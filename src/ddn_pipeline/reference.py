"""Reference data: indicator definitions (reference/indicators.yaml) and the report's published figures
(reference/published_figures.yaml). Validated by their schemas; names that point elsewhere must resolve."""

from dataclasses import dataclass

from ddn_pipeline.errors import PipelineError
from ddn_pipeline.schema import SchemaError, load_yaml, validate


class ReferenceError(PipelineError):
    pass


@dataclass(frozen=True)
class Reference:
    indicators: dict  # id -> {unit, label, numerator, denominator, source, sensitivity_of?}
    not_computed: dict  # id -> {datasets, label}
    figures: dict  # id -> {statistic, indicator, source, values?, claims?, meanings?, why?, precision}
    sources: dict  # source id -> URL


def _load(path, schema):
    try:
        document = load_yaml(path)
        validate(document, schema, str(path))
    except SchemaError as error:
        raise ReferenceError(str(error)) from None
    return document


def check_references(reference, dataset_ids):
    """Figure indicators and sources, sensitivity_of and not-computed datasets must name something that exists."""
    definitions, not_computed = reference.indicators, reference.not_computed
    problems = []
    for name, definition in definitions.items():
        for key in ("sensitivity_of", "coverage_of"):
            if definition.get(key) and definition[key] not in definitions:
                problems.append(f"indicators.{name}.{key}: '{definition[key]}' is not an indicator")
    for name, entry in not_computed.items():
        problems += [
            f"not_computed.{name}.datasets: '{d}' is not in the registry"
            for d in entry["datasets"]
            if d not in dataset_ids
        ]
    for name, figure in reference.figures.items():
        if figure["indicator"] not in definitions and figure["indicator"] not in not_computed:
            problems.append(
                f"figures.{name}.indicator: '{figure['indicator']}' is neither an indicator nor listed under not_computed"
            )
        problems += [
            f"figures.{name}.meanings: '{claim}' is not one of its claims"
            for claim in figure.get("meanings", {})
            if claim not in figure.get("claims", [])
        ]
        numbers = [*(v["expr"] for v in figure.get("values", [])), *figure.get("claims", [])]
        why = figure.get("why", {})
        problems += [
            f"figures.{name}.why: '{number}' is not one of its numbers or claims"
            for number in (why if isinstance(why, dict) else {})
            if number not in numbers
        ]
        if figure["source"] not in reference.sources:
            problems.append(f"figures.{name}.source: '{figure['source']}' is not in sources")
    if problems:
        raise ReferenceError("reference data names that do not resolve:\n  - " + "\n  - ".join(problems))


def with_precision(figures, definitions, precision):
    """Each figure with the precision of its indicator's unit (published_figures.yaml: precision), under which a
    claimed direction between two groups is no difference."""
    return {
        name: {**figure, "precision": precision.get(definitions.get(figure["indicator"], {}).get("unit"), 0.0)}
        for name, figure in figures.items()
    }


def load_reference(indicators_path, figures_path, dataset_ids):
    indicators = _load(indicators_path, "indicators.schema.yaml")
    figures = _load(figures_path, "published_figures.schema.yaml")
    reference = Reference(
        indicators["indicators"],
        indicators["not_computed"],
        with_precision(figures["figures"], indicators["indicators"], figures["precision"]),
        figures["sources"],
    )
    check_references(reference, dataset_ids)
    return reference
