"""Geography bridges to ward 2017, with coverage checks.

Census 2021 counts come on Output Areas 2021 -> LSOA 2021. LSOA 2021 reach ward 2017 through LSOA 2011:
unchanged (U) and split (S) LSOA 2021 have one LSOA 2011 parent and take its ward whole; merged (M) and
complex (X) ones have several LSOA 2011 parents, and their counts are apportioned to them by population.
"""

import logging

import numpy as np

from ddn_pipeline.errors import PipelineError, require_values

log = logging.getLogger(__name__)


class CoverageError(PipelineError):
    pass


def lsoa_populations(tables):
    """One column population_<source> per available source, keyed by lsoa11_code. tables: source -> clean frame."""
    populations = None
    for source, frame in tables.items():
        column = frame[["lsoa11_code", "population_total"]].rename(columns={"population_total": f"population_{source}"})
        populations = (
            column
            if populations is None
            else populations.merge(column, on="lsoa11_code", how="outer", validate="one_to_one")
        )
    return populations


def apportioned(pairs, source, population):
    """The share of each source area that goes to each target area of pairs (one row per source-target pair), in
    proportion to the targets' population; equal shares when a source's targets have no population. The weights of
    one source sum to 1."""
    by_source = pairs.groupby(source)[population]
    total, targets = by_source.transform("sum"), by_source.transform("size")
    return np.where(total > 0, pairs[population] / total.where(total > 0, 1), 1 / targets)


def lsoa_vintage_weights(lsoa11_lsoa21, source, target, target_population):
    """(source code, target code, weight) between LSOAs 2011 and 2021, either way: each source LSOA shared among
    the target LSOAs the ONS lookup links it to (several for a split or a merge) by their population.
    target_population: the target code and population."""
    pairs = (
        lsoa11_lsoa21[[source, target]]
        .drop_duplicates()
        .merge(target_population[[target, "population"]], on=target, how="left", validate="many_to_one")
    )
    pairs["population"] = pairs["population"].fillna(0.0)
    pairs["weight"] = apportioned(pairs, source, "population")
    return pairs[[source, target, "weight"]]


def lsoa21_ward17_weights(lsoa11_lsoa21, lsoa11_ward17, lsoa11_population):
    """Rows (lsoa21_code, ward17_code, weight, change_codes): the share of each LSOA 2021 that goes to each ward.

    lsoa11_population has lsoa11_code and population. Weights of one LSOA 2021 sum to 1."""
    pairs = lsoa11_lsoa21[["lsoa11_code", "lsoa21_code", "change_code"]].merge(
        lsoa11_population[["lsoa11_code", "population"]],
        on="lsoa11_code",
        how="left",
        validate="many_to_one",
    )
    if pairs["population"].isna().any():
        code = pairs.loc[pairs["population"].isna(), "lsoa11_code"].iloc[0]
        raise CoverageError(
            f"LSOA 2011 {code} of the LSOA 2011 -> 2021 lookup has no population; expected every LSOA 2011"
        )
    pairs["weight"] = apportioned(pairs, "lsoa21_code", "population")
    pairs = pairs.merge(
        lsoa11_ward17[["lsoa11_code", "ward17_code"]], on="lsoa11_code", how="left", validate="many_to_one"
    )
    require_values(
        pairs,
        "ward17_code",
        "lsoa11_code",
        CoverageError,
        "LSOA 2011 codes of the LSOA 2011 -> 2021 lookup have no ward",
    )
    keys = ["lsoa21_code", "ward17_code"]
    # each pair's distinct change codes in alphabetical order, joined: a sum of strings, in row order, over the
    # distinct codes sorted (a Python function per group took a second over 34,000 groups)
    distinct = pairs[[*keys, "change_code"]].drop_duplicates().sort_values("change_code", kind="stable")
    codes = distinct.groupby(keys)["change_code"].sum().rename("change_codes").reset_index()
    bridge = pairs.groupby(keys, as_index=False).agg(weight=("weight", "sum"))
    bridge = bridge.merge(codes, on=keys, how="left", validate="one_to_one")
    log.info(
        "LSOA 2021 -> ward 2017: %d LSOA 2021, %d rows, %d LSOA 2021 apportioned over several wards",
        bridge["lsoa21_code"].nunique(),
        len(bridge),
        int((bridge.groupby("lsoa21_code").size() > 1).sum()),
    )
    return bridge


def apply_weights(values, weights, key, target, columns):
    """Sum value columns from key areas to target areas through weights (key, target, weight); returns a frame with target first."""
    joined = values[[key, *columns]].merge(weights[[key, target, "weight"]], on=key, how="inner")
    # weighted columns in a frame of their own: written back into the joined frame, column by column, they took
    # longer than the multiplication (0.3 s for the 87 Census columns of 178,605 Output Areas)
    weighted = joined[columns].mul(joined["weight"], axis=0)
    return weighted.groupby(joined[target]).sum().reset_index()


def coverage_share(values, weights, key, column):
    """Share of the column's England total that reaches a ward through the weights."""
    total = values[column].sum()
    reached = values[[key, column]].merge(weights[[key, "weight"]], on=key, how="inner")
    return float((reached[column] * reached["weight"]).sum() / total) if total else float("nan")


def check_coverage(share, floor, what):
    if not share >= floor:
        raise CoverageError(
            f"{what}: {share:.3%} reached a ward 2017; expected at least {floor:.1%} (config indicators.coverage_floor)"
        )
    log.info("%s: %.4f%% reached a ward 2017", what, 100 * share)
