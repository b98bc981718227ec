"""The audit trail of each headline number: raw files and columns -> clean tables -> intermediate tables -> the
comparison row. Built from the workflow's own file paths (rule outputs, handed over as params) and the indicator
definitions, so it cannot drift from what the pipeline does."""

import re

import pandas as pd

# Base measures that are derived, not copied from a clean column: (clean tables they come from, how).
# Kept beside the code that derives them: indicators.economic_activity_counts and indicators.lsoa11_measures.
DERIVED_MEASURES = [
    (
        r"ea_residents_16plus",
        ["census21_ts062_nssec_oa21"],
        "residents 16+ (TS062 total, ts062_0001) per Output Area",
    ),
    (
        r"ea_\w+",
        ["census21_economic_activity_pct_oa21", "census21_ts062_nssec_oa21"],
        "ONS Output Area percentage of residents 16+ × the Output Area's residents 16+ (TS062 total)",
    ),
    (r"population", ["iod2019_population_mid2015_lsoa11"], "LSOA population of the classification's source"),
    (r"population_iod2019_mid2015", ["iod2019_population_mid2015_lsoa11"], "LSOA population, IoD2019 mid-2015"),
    (r"population_ons_mid2019", ["population_mid2019_lsoa11"], "LSOA population, ONS mid-2019"),
    (r"population_ons_mid2020", ["population_mid2020_lsoa11"], "LSOA population, ONS mid-2020"),
    (r"lsoas", ["lookup_lsoa11_ward17"], "1 per LSOA 2011 (a count of neighbourhoods)"),
    (r"lsoas_e_withdrawn", ["iuc2018_lsoa11"], "1 per LSOA 2011 in the IUC 2018 e-Withdrawn group"),
    (
        r"population_e_withdrawn",
        ["iuc2018_lsoa11", "iod2019_population_mid2015_lsoa11"],
        "the LSOA's population where the LSOA is e-Withdrawn",
    ),
    (
        r"income_deprived",
        ["iod2019_scores_composite_lsoa11", "iod2019_population_mid2015_lsoa11"],
        "IoD2019 income domain rate (%) / 100 × LSOA population (mid-2015)",
    ),
    (
        r"employment_deprived",
        ["iod2019_scores_composite_lsoa11", "iod2019_population_mid2015_lsoa11"],
        "IoD2019 employment domain rate (%) / 100 × LSOA working-age population (mid-2015)",
    ),
    (r"working_age_population", ["iod2019_population_mid2015_lsoa11"], "LSOA working-age population (mid-2015)"),
    (r"residents_16_64", ["population_mid2020_lsoa11"], "LSOA residents aged 16-64 (ONS mid-2020)"),
    (
        r"jobs_proxy(_with_home)?_x_residents",
        [
            "census21_workplace_population_msoa21",
            "lookup_msoa11_msoa21",
            "lookup_oa11_lsoa11_msoa11",
            "population_mid2020_lsoa11",
        ],
        "LSOA residents 16-64 × their MSOA 2021's Census 2021 workers per resident 16-64 (a proxy, not BRES; the "
        "headline leaves out those working mainly at or from home or with no fixed place)",
    ),
    (
        r"h?le_\w+_(2009_13|2016_20)_x_pop",
        ["life_expectancy_{period}_msoa11", "lookup_oa11_lsoa11_msoa11", "iod2019_population_mid2015_lsoa11"],
        "the MSOA's life expectancy × LSOA population, for LSOAs whose MSOA has a value",
    ),
    (
        r"h?le_\w+_(2009_13|2016_20)_pop",
        ["life_expectancy_{period}_msoa11", "lookup_oa11_lsoa11_msoa11", "iod2019_population_mid2015_lsoa11"],
        "LSOA population, for LSOAs whose MSOA has a life expectancy value",
    ),
]

CHAIN_COLUMNS = ["figure", "statistic", "step", "stage", "file", "columns", "what happens"]


def measure_origin(measure, dictionary):
    """(clean tables, clean columns, how) of one base measure. dictionary: the clean tables' data dictionary."""
    direct = dictionary[dictionary["column"] == measure]
    if not direct.empty:
        row = direct.iloc[0]
        return [row["table"]], f"{measure} (source column {row['source_column']}: {row['description']})", "copied"
    for pattern, tables, how in DERIVED_MEASURES:
        match = re.fullmatch(pattern, measure)
        if match:
            period = match.group(1) if match.groups() else ""
            return [t.format(period=period) for t in tables], measure, how
    raise KeyError(f"base measure {measure!r} has no clean column and no derivation in provenance.DERIVED_MEASURES")


def headline_chain(figures, indicators, dictionary, raw_files, stage_files):
    """One row per step of each computed published figure, from raw files to the comparison row.

    raw_files: clean table id -> its raw file paths; stage_files: the workflow's intermediate files by role
    (census_measures, lsoa_measures, bridge, weights, membership, ward_measures, group_indicators, comparison)."""
    rows = []
    for figure_id, figure in figures.items():
        definition = indicators.get(figure["indicator"])
        if definition is None:
            continue
        measures = [*definition["numerator"], *definition["denominator"]]
        origins = {m: measure_origin(m, dictionary) for m in measures}
        tables = sorted({t for tables, _, _ in origins.values() for t in tables})

        def add(step, stage, file, columns, what, figure_id=figure_id, statistic=figure["statistic"]):
            rows.append(
                {
                    "figure": figure_id,
                    "statistic": statistic,
                    "step": step,
                    "stage": stage,
                    "file": file,
                    "columns": columns,
                    "what happens": what,
                }
            )

        for table in tables:
            for path in raw_files.get(table, [])[:3]:
                add(1, "raw", path, "", f"retrieved and checked against the registry's sha256 (dataset {table})")
        for measure, (tables_of, columns, how) in origins.items():
            for table in tables_of:
                add(2, "clean", f"results/clean/{table}.parquet", columns, f"tidy table; measure {measure}: {how}")
        census = [m for m in measures if m.startswith(("ts", "ea_"))]
        if census:
            add(
                3,
                "geography",
                stage_files["bridge"],
                "lsoa21_code, ward17_code, weight",
                "Output Area 2021 -> LSOA 2021 (exact), then LSOA 2021 -> ward 2017 (population-apportioned)",
            )
            add(
                4, "indicators", stage_files["census_measures"], ", ".join(census), "Census counts summed per ward 2017"
            )
        lsoa = [m for m in measures if not m.startswith(("ts", "ea_"))]
        if lsoa:
            add(
                3,
                "geography",
                stage_files["weights"],
                "lsoa11_code, ward17_code, population_*",
                "LSOA 2011 -> ward 2017 (best-fit lookup)",
            )
            add(
                4,
                "indicators",
                stage_files["lsoa_measures"],
                ", ".join(lsoa),
                "LSOA 2011 measures summed per ward 2017",
            )
        add(
            5,
            "classify",
            stage_files["membership"],
            "ward17_code, group_published_list",
            "each ward's group: DDN (published list), other deprived, rest of England",
        )
        add(6, "indicators", stage_files["ward_measures"], ", ".join(measures), "one row per ward: every base measure")
        add(
            7,
            "indicators",
            stage_files["group_indicators"],
            f"indicator = {figure['indicator']}",
            f"{definition['definition']}: sum of the numerator over the group's wards ÷ sum of the denominator",
        )
        add(
            8,
            "benchmark",
            stage_files["comparison"],
            f"id = {figure_id}",
            "our values beside the published figure, and the verdict",
        )
    return pd.DataFrame(rows, columns=CHAIN_COLUMNS)
