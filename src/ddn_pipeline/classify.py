"""Classification: LSOA IMD scores, ward IMD, the DDN list and the comparison groups.

Ranks run from 1 = most deprived (highest score); deciles from 1 = most deprived 10%.
"""

import logging
import math

import numpy as np
import pandas as pd

from ddn_pipeline.errors import PipelineError, require_values
from ddn_pipeline.groups import ENGLAND, GROUPS

log = logging.getLogger(__name__)


class ClassificationError(PipelineError):
    pass


# ---------------------------------------------------------------- LSOA IMD score


def imd_score(transformed, weights):
    """IMD score: the weighted sum of the exponentially transformed domain scores (columns <domain>_exp)."""
    missing = [f"{domain}_exp" for domain in weights if f"{domain}_exp" not in transformed.columns]
    if missing:
        raise ClassificationError(f"transformed scores lack columns {missing}; expected one per weighted domain")
    total = sum(weights.values())
    if not math.isclose(total, 1.0, abs_tol=0.005):  # the published weights are rounded: they sum to 0.999
        raise ClassificationError(f"IMD domain weights sum to {total:.4f}; expected 1 (to within 0.005)")
    return sum(transformed[f"{domain}_exp"] * weight for domain, weight in weights.items())


def rank_most_deprived_first(scores):
    """Rank 1 = highest score; ties share the best rank (method 'min'); missing scores stay unranked."""
    return scores.rank(ascending=False, method="min")


def decile_from_rank(rank, count):
    """Decile 1 = ranks 1..count/10: decile = ceil(rank * 10 / count)."""
    return np.ceil(rank * 10 / count)


def in_most_deprived(rank, count, share):
    """True for ranks within the most deprived `share` of `count` areas (rank <= share * count); unranked is False.
    A share that selects no area at all is refused: the groups, and every comparison of them, would be empty."""
    if share * count < 1:
        raise ClassificationError(
            f"a most deprived share of {share:g} of {count:,} ranked areas selects none; expected at least "
            f"1/{count:,} ({1 / count:.6f}): set classification.most_deprived_share (and other_deprived_share) higher"
        )
    return rank <= share * count


def rank_check(rebuilt_rank, official_rank):
    difference = (rebuilt_rank - official_rank).abs()
    return {
        "lsoas_compared": int(difference.notna().sum()),
        "share_exact_rank_match": float((difference == 0).mean()),
        "largest_rank_difference": int(difference.max()),
        "mean_rank_difference": float(difference.mean()),
    }


# ---------------------------------------------------------------- wards


def population_weighted_mean(values, weights, groups):
    """Per group: sum(value * weight) / sum(weight). Groups whose weights sum to zero get NaN."""
    frame = pd.DataFrame({"group": groups, "weighted": values * weights, "weight": weights})
    sums = frame.groupby("group", sort=True)[["weighted", "weight"]].sum()
    return (sums["weighted"] / sums["weight"].where(sums["weight"] > 0)).rename(None)


def ward_imd(lsoas, population_column, universe_wards=None, weighting="population"):
    """Ward IMD from LSOA scores: population-weighted mean, rank and decile. Returns (wards, number of ranked wards).

    lsoas has lsoa11_code, ward17_code, imd_score and population columns. The rank and decile are across the
    wards in universe_wards (all wards with a score when None). weighting "none" gives every LSOA the same weight."""
    weights = lsoas[population_column] if weighting == "population" else pd.Series(1.0, index=lsoas.index)
    wards = pd.DataFrame(
        {
            "imd_score": population_weighted_mean(lsoas["imd_score"], weights, lsoas["ward17_code"]),
            "lsoa_count": lsoas.groupby("ward17_code").size(),
        }
    )
    wards.index.name = "ward17_code"
    wards = wards.reset_index()
    ranked = wards["imd_score"].notna()
    if universe_wards is not None:
        # not Series.isin, which makes a pyarrow scalar of each of the 7,000 codes (60 ms a call)
        ranked &= pd.Index(universe_wards).unique().get_indexer(wards["ward17_code"]) >= 0
    count = int(ranked.sum())
    wards["imd_rank"] = rank_most_deprived_first(wards["imd_score"].where(ranked))
    wards["imd_decile"] = decile_from_rank(wards["imd_rank"], count)
    return wards, count


# ---------------------------------------------------------------- DDN list and groups


def doubly_disadvantaged(imd_rank, cni_rank, share, imd_count=None, cni_count=None):
    """Most deprived `share` on both ranks. Each count is the number of ranked areas it is a share of (default:
    the areas with a rank)."""
    imd_count = int(imd_rank.notna().sum()) if imd_count is None else imd_count
    cni_count = int(cni_rank.notna().sum()) if cni_count is None else cni_count
    return in_most_deprived(imd_rank, imd_count, share) & in_most_deprived(cni_rank, cni_count, share)


def reproduction_audit(wards, share, imd_ranked_count, cni_ranked_count):
    """Every ward on either list: on both, only reproduced, or only published, with the distance to each threshold.

    Distance = rank - threshold rank: <= 0 inside the most deprived share, > 0 outside it."""
    either = wards[wards["published_ddn"] | wards["reproduced_ddn"]].copy()
    either["agreement"] = np.select(
        [either["published_ddn"] & either["reproduced_ddn"], either["reproduced_ddn"]],
        ["both", "reproduced_only"],
        "published_only",
    )
    either["cni_threshold_rank"] = round(share * cni_ranked_count, 6)
    either["imd_threshold_rank"] = round(share * imd_ranked_count, 6)
    either["cni_distance_to_threshold"] = (either["cni_rank"] - either["cni_threshold_rank"]).round(6)
    either["imd_distance_to_threshold"] = (either["imd_rank"] - either["imd_threshold_rank"]).round(6)
    order = {"published_only": 0, "reproduced_only": 1, "both": 2}
    either = either.sort_values(
        ["agreement", "ward17_code"], key=lambda s: s.map(order) if s.name == "agreement" else s, kind="stable"
    )
    columns = [
        "ward17_code",
        "ward17_name",
        "lad_name",
        "region_name",
        "agreement",
        "published_ddn",
        "reproduced_ddn",
        "cni_rank",
        "cni_threshold_rank",
        "cni_distance_to_threshold",
        "imd_score",
        "imd_rank",
        "imd_threshold_rank",
        "imd_distance_to_threshold",
        "population",
    ]
    return either[columns].reset_index(drop=True)


def assign_groups(wards, ddn_list, other_deprived_share, imd_ranked_count):
    """ddn (the published or reproduced list), other_deprived (most deprived share on ward IMD, not DDN), rest_of_england."""
    ddn = wards["published_ddn"] if ddn_list == "published" else wards["reproduced_ddn"]
    deprived = in_most_deprived(wards["imd_rank"], imd_ranked_count, other_deprived_share)
    return pd.Series(np.select([ddn, deprived], ["ddn", "other_deprived"], "rest_of_england"), index=wards.index)


def group_summary(wards, population_columns):
    """Wards and population per group, plus England as the total."""
    rows = []
    for group in GROUPS:
        members = wards if group == ENGLAND else wards[wards["group"] == group]
        row = {"breakdown": "group", "group": group, "region_name": "", "lad_name": "", "wards": len(members)}
        row.update({column: float(members[column].sum()) for column in population_columns})
        rows.append(row)
    ddn = wards[wards["group"] == "ddn"]
    for keys, breakdown in (
        (["region_name"], "ddn_by_region"),
        (["region_name", "lad_name"], "ddn_by_local_authority"),
    ):
        counts = ddn.groupby(keys, dropna=False).agg(
            wards=("ward17_code", "size"), **{c: (c, "sum") for c in population_columns}
        )
        counts = counts.reset_index().sort_values(
            ["wards", *keys], ascending=[False] + [True] * len(keys), kind="stable"
        )
        for record in counts.to_dict("records"):
            rows.append(
                {
                    "breakdown": breakdown,
                    "group": "ddn",
                    "region_name": record["region_name"],
                    "lad_name": record.get("lad_name", ""),
                    "wards": record["wards"],
                    **{c: float(record[c]) for c in population_columns},
                }
            )
    return pd.DataFrame(rows)


# Population sources for ward IMD weights and counts: config name -> clean table (column population_total).


def variant_wards_2019(lsoas, cni, share, population, weighting, universe, other_deprived_share=None):
    """Wards 2017 under one classification variant: ward IMD from the LSOA scores (weighted by a population source
    or not), ranked across the universe; DDN in the most deprived share on both CNI and ward IMD; groups as
    assign_groups (other deprived: the most deprived other_deprived_share on ward IMD, default the same share).
    lsoas: lsoa11_code, ward17_code, imd_score, population_<source>; cni: ward17_code, cni_rank.
    Returns (wards: ward17_code, imd_rank, cni_rank, ddn, group, population; the number of IMD-ranked wards)."""
    other_deprived_share = share if other_deprived_share is None else other_deprived_share
    column = f"population_{population}"
    imd, count = ward_imd(lsoas, column, cni["ward17_code"] if universe == "cni_wards" else None, weighting)
    imd = imd.merge(lsoas.groupby("ward17_code")[column].sum().rename("population"), on="ward17_code", how="left")
    wards = cni[["ward17_code", "cni_rank"]].merge(
        imd[["ward17_code", "imd_rank", "population"]],
        on="ward17_code",
        how="outer",
        validate="one_to_one",
    )
    wards["population"] = wards["population"].fillna(0.0)
    wards["ddn"] = doubly_disadvantaged(
        wards["imd_rank"], wards["cni_rank"], share, count, int(cni["cni_rank"].notna().sum())
    )
    deprived = in_most_deprived(wards["imd_rank"], count, other_deprived_share)
    wards["group"] = np.select([wards["ddn"], deprived], ["ddn", "other_deprived"], "rest_of_england")
    return wards.sort_values("ward17_code").reset_index(drop=True), count


def reproduction_sensitivity(lsoas, cni, share, variants):
    """Overlap of the reproduced list with the published one under each (population, weighting, universe) variant."""
    published = set(cni.loc[cni["left_behind_published"], "ward17_code"])
    rows = []
    for population, weighting, universe in variants:
        wards, count = variant_wards_2019(lsoas, cni, share, population, weighting, universe)
        reproduced = set(wards.loc[wards["ddn"], "ward17_code"])
        rows.append(
            {
                "population": population,
                "weighting": weighting,
                "imd_rank_universe": universe,
                "ranked_wards": count,
                "reproduced": len(reproduced),
                "published": len(published),
                "on_both": len(reproduced & published),
                "only_reproduced": len(reproduced - published),
                "only_published": len(published - reproduced),
            }
        )
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- the newer indices (beyond the report)


def ward_population_means(values, population, weights, ward="ward17_code", weighting="population"):
    """Per ward: population and the population-weighted mean of each value column given on LSOA 2021.

    values: lsoa21_code and value columns; population: lsoa21_code, population; weights: lsoa21_code, the ward
    column, weight (the share of each LSOA 2021 in each ward). weighting "none" averages the LSOAs by their share
    in the ward only, so every whole LSOA counts the same."""
    columns = [c for c in values.columns if c != "lsoa21_code"]
    frame = weights.merge(values, on="lsoa21_code", how="inner").merge(population, on="lsoa21_code", how="inner")
    people = frame["population"] * frame["weight"]
    mean_weights = people if weighting == "population" else frame["weight"]
    means = pd.DataFrame(
        {c: population_weighted_mean(frame[c].astype(float), mean_weights, frame[ward]) for c in columns}
    )
    means.insert(0, "population", people.groupby(frame[ward]).sum())
    return means.rename_axis(ward).reset_index()


def transition(before, after):
    """stays / leaves / enters / neither, from two boolean Series."""
    return pd.Series(
        np.select([before & after, before & ~after, ~before & after], ["stays", "leaves", "enters"], "neither"),
        index=before.index,
    )


def ward_table(imd, cni, regions, population):
    """One row per ward (CNI wards and lookup wards): names, LAD and region, CNI rank, ward IMD, populations and
    the published DDN flag; population is the classification's population source. Returns (wards, population columns)."""
    wards = imd.merge(
        cni[["ward17_code", "ward17_name", "lad19_code", "lad19_name", "cni_rank", "left_behind_published"]],
        on="ward17_code",
        how="outer",
        validate="one_to_one",
    )
    wards = wards.merge(
        regions.rename(columns={"ward17_name": "ward17_name_ons"}),
        on="ward17_code",
        how="left",
        validate="one_to_one",
    )
    require_values(
        wards, "region_name", "ward17_code", ClassificationError, "wards are not in the ward -> LAD -> region lookup"
    )
    wards["ward17_name"] = wards["ward17_name_ons"].fillna(wards["ward17_name"])
    wards["lad_code"], wards["lad_name"] = wards["lad17_code"], wards["lad17_name"]
    wards["published_ddn"] = wards["left_behind_published"].fillna(False).astype(bool)
    population_columns = [c for c in imd.columns if c.startswith("population_")]
    wards[population_columns] = wards[population_columns].fillna(0.0)
    wards["lsoa_count"] = wards["lsoa_count"].fillna(0).astype(int)
    wards["population"] = wards[f"population_{population}"]
    return wards.sort_values("ward17_code").reset_index(drop=True), population_columns


def lsoa21_double_test_2025(imd, cni, residents, oa_lsoa21, share):
    """LSOAs 2021 on IMD 2025 and CNI 2023: scores, ranks, Census 2021 residents and the double test (most deprived
    share on both), beside OCSI's published 2023 flag. imd: clean IoD2025 table; cni: clean CNI 2023 table;
    residents: oa21_code, ts001_0001; oa_lsoa21: oa21_code, lsoa21_code."""
    imd = imd[["lsoa21_code", "imd_rank", "imd_score"]].rename(
        columns={"imd_rank": "imd2025_rank", "imd_score": "imd2025_score"}
    )
    cni = cni[["lsoa21_code", "lsoa21_name", "cni_score", "cni_rank", "left_behind_published"]].rename(
        columns={
            "cni_score": "cni2023_score",
            "cni_rank": "cni2023_rank",
            "left_behind_published": "left_behind_2023_published",
        }
    )
    residents = residents.merge(oa_lsoa21, on="oa21_code", how="inner", validate="one_to_one")
    population = (
        residents.groupby("lsoa21_code", as_index=False)["ts001_0001"]
        .sum()
        .rename(columns={"ts001_0001": "population"})
    )
    lsoas = cni.merge(imd, on="lsoa21_code", how="outer", validate="one_to_one").merge(
        population, on="lsoa21_code", how="left"
    )
    lsoas["doubly_disadvantaged_2025"] = doubly_disadvantaged(lsoas["imd2025_rank"], lsoas["cni2023_rank"], share)
    return lsoas


def wards_2025(lsoas, weights, share, other_deprived_share, ward="ward17_code", weighting="population"):
    """Wards on the 2025 indices, as in 2019: population-weighted mean LSOA 2021 scores (Census 2021 residents,
    through the weights; weighting "none": unweighted), ranked across wards; DDN when in the most deprived share on
    both; the 2025 groups (ddn, other_deprived: the most deprived share on ward IMD 2025 and not DDN,
    rest_of_england)."""
    values = lsoas[["lsoa21_code", "imd2025_score", "cni2023_score", "doubly_disadvantaged_2025"]]
    means = ward_population_means(values, lsoas[["lsoa21_code", "population"]], weights, ward, weighting)
    means = means.rename(
        columns={"population": "population_census2021", "doubly_disadvantaged_2025": "share_in_dd_lsoas_2025"}
    )
    means["imd2025_rank"] = rank_most_deprived_first(means["imd2025_score"])
    means["cni2023_rank"] = rank_most_deprived_first(means["cni2023_score"])
    means["ddn_2025"] = doubly_disadvantaged(means["imd2025_rank"], means["cni2023_rank"], share)
    deprived = in_most_deprived(means["imd2025_rank"], int(means["imd2025_rank"].notna().sum()), other_deprived_share)
    means["group_2025"] = np.select([means["ddn_2025"], deprived], ["ddn", "other_deprived"], "rest_of_england")
    return means


def ward17_double_test_2025(lsoas, bridge, wards2019, share, other_deprived_share, weighting="population"):
    """Wards 2017 on the 2025 indices (wards_2025 through the LSOA 2021 -> ward 2017 bridge), with the change
    against the published 2019 list (stays, leaves, enters, neither). wards2019: ward17_code, names, published_ddn."""
    means = wards_2025(lsoas, bridge, share, other_deprived_share, weighting=weighting)
    wards = wards2019.merge(means, on="ward17_code", how="left", validate="one_to_one").rename(
        columns={"published_ddn": "ddn_2019_published"}
    )
    wards["ddn_2025"] = wards["ddn_2025"].fillna(False).astype(bool)
    wards["group_2025"] = wards["group_2025"].fillna("rest_of_england")  # wards without an LSOA 2021
    wards["change"] = transition(wards["ddn_2019_published"], wards["ddn_2025"])
    return wards


def ward23_double_test_2025(lsoas, lookup, share, other_deprived_share):
    """Wards 2023 (today's boundaries) on the 2025 indices: each LSOA 2021 in its best-fit ward 2023 whole.
    lookup: lsoa21_code, ward23_code, ward23_name, lad23_code, lad23_name."""
    weights = lookup[["lsoa21_code", "ward23_code"]].assign(weight=1.0)
    means = wards_2025(lsoas, weights, share, other_deprived_share, ward="ward23_code")
    names = lookup[["ward23_code", "ward23_name", "lad23_code", "lad23_name"]].drop_duplicates("ward23_code")
    return names.merge(means, on="ward23_code", how="right", validate="one_to_one").sort_values("ward23_code")
