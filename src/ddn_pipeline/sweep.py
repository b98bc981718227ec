"""The robustness sweep: the DDN list and the headline gaps under other thresholds, ward IMD weightings and
population sources. Each variant re-classifies the wards and re-pools the ward measures; nothing else is rebuilt."""

import math

import numpy as np
import pandas as pd

from ddn_pipeline.benchmark import judge
from ddn_pipeline.errors import require_values
from ddn_pipeline.groups import ENGLAND
from ddn_pipeline.indicators import pooled
from ddn_pipeline.sweep_plan import SweepError

VARIANT_COLUMNS = ["edition", "threshold", "weighting", "population_source"]
GAP_COLUMNS = [
    *VARIANT_COLUMNS,
    "ddn_wards",
    "ddn_population",
    "other_deprived_wards",
    "indicator",
    "unit",
    "ddn",
    "other_deprived",
    "england",
    "ddn_minus_other_deprived",
    "ddn_minus_england",
]


def variant_pooled(measures, groups, definitions):
    """The ward measures pooled per group of one variant. groups: ward17_code, group (every ward of measures)."""
    frame = measures.drop(columns=[c for c in measures.columns if c == "group" or c.startswith("group_")])
    frame = frame.merge(groups[["ward17_code", "group"]], on="ward17_code", how="left", validate="one_to_one")
    require_values(frame, "group", "ward17_code", SweepError, "wards with measures have no group in the variant")
    return pooled(frame, "group", definitions)


def variant_gaps(variant, wards, pooled_values, definitions):
    """One row per indicator: the variant, its DDN count and population, each group's value and the two gaps.
    variant: {edition, threshold, weighting, population_source}; wards: ward17_code, group, population."""
    counts = wards["group"].value_counts()
    header = {
        **variant,
        "ddn_wards": int(counts.get("ddn", 0)),
        "ddn_population": float(wards.loc[wards["group"] == "ddn", "population"].sum()),
        "other_deprived_wards": int(counts.get("other_deprived", 0)),
    }
    rows = []
    for indicator, values in pooled_values.groupby("indicator", sort=False):
        value = dict(zip(values["group"], values["value"]))
        rows.append(
            {
                **header,
                "indicator": indicator,
                "unit": definitions[indicator]["unit"],
                "ddn": value.get("ddn"),
                "other_deprived": value.get("other_deprived"),
                "england": value.get(ENGLAND),
                "ddn_minus_other_deprived": value.get("ddn") - value.get("other_deprived"),
                "ddn_minus_england": value.get("ddn") - value.get(ENGLAND),
            }
        )
    return pd.DataFrame(rows, columns=GAP_COLUMNS)


def variant_claims(variant, pooled_values, figures):
    """Each published figure (of an indicator pooled here) judged under the variant, as benchmark.judge does for
    the main classification: matches, direction_holds or differs."""
    rows = []
    for figure_id, figure in figures.items():
        values = pooled_values[pooled_values["indicator"] == figure["indicator"]]
        if values.empty:
            continue
        verdict, _, note = judge(figure, dict(zip(values["group"], values["value"])))
        rows.append({**variant, "id": figure_id, "statistic": figure["statistic"], "verdict": verdict, "note": note})
    return pd.DataFrame(rows, columns=[*VARIANT_COLUMNS, "id", "statistic", "verdict", "note"])


def mark_default(gaps, default):
    """gaps with a default_variant column: the classification's own weighting and population source (Census 2021
    for the 2025 edition), at every threshold. default: {weighting, population_source}."""
    population = gaps["population_source"].where(gaps["edition"] != 2025, default["population_source"])
    return gaps.assign(
        default_variant=(gaps["weighting"] == default["weighting"]) & (population == default["population_source"])
    )


def _default_rows(frame, default_threshold):
    """The rows of the default variant at the default threshold (frame has default_variant: mark_default)."""
    return frame[frame["default_variant"] & np.isclose(frame["threshold"], default_threshold)]


def gap_stability(gaps, default_threshold):
    """Per edition and indicator: the gaps of the default variant at the default threshold, their range over all
    the variants, and whether each keeps that sign in every variant (a conclusion that holds at every threshold).
    gaps: with default_variant (mark_default)."""
    rows = []
    for (edition, indicator), frame in gaps.groupby(["edition", "indicator"], sort=False):
        default = _default_rows(frame, default_threshold)
        row = {"edition": edition, "indicator": indicator, "unit": frame["unit"].iloc[0], "variants": len(frame)}
        for gap in ("ddn_minus_other_deprived", "ddn_minus_england"):
            reference = default[gap].iloc[0] if len(default) == 1 else math.nan
            row[f"{gap}_at_default"] = reference
            row[f"{gap}_min"] = float(frame[gap].min())
            row[f"{gap}_max"] = float(frame[gap].max())
            row[f"{gap}_same_sign_everywhere"] = bool(
                len(default) == 1 and (np.sign(frame[gap]) == np.sign(reference)).all()
            )
        rows.append(row)
    return pd.DataFrame(rows)


def ward_stability(variant_wards, names):
    """Per ward that is a DDN in at least one variant: in how many variants of each edition it is one, of how
    many, and the lowest threshold at which it is. variant_wards: edition, threshold, weighting, population_source,
    ward17_code, ddn. names: ward17_code, ward17_name, lad_name, region_name, published_ddn."""
    variant = variant_wards[["edition", "threshold", "weighting", "population_source"]].drop_duplicates()
    totals = variant.groupby("edition").size()
    ddn = variant_wards.loc[variant_wards["ddn"], ["edition", "threshold", "ward17_code"]]
    table = names.set_index("ward17_code")
    for edition, total in totals.items():
        members = ddn[ddn["edition"] == edition].groupby("ward17_code")
        table[f"ddn_variants_{edition}"] = members.size().reindex(table.index).fillna(0).astype(int)
        table[f"of_variants_{edition}"] = int(total)
        table[f"lowest_threshold_{edition}"] = members["threshold"].min().reindex(table.index)
    counted = [f"ddn_variants_{edition}" for edition in totals.index]
    table = table[(table[counted] > 0).any(axis=1)]
    return table.reset_index().sort_values([*counted, "ward17_code"], ascending=[False] * len(counted) + [True])


def claim_stability(claims, default_threshold):
    """Per edition and published figure: its verdict in the default variant at the default threshold, and in how
    many variants it matches or holds. claims: variant_claims rows with default_variant (mark_default)."""
    rows = []
    for (edition, figure_id), frame in claims.groupby(["edition", "id"], sort=False):
        default = _default_rows(frame, default_threshold)
        holding = frame["verdict"].isin(["matches", "direction_holds"])
        rows.append(
            {
                "edition": edition,
                "id": figure_id,
                "statistic": frame["statistic"].iloc[0],
                "verdict_at_default": default["verdict"].iloc[0] if len(default) == 1 else "",
                "variants": len(frame),
                "variants_matching_or_holding": int(holding.sum()),
                "thresholds_matching_or_holding": ", ".join(
                    f"{100 * t:g}%" for t in sorted(frame.loc[holding, "threshold"].unique())
                ),
            }
        )
    return pd.DataFrame(rows)
