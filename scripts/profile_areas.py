"""Your own areas (config areas): each area's codes checked against the lookups, then every indicator pooled over
the area at its own geography, beside the groups of the published list (rule profile_areas)."""

import logging

import pandas as pd

from ddn_pipeline.areas import GEOGRAPHY_WORDS, POPULATION, measures_by_geography, profile
from ddn_pipeline.files import write_csv
from ddn_pipeline.groups import LABELS, PUBLISHED_GROUPS
from ddn_pipeline.indicators import known_for_share
from ddn_pipeline.logs import run
from ddn_pipeline.presentation import format_value

log = logging.getLogger("profile_areas")


def member_table(members, measures, wards, lsoa11_ward17, bridge, lsoas_2025, lsoa21_names):
    """Each code with its name, area, geography, population, its ward 2017 (the ward itself, an LSOA 2011's best-fit
    ward, or the ward taking most of an LSOA 2021) with the ward's name, council and group on the published list;
    an LSOA 2021's own 2025 double test."""
    rows = []
    main_ward = bridge.sort_values("weight", ascending=False, kind="stable").drop_duplicates("lsoa21_code")
    ward_of = {
        "ward17": lambda codes: codes,
        "lsoa11": lambda codes: codes.map(lsoa11_ward17.set_index("lsoa11_code")["ward17_code"]),
        "lsoa21": lambda codes: codes.map(main_ward.set_index("lsoa21_code")["ward17_code"]),
    }
    ward = wards.set_index("ward17_code")
    group = ward["group_published_list"].map(LABELS)
    names = {
        "ward17": ward["ward17_name"],
        "lsoa11": lsoa11_ward17.set_index("lsoa11_code")["lsoa11_name"],
        "lsoa21": lsoa21_names.set_index("lsoa21_code")["lsoa21_name"],
    }
    for geography, codes in members.groupby("geography", sort=False):
        frame = codes.merge(
            measures[geography][["code", POPULATION[geography]]], on="code", how="left", validate="many_to_one"
        ).rename(columns={POPULATION[geography]: "population"})
        frame["name"] = frame["code"].map(names[geography])
        frame["ward17_code"] = ward_of[geography](frame["code"])
        frame["ward17_name"] = frame["ward17_code"].map(ward["ward17_name"])
        frame["lad_name"] = frame["ward17_code"].map(ward["lad_name"])
        frame["ward17_group_published"] = frame["ward17_code"].map(group)
        if lsoas_2025 is not None and geography == "lsoa21":
            flags = lsoas_2025.set_index("lsoa21_code")["doubly_disadvantaged_2025"]
            frame["lsoa21_doubly_disadvantaged_2025"] = frame["code"].map(flags)
        rows.append(frame)
    order = {name: i for i, name in enumerate(members["area"].drop_duplicates())}
    table = pd.concat(rows, ignore_index=True).sort_values("area", key=lambda s: s.map(order), kind="stable")
    columns = ["code", "name", "area", "geography", "population", "ward17_code", "ward17_name", "lad_name"]
    columns += ["ward17_group_published", "lsoa21_doubly_disadvantaged_2025"]
    return table[[c for c in columns if c in table.columns]]


def main(smk):
    wards = pd.read_parquet(smk.input.wards, columns=["ward17_code", "ward17_name", "lad_name", "group_published_list"])
    lookup = pd.read_parquet(smk.input.lookup)
    members = pd.read_csv(smk.input.codes, dtype=str, keep_default_na=False)  # checked by rule check_areas
    measures = measures_by_geography(
        pd.read_parquet(smk.input.ward_measures),
        pd.read_parquet(smk.input.lsoa11),
        pd.read_parquet(smk.input.lsoa21),
        lookup,
    )
    definitions = smk.params.definitions
    indicators, areas = profile(members, measures, definitions)
    # an indicator known for only part of its people (coverage_of: life expectancy, by MSOA) says for how many
    indicators["known_for_share"] = known_for_share(indicators, definitions, "area")

    groups = pd.read_csv(smk.input.groups, dtype={"ddn_list": str})
    beside = groups[(groups["ddn_list"] == "published") & groups["group"].isin(PUBLISHED_GROUPS)].pivot(
        index="indicator", columns="group", values="value"
    )
    indicators = indicators.merge(
        beside[list(PUBLISHED_GROUPS)].reset_index(), on="indicator", how="left", validate="many_to_one"
    ).merge(areas[["area", "population"]], on="area", how="left", validate="many_to_one")
    write_csv(indicators, smk.output.indicators)
    write_csv(areas, smk.output.areas)

    units = {name: d["unit"] for name, d in definitions.items()}
    write_csv(
        pd.DataFrame(
            {
                "Area": indicators["area"],
                "Made of": indicators["geography"].map(GEOGRAPHY_WORDS),
                "Indicator": indicators["indicator"].map({n: d["label"] for n, d in definitions.items()}),
                "The area": [format_value(v, units[i]) for v, i in zip(indicators["value"], indicators["indicator"])],
                **{
                    LABELS[g]: [format_value(v, units[i]) for v, i in zip(indicators[g], indicators["indicator"])]
                    for g in PUBLISHED_GROUPS
                },
                "Known for (share of the area's people)": [
                    "" if pd.isna(v) else f"{100 * v:.1f}%" for v in indicators["known_for_share"]
                ],
            }
        ),
        smk.output.readable,
    )
    lsoas_2025 = pd.read_csv(smk.input.lsoas_2025) if smk.input.get("lsoas_2025") else None
    write_csv(
        member_table(
            members,
            measures,
            wards,
            pd.read_parquet(smk.input.lsoa11_ward17, columns=["lsoa11_code", "lsoa11_name", "ward17_code"]),
            pd.read_parquet(smk.input.bridge),
            lsoas_2025,
            pd.read_parquet(smk.input.lsoa21_names, columns=["lsoa21_code", "lsoa21_name"]),
        ),
        smk.output.members,
    )
    log.info(
        "%d areas of %d codes (%s)",
        len(areas),
        len(members),
        ", ".join(f"{n} of {GEOGRAPHY_WORDS[g]}" for g, n in areas["geography"].value_counts().items()),
    )


run(main, globals().get("snakemake"))
