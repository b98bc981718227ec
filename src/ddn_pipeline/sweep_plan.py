"""The robustness sweep's plan: which variants a sweep has and how their wildcards read. Without pandas, so that
the workflow can import it cheaply while it is read."""

from ddn_pipeline.errors import PipelineError
from ddn_pipeline.headline import KEY_INDICATORS

# The 2025 edition has one population source: Census 2021 usual residents.
POPULATION_2025 = "census2021"


class SweepError(PipelineError):
    pass


def threshold_text(share):
    """The wildcard of a threshold: 0.075 -> '7.5', 0.1 -> '10'."""
    return f"{share * 100:g}"


def threshold_share(text):
    """The threshold a wildcard names: '7.5' -> 0.075."""
    try:
        share = float(text) / 100
    except ValueError:
        raise SweepError(f"threshold {text!r} is not a percentage; expected e.g. 10 or 7.5") from None
    if not 0 < share <= 1:
        raise SweepError(f"threshold {text!r}% is outside (0, 100]")
    return share


def variants(editions, thresholds, weightings, populations):
    """Every variant as (edition, threshold wildcard, weighting, population source); the 2025 edition has
    Census 2021 as its only population source."""
    found = []
    for edition in editions:
        sources = [POPULATION_2025] if int(edition) == 2025 else populations
        for population in sources:
            for weighting in weightings:
                for share in thresholds:
                    found.append((int(edition), threshold_text(share), weighting, population))
    return found


def sweep_indicators(definitions, figures):
    """The key indicators and every indicator a published figure quotes, except counts of people, that this run
    defines: the gaps each variant reports."""
    quoted = [figure["indicator"] for figure in figures.values()]
    names = list(dict.fromkeys([*KEY_INDICATORS, *quoted]))
    return [name for name in names if name in definitions and definitions[name]["unit"] != "people"]
