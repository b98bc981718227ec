"""Indicators: base measures summed to ward 2017, then ratios pooled per group (sum of numerators / sum of denominators)."""

import logging

import numpy as np
import pandas as pd

from ddn_pipeline.errors import PipelineError, require_values
from ddn_pipeline.groups import ENGLAND, GROUPS

log = logging.getLogger(__name__)

ECONOMIC_ACTIVITY = {
    "in_employment_pct": "ea_in_employment",
    "unemployed_pct": "ea_unemployed",
    "inactive_pct": "ea_inactive",
}
E_WITHDRAWN = "e-Withdrawn"


class IndicatorError(PipelineError):
    pass


def economic_activity_counts(percentages, residents_16plus):
    """Counts from the OA percentages: percentage x the OA's residents 16+ (TS062 total)."""
    frame = percentages.merge(residents_16plus, on="oa21_code", how="inner", validate="one_to_one")
    counts = pd.DataFrame({"oa21_code": frame["oa21_code"], "ea_residents_16plus": frame["ts062_0001"]})
    for pct, name in ECONOMIC_ACTIVITY.items():
        counts[name] = frame[pct] / 100 * frame["ts062_0001"]
    return counts


def lsoa11_measures(
    lsoas, population_column, iuc=None, iod_scores=None, iod_population=None, life_expectancy=None, lsoa_msoa=None
):
    """Per LSOA 2011 base measures (additive, so they can be summed to wards and groups).

    lsoas: lsoa11_code, ward17_code and population_* columns. Optional sources add their measures:
    iuc (e-Withdrawn counts), iod_scores (income/employment-deprived people), life_expectancy ({name: MSOA frame})."""
    out = lsoas[["lsoa11_code", "ward17_code"]].copy()
    for column in [c for c in lsoas.columns if c.startswith("population_")]:
        out[column] = lsoas[column]
    out["population"] = lsoas[population_column]
    out["lsoas"] = 1.0
    if iuc is not None:
        flags = out[["lsoa11_code"]].merge(
            iuc[["lsoa11_code", "iuc_group"]], on="lsoa11_code", how="left", validate="one_to_one"
        )
        if flags["iuc_group"].isna().any():
            raise IndicatorError(f"{flags['iuc_group'].isna().sum()} LSOAs have no IUC 2018 group; expected all")
        withdrawn = (flags["iuc_group"] == E_WITHDRAWN).astype(float).to_numpy()
        out["lsoas_e_withdrawn"] = withdrawn
        out["population_e_withdrawn"] = withdrawn * out["population"]
    if iod_scores is not None and iod_population is not None:
        iod = (
            out[["lsoa11_code"]]
            .merge(iod_scores, on="lsoa11_code", how="left")
            .merge(iod_population, on="lsoa11_code", how="left")
        )
        out["income_deprived"] = (iod["income_deprived_pct"] / 100 * iod["population_total"]).to_numpy()
        out["employment_deprived"] = (iod["employment_deprived_pct"] / 100 * iod["population_working_age"]).to_numpy()
        out["working_age_population"] = iod["population_working_age"].to_numpy()
    if life_expectancy:
        msoa = out[["lsoa11_code"]].merge(lsoa_msoa, on="lsoa11_code", how="left", validate="one_to_one")
        for name, table in life_expectancy.items():
            values = msoa.merge(table, on="msoa11_code", how="left")
            for column in [c for c in table.columns if c != "msoa11_code"]:
                known = values[column].notna().to_numpy()
                measure = f"{column}_{name}"
                out[f"{measure}_x_pop"] = np.where(known, values[column].to_numpy() * out["population"].to_numpy(), 0.0)
                out[f"{measure}_pop"] = np.where(known, out["population"].to_numpy(), 0.0)
    return out


def ratio(numerator, denominator):
    return numerator / denominator if denominator else float("nan")


def _sum(frame, columns):
    """The row sums of frame[columns], a missing value counting as 0."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise IndicatorError(f"measures {missing} are not computed in this run")
    return frame[columns].sum(axis=1)


def indicator_sums(measures, definitions):
    """(indicator, numerator, denominator) per row of measures for every computable indicator; denominator is None
    for a count."""
    for indicator, definition in definitions.items():
        if computable(measures, definition):
            numerator = _sum(measures, definition["numerator"])
            denominator = _sum(measures, definition["denominator"]) if definition["denominator"] else None
            yield indicator, numerator, denominator


def ward_values(measures, definitions):
    """Per ward: one column per computable indicator (numerator sum / denominator sum, or the sum for counts)."""
    values = pd.DataFrame({"ward17_code": measures["ward17_code"]})
    for indicator, numerator, denominator in indicator_sums(measures, definitions):
        values[indicator] = numerator if denominator is None else numerator / denominator.where(denominator > 0)
    return values


def computable(measures, definition):
    return all(c in measures.columns for c in [*definition["numerator"], *definition["denominator"]])


def pooled(measures, group_column, definitions):
    """Long table: indicator, group, numerator, denominator, value; england is the total over every ward."""
    rows = []
    # each group's wards, found once rather than once per indicator
    membership = {
        group: (measures[group_column].notna() if group == ENGLAND else measures[group_column] == group).to_numpy(bool)
        for group in GROUPS
    }
    for indicator, numerator, denominator in indicator_sums(measures, definitions):
        for group, members in membership.items():
            num = float(numerator[members].sum())
            den = float(denominator[members].sum()) if denominator is not None else float("nan")
            rows.append(
                {
                    "indicator": indicator,
                    "group": group,
                    "numerator": num,
                    "denominator": den,
                    "value": ratio(num, den) if denominator is not None else num,
                }
            )
    return pd.DataFrame(rows)


def pooled_by_area(measures, area_columns, definitions, england=True):
    """Each indicator pooled over the wards of each area, as the groups are (the sum of the numerators over the sum of
    the denominators). area_columns: {level: the measures' column naming each ward's area}, e.g. {"council":
    "lad_name", "region": "region_name"}; England is added as one area unless england is False. Long table: level,
    area, indicator, numerator, denominator, value."""
    areas = {level: measures[column] for level, column in area_columns.items()}
    if england:
        areas[ENGLAND] = pd.Series("England", index=measures.index)
    tables = []
    for indicator, numerator, denominator in indicator_sums(measures, definitions):
        for level, area in areas.items():
            sums = pd.DataFrame(
                {"numerator": numerator, "denominator": float("nan") if denominator is None else denominator}
            )
            sums = sums.groupby(area.rename("area"), sort=True).sum(min_count=1).reset_index()
            sums["value"] = (
                sums["numerator"]
                if denominator is None
                else sums["numerator"] / sums["denominator"].where(sums["denominator"] != 0)
            )
            tables.append(sums.assign(level=level, indicator=indicator))
    columns = ["level", "area", "indicator", "numerator", "denominator", "value"]
    return pd.concat(tables, ignore_index=True)[columns] if tables else pd.DataFrame(columns=columns)


def known_for_share(table, definitions, by):
    """Per row of a long indicator table (by, indicator, denominator, value): for an indicator with coverage_of (its
    denominator counts the people it is known for, as life expectancy by MSOA), that denominator over the value of
    the coverage_of indicator (all the people) for the same `by`; NaN for other indicators and empty totals."""
    whole = {name: d["coverage_of"] for name, d in definitions.items() if d.get("coverage_of")}
    totals = table.set_index([by, "indicator"])["value"]
    total = totals.reindex(pd.MultiIndex.from_arrays([table[by], table["indicator"].map(whole)])).to_numpy()
    share = pd.Series(table["denominator"].to_numpy() / np.where(total == 0, np.nan, total), index=table.index)
    return share.where(table["indicator"].isin(list(whole)))


def not_computed_rows(measures, definitions, not_computed, records):
    """The statistics this run cannot compute, with the reason: definitions whose measures are missing, and the
    registered statistics without data or method (records: dataset id -> its retrieval record)."""
    rows = []
    for indicator, definition in definitions.items():
        if not computable(measures, definition):
            missing = [c for c in [*definition["numerator"], *definition["denominator"]] if c not in measures.columns]
            rows.append(
                {
                    "indicator": indicator,
                    "label": definition["label"],
                    "datasets": "",
                    "reason": f"measures {missing} are not available in this run",
                }
            )
    for indicator, entry in not_computed.items():
        reasons = []
        for dataset in entry["datasets"]:
            record = records.get(dataset)
            if record is None or record["status"] == "unavailable":
                reasons.append(f"{dataset} unavailable: {record['reason'] if record is not None else 'not retrieved'}")
            else:
                reasons.append(
                    f"{dataset} retrieved ({record['status']}) but no cleaner or method for it is implemented yet"
                )
        rows.append(
            {
                "indicator": indicator,
                "label": entry["label"],
                "datasets": " ".join(entry["datasets"]),
                "reason": "; ".join(reasons),
            }
        )
    return pd.DataFrame(rows, columns=["indicator", "label", "datasets", "reason"])


WORKING_AGES = range(16, 65)


def jobs_density_measures(lsoa_msoa11, msoa11_msoa21, workplace, ages):
    """A jobs-density PROXY from Census 2021 (not BRES): people whose workplace is in an MSOA 2021 (ODWP01EW) per
    resident aged 16-64 there (ONS mid-2020 single years of age). Each LSOA 2011 takes the density of its MSOA 2021,
    so summing residents_16_64 × density over a group's wards and dividing by its residents 16-64 gives the density
    its residents live in.

    Two numerators: jobs_proxy_x_residents counts only workplaces in the MSOA (workers minus the MSOA's residents
    working mainly at or from home or with no fixed place, whom the Census places at home: in lockdown, a large
    share); jobs_proxy_with_home_x_residents keeps them. Returns (per LSOA: lsoa11_code, residents_16_64, both
    numerators; the share of England's workers whose MSOA 2021 has residents in this mapping)."""
    columns = [f"age_{age}" for age in WORKING_AGES]
    frame = pd.DataFrame({"lsoa11_code": ages["lsoa11_code"], "residents_16_64": ages[columns].sum(axis=1)})
    frame = frame.merge(lsoa_msoa11, on="lsoa11_code", how="left", validate="one_to_one")
    frame = frame.merge(msoa11_msoa21, on="msoa11_code", how="left", validate="many_to_one")
    require_values(
        frame, "msoa21_code", "lsoa11_code", IndicatorError, "LSOAs 2011 reach no MSOA 2021 through the MSOA lookups"
    )
    residents = frame.groupby("msoa21_code")["residents_16_64"].sum().where(lambda counts: counts > 0)
    places = workplace.set_index("msoa21_code").reindex(residents.index)
    counts = {
        "jobs_proxy_x_residents": places["workers"] - places["no_fixed_place_or_home"],
        "jobs_proxy_with_home_x_residents": places["workers"],
    }
    for column, workers in counts.items():
        density = (workers / residents).fillna(0.0)
        # looked up as numbers: mapping the Arrow-string codes through density gave an Arrow-backed column, which no
        # other measure is, and which sent the ward table to pandas' slow CSV writer
        frame[column] = frame["residents_16_64"] * density.reindex(frame["msoa21_code"]).to_numpy()
    total = workplace["workers"].sum()
    reached = float(places["workers"].sum() / total) if total else float("nan")
    return frame[["lsoa11_code", "residents_16_64", *counts]], reached


def industry_mix(workplace, lsoa_msoa11, membership, population_column, group_column="group"):
    """Jobs located in each group's areas by industry section (Census 2011 workplace population, WP605EW), and
    each section's share of the group's jobs. Descriptive only: where jobs are, not what residents do.

    An MSOA's jobs are shared among the groups by the share of its residents living in each group's wards (its
    LSOAs' populations), since an MSOA may straddle wards. workplace: msoa11_code, workers_total, workers_section_*;
    lsoa_msoa11: lsoa11_code, msoa11_code; membership: lsoa11_code, the group column and the population column.
    Returns group, section, jobs, share (england: the total)."""
    sections = [c for c in workplace.columns if c.startswith("workers_section_")]
    people = membership[["lsoa11_code", group_column, population_column]].merge(
        lsoa_msoa11,
        on="lsoa11_code",
        how="left",
        validate="one_to_one",
    )
    require_values(
        people, "msoa11_code", "lsoa11_code", IndicatorError, "LSOAs 2011 have no MSOA 2011 in the OA lookup"
    )
    residents = people.groupby(["msoa11_code", group_column])[population_column].sum().unstack(fill_value=0.0)
    shares = residents.div(residents.sum(axis=1).where(lambda total: total > 0), axis=0).fillna(0.0)
    placed = workplace.set_index("msoa11_code").reindex(shares.index)
    jobs = placed[sections].fillna(0.0)
    unmatched = float(workplace["workers_total"].sum() - placed["workers_total"].sum())
    if unmatched > 0.5:
        log.warning("%s workers are in MSOAs with no resident in the membership table", f"{unmatched:,.0f}")
    by_group = shares.T @ jobs  # groups x sections
    by_group.loc[ENGLAND] = jobs.sum()
    long = by_group.rename_axis(index="group", columns="section").stack().rename("jobs").reset_index()
    long["section"] = long["section"].str.removeprefix("workers_section_")
    long["share"] = long["jobs"] / long.groupby("group")["jobs"].transform("sum")
    order = {group: i for i, group in enumerate(GROUPS)}
    return long.sort_values(["group", "section"], key=lambda s: s.map(order) if s.name == "group" else s).reset_index(
        drop=True
    )
