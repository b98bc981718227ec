"""The clean tables: one spec per table, naming its dataset, columns (source header -> tidy name) and checks.

Table names carry content, vintage and geography. Expected England counts come from the geography
(validate.GEOGRAPHIES) unless a table says otherwise.
"""

from ddn_pipeline.cleaning import Column, Table, code, num, text
from ddn_pipeline.validate import GEOGRAPHIES

LSOA11 = GEOGRAPHIES["lsoa11"].england_count
LSOA21 = GEOGRAPHIES["lsoa21"].england_count
OA21 = GEOGRAPHIES["oa21"].england_count
MSOA11 = GEOGRAPHIES["msoa11"].england_count
MSOA21 = GEOGRAPHIES["msoa21"].england_count
CNI2019_WARDS = 7_433  # wards in the Community Needs Index 2019 file (report-facts.md)

IOD_LSOA = (
    code("lsoa11_code", "LSOA code (2011)", "LSOA 2011"),
    text("lsoa11_name", "LSOA name (2011)", "LSOA 2011 name"),
    code("lad19_code", "Local Authority District code (2019)", "local authority district 2019"),
    text("lad19_name", "Local Authority District name (2019)", "local authority district 2019 name"),
)
IOD_CODES = {"lad19_code": "lad"}

DOMAINS = {
    "income": "Income",
    "employment": "Employment",
    "education": "Education",
    "health": "Health",
    "crime": "Crime",
    "barriers": "Barriers",
    "living_environment": "Living Environment",
}

CENSUS_TABLES = {
    "ts001": "usual_residents",
    "ts037": "general_health",
    "ts038": "disability",
    "ts045": "car_availability",
    "ts058": "distance_to_work",
    "ts059": "hours_worked",
    "ts061": "travel_to_work_method",
    "ts062": "nssec",
    "ts063": "occupation",
    "ts065": "employment_history",
    "ts067": "qualifications",
}

ECONOMIC_ACTIVITY = (
    num(
        "in_employment_pct",
        "economic_activity_status_4a-001",
        "Economically active: in employment (incl. full-time students), % of residents 16+",
    ),
    num(
        "unemployed_pct",
        "economic_activity_status_4a-002",
        "Economically active: unemployed (incl. full-time students), % of residents 16+",
    ),
    num("inactive_pct", "economic_activity_status_4a-003", "Economically inactive, % of residents 16+"),
)

WORKPLACE_INDUSTRY_SECTIONS = [
    "A Agriculture, forestry and fishing",
    "B Mining and quarrying",
    "C Manufacturing",
    "D Electricity, gas, steam and air conditioning supply",
    "E Water supply, sewerage, waste management and remediation activities",
    "F Construction",
    "G Wholesale and retail trade; repair of motor vehicles and motor cycles",
    "H Transport and storage",
    "I Accommodation and food service activities",
    "J Information and communication",
    "K Financial and insurance activities",
    "L Real estate activities",
    "M Professional, scientific and technical activities",
    "N Administrative and support service activities",
    "O Public administration and defence; compulsory social security",
    "P Education",
    "Q Human health and social work activities",
    "R,S Arts, entertainment and recreation; other service activities",
    "T Activities of households as employers; undifferentiated goods - and services - producing activities of households for own use",
    "U Activities of extraterritorial organisations and bodies",
]


def _section_name(header):
    letters = header.split(" ", 1)[0].replace(",", "").lower()
    return f"workers_section_{letters}"


TABLES = [
    Table(
        "imd2019_ranks_lsoa11",
        "iod2019_imd_ranks_lsoa11",
        "Official IMD 2019 rank (1 = most deprived) and decile per LSOA 2011",
        "xlsx",
        "lsoa11",
        IOD_LSOA
        + (
            num("imd_rank", "Index of Multiple Deprivation (IMD) Rank", "IMD 2019 rank, 1 = most deprived of 32,844"),
            num("imd_decile", "Index of Multiple Deprivation (IMD) Decile", "IMD 2019 decile, 1 = most deprived 10%"),
        ),
        codes=IOD_CODES,
        expected_rows=LSOA11,
        options={"sheet": "IMD2019"},
    ),
    Table(
        "iod2019_transformed_scores_lsoa11",
        "iod2019_transformed_scores_lsoa11",
        "IoD2019 exponentially transformed domain scores (File 9), the inputs of the IMD score",
        "xlsx",
        "lsoa11",
        IOD_LSOA
        + tuple(
            num(
                f"{key}_exp",
                f"{label} Score - exponentially transformed",
                f"{label} domain score, exponentially transformed (0-100, higher = more deprived)",
            )
            for key, label in DOMAINS.items()
        ),
        codes=IOD_CODES,
        expected_rows=LSOA11,
        options={"sheet": "IoD2019 Transformed Scores"},
    ),
    Table(
        "iod2019_population_mid2015_lsoa11",
        "iod2019_population_denominators_lsoa11",
        "IoD2019 population denominators, mid-2015, excluding prisoners (File 6)",
        "xlsx",
        "lsoa11",
        IOD_LSOA
        + (
            num("population_total", "Total population: mid 2015 (excluding prisoners)", "Total population, mid-2015"),
            num(
                "population_0_15",
                "Dependent Children aged 0-15: mid 2015 (excluding prisoners)",
                "Children aged 0-15, mid-2015",
            ),
            num(
                "population_16_59",
                "Population aged 16-59: mid 2015 (excluding prisoners)",
                "Population aged 16-59, mid-2015",
            ),
            num(
                "population_60_plus",
                "Older population aged 60 and over: mid 2015 (excluding prisoners)",
                "Population aged 60+, mid-2015",
            ),
            num(
                "population_working_age",
                "Working age population 18-59/64: for use with Employment Deprivation Domain (excluding prisoners)",
                "Working-age population 18-59 (women) / 18-64 (men), mid-2015",
            ),
        ),
        codes=IOD_CODES,
        expected_rows=LSOA11,
        options={"sheet": "Population Denominators"},
    ),
    Table(
        "iod2019_scores_lsoa11",
        "iod2019_scores_composite_lsoa11",
        "IoD2019 IMD score and income/employment domain rates (File 5 values, England rows of mySociety's composite UK IMD)",
        "csv",
        "lsoa11",
        (
            code("lsoa11_code", "lsoa", "LSOA 2011"),
            num("imd_score", "overall_local_score", "IMD 2019 score (higher = more deprived)"),
            num("income_deprived_pct", "income_score", "Income domain score: % of people income-deprived"),
            num(
                "employment_deprived_pct",
                "employment_score",
                "Employment domain score: % of working-age people employment-deprived",
            ),
        ),
        expected_rows=LSOA11,
    ),
    Table(
        "cni2019_ward17",
        "cni2019_ward17",
        "Community Needs Index 2019 (OCSI) with the published Left Behind Area flag, ward 2017",
        "csv",
        "ward17",
        (
            code("ward17_code", "ward17_code", "ward 2017"),
            text("ward17_name", "ward17_name", "ward 2017 name"),
            code("lad19_code", "lad19_code", "local authority district 2019"),
            text("lad19_name", "lad19_name", "local authority district 2019 name"),
            num("civic_assets_score", "Civic Assets score", "Civic assets domain score (higher = more need)"),
            num("civic_assets_rank", "Civic Assets rank", "Civic assets domain rank (1 = most need)"),
            num("connectedness_score", "Connectedness score", "Connectedness domain score (higher = more need)"),
            num("connectedness_rank", "Connectedness rank", "Connectedness domain rank (1 = most need)"),
            num(
                "engaged_community_score",
                "Engaged community score",
                "Engaged community domain score (higher = more need)",
            ),
            num("engaged_community_rank", "Engaged community rank", "Engaged community domain rank (1 = most need)"),
            num("cni_score", "Community Needs Index score", "Community Needs Index score (higher = more need)"),
            num("cni_rank", "Community Needs Index rank", "Community Needs Index rank, 1 = most need of 7,433 wards"),
            Column(
                "left_behind_published",
                "Left Behind Area?",
                "OCSI/Local Trust published flag: left behind (DDN) ward",
                "flag",
            ),
        ),
        codes={"lad19_code": "lad"},
        expected_rows=CNI2019_WARDS,
    ),
    Table(
        "cni2023_lsoa21",
        "cni2023_lsoa21",
        "Community Needs Index 2023 (OCSI), LSOA 2021",
        "csv",
        "lsoa21",
        (
            code("lsoa21_code", "lsoa21_code", "LSOA 2021"),
            text("lsoa21_name", "lsoa21_name", "LSOA 2021 name"),
            num("cni_score", "Community Needs Index 2023 Score", "CNI 2023 score (higher = more need)"),
            num("cni_rank", "Community Needs Index 2023 Rank", "CNI 2023 rank, 1 = most need"),
            num("civic_assets_score", "Civic Assets Domain Score", "Civic assets domain score"),
            num("civic_assets_rank", "Civic Assets Domain Rank", "Civic assets domain rank"),
            num("connectedness_score", "Connectedness Domain Score", "Connectedness domain score"),
            num("connectedness_rank", "Connectedness Domain Rank", "Connectedness domain rank"),
            num(
                "engaged_community_score",
                "Active and Engaged Community Domain Score",
                "Active and engaged community domain score",
            ),
            num(
                "engaged_community_rank",
                "Active and Engaged Community Domain Rank",
                "Active and engaged community domain rank",
            ),
            Column("left_behind_published", "Left Behind Area?", "OCSI published flag on the 2023 index", "flag"),
        ),
        expected_rows=LSOA21,
        non_negative=False,
    ),
    Table(
        "imd2025_lsoa21",
        "iod2025_ranks_scores_lsoa21",
        "IoD2025 IMD and domain ranks, deciles and scores, LSOA 2021",
        "rda",
        "lsoa21",
        (code("lsoa21_code", "lsoa21_code", "LSOA 2021"),)
        + tuple(
            num(
                f"{measure.lower()}_{part}",
                f"{measure}_{part}",
                f"IoD2025 {measure.replace('_', ' ')} {part} (rank/decile 1 = most deprived)",
            )
            for part in ("score", "rank", "decile")
            for measure in (
                "IMD",
                "Income",
                "Employment",
                "Education",
                "Health",
                "Crime",
                "Housing_and_Services",
                "Environment",
            )
        ),
        expected_rows=LSOA21,
        non_negative=False,
        options={"object": "imd2025_england_lsoa21"},
    ),
    Table(
        "lookup_lsoa11_ward17",
        "lookup_lsoa11_ward17",
        "Best-fit lookup: each LSOA 2011 to one ward (December 2017)",
        "csv",
        "lsoa11",
        (
            code("lsoa11_code", "LSOA11CD", "LSOA 2011"),
            text("lsoa11_name", "LSOA11NM", "LSOA 2011 name"),
            code("ward17_code", "WD17CD", "ward 2017"),
            text("ward17_name", "WD17NM", "ward 2017 name"),
            code("lad17_code", "LAD17CD", "local authority district 2017"),
            text("lad17_name", "LAD17NM", "local authority district 2017 name"),
        ),
        codes={"ward17_code": "ward17", "lad17_code": "lad"},
        expected_rows=LSOA11,
    ),
    Table(
        "lookup_ward17_lad17_region",
        "lookup_ward17_lad17_rgn",
        "Ward (December 2017) to local authority and region, England",
        "csv",
        "ward17",
        (
            code("ward17_code", "WD17CD", "ward 2017"),
            text("ward17_name", "WD17NM", "ward 2017 name"),
            code("lad17_code", "LAD17CD", "local authority district 2017"),
            text("lad17_name", "LAD17NM", "local authority district 2017 name"),
            code("region_code", "GOR10CD", "region"),
            text("region_name", "GOR10NM", "region name"),
        ),
        codes={"lad17_code": "lad", "region_code": "region"},
    ),
    Table(
        "lookup_msoa11_ward17",
        "lookup_msoa11_ward17",
        "Best-fit lookup: each MSOA 2011 to one ward (December 2017)",
        "csv",
        "msoa11",
        (code("msoa11_code", "MSOA11CD", "MSOA 2011"), code("ward17_code", "WD17CD", "ward 2017")),
        codes={"ward17_code": "ward17"},
        expected_rows=MSOA11,
    ),
    Table(
        "lookup_lsoa11_lsoa21",
        "lookup_lsoa11_lsoa21",
        "LSOA 2011 to LSOA 2021 with ONS change codes (U unchanged, S split, M merged, X complex)",
        "rda",
        "lsoa11",
        (
            code("lsoa11_code", "lsoa11_code", "LSOA 2011"),
            code("lsoa21_code", "lsoa21_code", "LSOA 2021"),
            text("change_code", "change_code", "ONS change code: U unchanged, S split, M merged, X complex"),
        ),
        unique=("lsoa11_code", "lsoa21_code"),
        codes={"lsoa21_code": "lsoa21"},
        options={"object": "lookup_lsoa11_lsoa21_ltla22"},
    ),
    Table(
        "lookup_oa11_lsoa11_msoa11",
        "lookup_oa11_lsoa11_msoa11_lad17",
        "Output Area 2011 to LSOA 2011 to MSOA 2011 (exact fit), England",
        "csv",
        "oa11",
        (
            code("oa11_code", "OA11CD", "Output Area 2011"),
            code("lsoa11_code", "LSOA11CD", "LSOA 2011"),
            code("msoa11_code", "MSOA11CD", "MSOA 2011"),
        ),
        codes={"lsoa11_code": "lsoa11", "msoa11_code": "msoa11"},
        expected_rows=GEOGRAPHIES["oa11"].england_count,
    ),
    Table(
        "lookup_oa21_lsoa21",
        "lookup_oa21_lsoa21",
        "Output Area 2021 to LSOA 2021 (exact fit)",
        "csv",
        "oa21",
        (code("oa21_code", "OA", "Output Area 2021"), code("lsoa21_code", "geography_code", "LSOA 2021")),
        codes={"lsoa21_code": "lsoa21"},
        expected_rows=OA21,
    ),
    Table(
        "lookup_msoa11_msoa21",
        "lookup_msoa11_msoa21",
        "MSOA 2011 to MSOA 2021 (one row per MSOA 2011)",
        "csv",
        "msoa11",
        (code("msoa11_code", "MSOA11CD", "MSOA 2011"), code("msoa21_code", "MSOA21CD", "MSOA 2021")),
        codes={"msoa21_code": "msoa21"},
        expected_rows=MSOA11,
    ),
    *[
        Table(
            f"population_mid{year}_lsoa11",
            f"population_mid{year}_lsoa11",
            f"ONS mid-{year} population estimates, LSOA 2011",
            "rda",
            "lsoa11",
            (
                code("lsoa11_code", "lsoa11_code", "LSOA 2011"),
                num("population_total", "total_population", f"Total population, mid-{year}"),
            )
            + tuple(
                num(f"age_{age.replace('+', '_plus')}", age, f"Persons aged {age}, mid-{year}")
                for age in [*map(str, range(90)), "90+"]
            ),
            expected_rows=LSOA11,
            options={"object": f"population{str(year)[2:]}_lsoa11"},
        )
        for year in (2019, 2020)
    ],
    Table(
        "census21_variables",
        "census21_table_metadata",
        "Census 2021 OA bulk tables: column codes and Nomis headers",
        "csv",
        None,
        (
            text("column_code", "new_names", "column code in the OA parquet files"),
            text("table_id", "Table_ID", "Census table id"),
            text("table_name", "Table_Name", "Census table title"),
            text("variable_name", "Variable_Name", "Category (Nomis header)"),
        ),
        england_only=False,
    ),
    *[
        Table(
            f"census21_{tid}_{content}_oa21",
            f"census21_{tid}_oa21",
            f"Census 2021 {tid.upper()} ({content.replace('_', ' ')}), counts by Output Area 2021",
            "census",
            "oa21",
            (),
            expected_rows=OA21,
            options={"table_id": tid},
        )
        for tid, content in CENSUS_TABLES.items()
    ],
    Table(
        "census21_economic_activity_pct_oa21",
        "census21_economic_activity_oa21",
        "Census 2021 economic activity (TS066, ONS 3-way grouping), % of residents 16+, Output Area 2021",
        "tiles",
        "oa21",
        (code("oa21_code", "areacd", "Output Area 2021"),) + ECONOMIC_ACTIVITY,
        expected_rows=OA21,
    ),
    Table(
        "census21_economic_activity_pct_msoa21",
        "census21_economic_activity_msoa21",
        "Census 2021 economic activity (TS066, ONS 3-way grouping), % of residents 16+, MSOA 2021",
        "tiles",
        "msoa21",
        (code("msoa21_code", "areacd", "MSOA 2021"),) + ECONOMIC_ACTIVITY,
        expected_rows=MSOA21,
    ),
    Table(
        "iuc2018_lsoa11",
        "iuc2018_lsoa11",
        "CDRC Internet User Classification 2018 group per LSOA 2011",
        "csv",
        "lsoa11",
        (
            code("lsoa11_code", "LSOA11_CD", "LSOA 2011"),
            num("iuc_group_code", "GRP_CD", "IUC group code (1-10)"),
            text("iuc_group", "GRP_LABEL", "IUC group name; 'e-Withdrawn' is the least engaged with the internet"),
        ),
        expected_rows=LSOA11,
    ),
    Table(
        "life_expectancy_2009_13_msoa11",
        "life_expectancy_2009_13_msoa11",
        "ONS life expectancy (LE) and healthy life expectancy (HLE) at birth by sex, 2009-2013, MSOA 2011",
        "le_2009_13",
        "msoa11",
        (
            code("msoa11_code", "MSOACode", "MSOA 2011"),
            num("le_male", "life_expectancy_males", "Male life expectancy at birth, years"),
            num("le_female", "life_expectancy_females", "Female life expectancy at birth, years"),
            num("hle_male", "healthy_life_expectancy_males", "Male healthy life expectancy at birth, years"),
            num("hle_female", "healthy_life_expectancy_females", "Female healthy life expectancy at birth, years"),
        ),
        allow_missing=True,
    ),
    Table(
        "life_expectancy_2016_20_msoa11",
        "life_expectancy_2016_20_msoa11",
        "ONS life expectancy at birth by sex, 2016-2020, MSOA 2011",
        "le_2016_20",
        "msoa11",
        (
            code("msoa11_code", "Code", "MSOA 2011"),
            num("le_male", "Males", "Male life expectancy at birth, years"),
            num("le_female", "Females", "Female life expectancy at birth, years"),
            num("le_persons", "Persons", "Life expectancy at birth, persons, years"),
        ),
        expected_rows=MSOA11,
        allow_missing=True,
    ),
    Table(
        "census21_workplace_population_msoa21",
        "census21_workplace_population_msoa21",
        "Census 2021 origin-destination summary: residents and workers per MSOA 2021 (ODWP01EW)",
        "csv",
        "msoa21",
        (
            code("msoa21_code", "areacd", "MSOA 2021"),
            num("residents_in_work", "origin", "Employed residents (origin count)"),
            num("workers", "destination", "People working in the MSOA (destination count): a jobs proxy"),
            num("no_fixed_place_or_home", "nomove", "Residents working at or from home / no fixed place"),
            num("within", "within", "Residents working within the MSOA"),
            num("from_outside", "fromout", "Workers coming from outside England and Wales"),
            num("to_outside", "toout", "Residents working outside England and Wales"),
        ),
        expected_rows=MSOA21,
    ),
    Table(
        "census11_workplace_industry_msoa11",
        "census11_workplace_industry_msoa11",
        "Census 2011 workplace population by industry section (WP605EW), MSOA 2011",
        "csv",
        "msoa11",
        (
            code("msoa11_code", "2011 super output area - middle layer", "MSOA 2011"),
            num("workers_total", "All categories: Industry", "Workplace population, all industries"),
        )
        + tuple(num(_section_name(h), h, f"Workplace population, section {h}") for h in WORKPLACE_INDUSTRY_SECTIONS),
        expected_rows=MSOA11,
        options={"key_split": ":"},
    ),
]

TABLES_BY_NAME = {t.name: t for t in TABLES}
