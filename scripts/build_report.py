"""The HTML report, opening on the findings: key numbers, the published-against-ours table, the figures, every
headline table rendered with its CSV, the audit trail and the sources (rule build_report)."""

import logging
from pathlib import Path

import pandas as pd

from ddn_pipeline import report as r
from ddn_pipeline.files import write_bytes_atomic
from ddn_pipeline.groups import LABELS
from ddn_pipeline.logs import run
from ddn_pipeline.presentation import LIST_WORDS, READABLE_COMPARISON_HEADERS, editions_side_by_side, format_value

log = logging.getLogger("build_report")


def outside_words(audit):
    """Where the published DDNs our rebuilt ward IMD misses fall, in measured ward ranks (no 'just': the numbers
    say how far)."""
    missed = audit[audit["agreement"] == "published_only"]
    if missed.empty:
        return "every published DDN is inside our IMD threshold"
    distances = missed["imd_distance_to_threshold"]
    return (
        f"{len(missed)} published DDNs fall outside our IMD threshold (rank {missed['imd_threshold_rank'].iloc[0]:,.0f}), "
        f"by {distances.min():,.0f} to {distances.max():,.0f} ward ranks"
    )


def read(path, flags=()):
    """A table as text, its flag columns (True/False) as booleans: a flag is never compared with a string."""
    return pd.read_csv(path, keep_default_na=False, dtype=dict.fromkeys(flags, "bool"))


def csv_table(path, caption, frame=None, headers=None):
    frame = read(path) if frame is None else frame
    return r.table(frame, caption, Path(path).name, Path(path).read_text(encoding="utf-8"), headers)


def findings(smk, summary, audit, comparison):
    groups = summary[summary["breakdown"] == "group"].set_index("group")
    ddn_wards = int(groups.loc["ddn", "wards"])
    ddn_people = float(groups.loc["ddn", "population_iod2019_mid2015"])
    agreement = audit["agreement"].value_counts()
    both = int(agreement.get("both", 0))
    verdicts = comparison["verdict"].value_counts()
    numbers = r.key_numbers(
        [
            (f"{ddn_wards}", "wards are doubly disadvantaged neighbourhoods (OCSI/Local Trust's published list)"),
            (format_value(ddn_people, "people"), "people live in them (IoD2019 mid-2015; the report says 2.3 million)"),
            (f"{both} of {ddn_wards}", "DDNs reproduced by our open method from the published indices"),
            (
                f"{verdicts.get('matches', 0) + verdicts.get('direction_holds', 0)} of {len(comparison)}",
                (
                    "published figures match or keep their direction; "
                    f"{verdicts.get('differs', 0)} differ, {verdicts.get('not_computed', 0)} cannot be computed offline"
                ),
            ),
        ]
    )
    text = r.paragraph(
        f"A ward is doubly disadvantaged when it ranks in the most deprived 10% of England's wards on both the Index of "
        f"Multiple Deprivation 2019 and the Community Needs Index 2019. The published list has {ddn_wards} such wards, "
        f"home to {format_value(ddn_people, 'people')} people. Rebuilding the ward IMD from the public LSOA scores, we find "
        f"{both} of them; {outside_words(audit)}, and {int(agreement.get('reproduced_only', 0))} other wards fall "
        "inside it. The table compares every figure the report and its predecessors publish with ours, computed on the "
        "published list."
    )
    people = read(smk.input.readable)[
        ["statistic", "published", "ours_ddn", "ours_other_deprived", "ours_england", "verdict"]
    ]
    headline = csv_table(
        smk.input.readable,
        "Published against reproduced: each published figure, ours for DDNs, other deprived areas and England in its "
        "unit, and the verdict (matches: within the published rounding; holds: the claim's direction is reproduced).",
        frame=people,
        headers=READABLE_COMPARISON_HEADERS,
    )
    return (
        numbers + text + headline + r.image(smk.input.published_vs_reproduced, "Published against reproduced figures")
    )


def classification(smk, summary, audit):
    groups = summary[summary["breakdown"] == "group"].copy()
    groups["group"] = groups["group"].map(LABELS)
    groups = groups[["group", "wards", "population_iod2019_mid2015", "population_ons_mid2020"]]
    for column in ("wards", "population_iod2019_mid2015", "population_ons_mid2020"):
        groups[column] = [format_value(float(v), "people") for v in groups[column]]
    disagreeing = audit[audit["agreement"] != "both"][
        ["ward17_name", "lad_name", "region_name", "agreement", "cni_rank", "imd_rank", "imd_distance_to_threshold"]
    ]
    mapped = r.image(smk.input.map, "Map of the DDNs") if smk.input.get("map") else ""
    return (
        mapped
        + csv_table(
            smk.input.summary,
            "Wards and people per group (England is all wards). The CSV also counts DDNs by region and local authority.",
            frame=groups,
            headers={
                "group": "Group",
                "wards": "Wards",
                "population_iod2019_mid2015": "People (IoD2019 mid-2015)",
                "population_ons_mid2020": "People (ONS mid-2020)",
            },
        )
        + r.image(smk.input.counts, "DDNs by region and local authority")
        + r.image(smk.input.ranks, "Ward IMD rank against CNI rank")
        + csv_table(
            smk.input.reproduction,
            "The wards on one list only: ranks (1 = most deprived or most need) and how far the ward IMD rank is from "
            "the 10% threshold (positive: outside). The CSV lists every ward on either list.",
            frame=disagreeing,
            headers={
                "ward17_name": "Ward",
                "lad_name": "Local authority",
                "region_name": "Region",
                "agreement": "On the list",
                "cni_rank": "CNI 2019 rank",
                "imd_rank": "Ward IMD 2019 rank",
                "imd_distance_to_threshold": "Distance to the IMD threshold (ranks)",
            },
        )
    )


def indicators(smk):
    groups = read(smk.input.groups)
    groups = groups[groups["ddn_list"] == "published"]
    dictionary = read(smk.input.dictionary).set_index("indicator")
    rows = []
    for indicator, values in groups.groupby("indicator", sort=False):
        unit = dictionary.loc[indicator, "unit"]
        by_group = dict(zip(values["group"], pd.to_numeric(values["value"])))
        rows.append(
            {"indicator": dictionary.loc[indicator, "label"]}
            | {LABELS[g]: format_value(by_group.get(g), unit) for g in LABELS}
        )
    folder = Path(smk.input.indicator_charts)
    charts = "".join(r.image(folder / f"{chart}.png", chart) for chart in smk.params.charts)
    return csv_table(
        smk.input.groups,
        "Every indicator pooled per group (the sum of the numerators over the sum of the denominators of the group's "
        "wards), on the published DDN list. The CSV holds the numerators and denominators, for both DDN lists.",
        frame=pd.DataFrame(rows),
    ) + r.collapsed(f"The {len(smk.params.charts)} indicator charts", charts)


def sensitivity(smk):
    frame = read(smk.input.sensitivity_readable)
    return r.paragraph(
        "The report does not publish its definitions. Where a figure could be read in several ways, each reading is "
        "computed; the verdict of each is below, also for our reproduced DDN list and for England read as the rest of "
        "England."
    ) + r.collapsed(
        f"{len(frame)} readings of the published figures",
        csv_table(
            smk.input.sensitivity_readable, "Each published figure under every candidate definition.", frame=frame
        ),
    )


def robustness(smk):
    claims = read(smk.input.sweep_claims[0])
    gaps = read(smk.input.sweep_conclusions[0])
    signs = pd.read_csv(smk.input.sweep_signs[0])
    variants = int(signs["variants"].iloc[0])
    text = (
        f"The report draws its groups at 10% on two indices. The sweep repeats the classification and the "
        f"comparison in {variants} variants per edition (thresholds 5% to 20% for both the DDNs and the other "
        "deprived areas, with the classification's weighting and population source; 'snakemake sweep_full' adds "
        "the other weightings and population sources). Each variant's DDNs are our reproduction, so at 10% the "
        "2019 variant is our reproduced list, not the published one. "
        "The gap between DDNs and other deprived areas keeps its sign at every threshold for "
        f"{int(signs['ddn_minus_other_deprived_same_sign_everywhere'].sum())} of {len(signs)} (edition, indicator) "
        f"pairs; the gap with England for {int(signs['ddn_minus_england_same_sign_everywhere'].sum())}."
    )
    figures = {Path(p).stem: p for p in smk.input.sweep_figures}
    return (
        r.paragraph(text)
        + r.image(figures["gaps_by_threshold"], "The headline gaps at every threshold")
        + csv_table(smk.input.sweep_claims[0], "Each published figure under every variant of the sweep.", frame=claims)
        + csv_table(
            smk.input.sweep_conclusions[0],
            "Each gap at the report's threshold, its range over the variants, and whether it keeps its sign.",
            frame=gaps,
        )
        + r.collapsed(
            "How stable is each ward's DDN status?",
            r.image(figures["ward_stability"], "How stable is a ward's DDN status?"),
        )
    )


def industry(smk):
    if not smk.input.get("industry_mix"):
        return r.paragraph("The Census 2011 workplace table is not available in this run: no industry mix.")
    return r.image(smk.input.industry_mix_figure, "Which industries are the jobs in DDN areas in?") + csv_table(
        smk.input.industry_mix, "The industry mix of the jobs located in each group's areas (Census 2011)."
    )


def update_2025(smk):
    if not smk.input.get("update_2025"):
        return r.paragraph(
            "The 2025 edition is not built in this run (config editions, or the indices are unavailable)."
        )
    wards = read(smk.input.update_2025, flags=["ddn_2025", "ddn_2019_published"])
    ddn = wards["ddn_2025"]
    change = wards["change"].value_counts()
    people = pd.to_numeric(wards.loc[ddn, "population_census2021"]).sum()
    numbers = [
        (
            f"{int(ddn.sum())}",
            f"wards 2017 are DDNs on the 2025 indices ({format_value(people, 'people')} Census 2021 residents)",
        ),
        (f"{int(change.get('stays', 0))}", "of the 225 published DDNs stay"),
        (f"{int(change.get('leaves', 0))}", "leave"),
        (f"{int(change.get('enters', 0))}", "wards enter"),
    ]
    if smk.input.get("ward23"):
        wards23 = read(smk.input.ward23, flags=["ddn_2025"])
        ddn23 = wards23["ddn_2025"]
        residents = format_value(pd.to_numeric(wards23.loc[ddn23, "population_census2021"]).sum(), "people")
        words = (
            f"of today's {len(wards23):,} wards (December 2023) are DDNs on the 2025 indices ({residents} residents)"
        )
        numbers.append((f"{int(ddn23.sum())}", words))
    regions = (
        pd.DataFrame(
            {
                "2019 (published)": wards[wards["ddn_2019_published"]].groupby("region_name").size(),
                "2025": wards[ddn].groupby("region_name").size(),
            }
        )
        .fillna(0)
        .astype(int)
        .sort_values("2019 (published)", ascending=False)
        .rename_axis("Region")
        .reset_index()
    )
    side_by_side = editions_side_by_side(read(smk.input.groups), smk.params.indicators)
    sensitivity = read(smk.input.sensitivity_readable)
    # each statistic on its headline definition, on the published list and on the 2025 list
    headline = sensitivity.loc[sensitivity["default"] == "yes", ["statistic", "candidate definition"]]
    verdicts = sensitivity.merge(headline, on=["statistic", "candidate definition"])
    verdicts = verdicts[verdicts["DDN list"].isin([LIST_WORDS["published"], LIST_WORDS["2025"]])]
    claims = verdicts.pivot_table(
        index="statistic", columns="DDN list", values="verdict", aggfunc="first"
    ).reset_index()
    return (
        r.paragraph(
            "Beyond the report: the same double test on the newer indices, IMD 2025 and CNI 2023 (both on LSOA 2021). "
            "Ward scores are population-weighted means of LSOA 2021 scores (Census 2021 residents), not an official ward "
            "index. OCSI warns that the CNI 2023 is not directly comparable with the CNI 2019: read the changes as "
            "indicative. Other deprived areas in 2025 are the rest of the most deprived 10% on ward IMD 2025."
        )
        + r.key_numbers(numbers)
        + "".join(r.image(png, Path(png).stem) for png in smk.input.figures_2025)
        + r.table(
            side_by_side,
            "The key indicators for each edition's DDNs and other deprived areas, and England (Census 2021 and the "
            "other sources as for 2019; only the groups differ).",
        )
        + r.table(
            claims, "Does each published claim still hold on the 2025 list? The verdicts, computed for each list."
        )
        + r.table(regions, "DDNs by region: the published 2019 list against the 2025 indices (wards 2017).")
        + r.collapsed(
            "Every ward that changes, with its 2025 ranks",
            csv_table(
                smk.input.update_2025, "Wards 2017 on the 2025 indices.", frame=wards[wards["change"] != "neither"]
            ),
        )
        + (
            r.collapsed(
                "The 2025 DDNs on today's ward boundaries (December 2023)",
                csv_table(
                    smk.input.ward23,
                    "Wards 2023 on the 2025 indices.",
                    frame=read(smk.input.ward23).query("ddn_2025 == 'True'"),
                ),
            )
            if smk.input.get("ward23")
            else ""
        )
    )


def audit_trail(smk):
    chain = read(smk.input.chain)
    first = chain[chain["figure"] == "not_in_work"][["step", "stage", "file", "columns", "what happens"]]
    return r.paragraph(
        "Every reproduced number can be followed from the raw files to the comparison table. This chain is "
        "generated from the workflow's own rules and the indicator definitions. Below: the share of DDN "
        "residents not in employment; the CSV has the chain of every published figure."
    ) + csv_table(smk.input.chain, "From raw files to the comparison row: not in employment.", frame=first)


def sources(smk):
    table = read(smk.input.sources).drop_duplicates("id")[["id", "status", "reason"]]
    missing = read(smk.input.not_computed)[["label", "reason"]]
    return csv_table(
        smk.input.not_computed, "Statistics this run could not compute, and why.", frame=missing
    ) + csv_table(
        smk.input.sources,
        "Every registered dataset and whether this run had it (full provenance, checksums and addresses in the "
        "CSV; titles, publishers and licences in datasets.yaml).",
        frame=table,
    )


def main(smk):
    summary = read(smk.input.summary)
    audit = read(smk.input.reproduction)
    comparison = read(smk.input.comparison)
    sections = [
        ("findings", "Findings", findings(smk, summary, audit, comparison)),
        ("classification", "Which neighbourhoods are doubly disadvantaged", classification(smk, summary, audit)),
        ("indicators", "How they compare: every indicator", indicators(smk)),
        ("jobs", "Where the jobs are: the industry mix of jobs in DDN areas", industry(smk)),
        ("sensitivity", "How far the verdicts depend on the definitions", sensitivity(smk)),
        ("robustness", "How far the conclusions depend on the 10% threshold", robustness(smk)),
        ("update2025", "The 2025 indices", update_2025(smk)),
        ("audit", "Audit trail: from raw files to each number", audit_trail(smk)),
        ("sources", "Sources, and what could not be computed", sources(smk)),
    ]
    page = r.page(
        "Doubly disadvantaged neighbourhoods, reproduced from open data",
        "This report regenerates the statistics of Breaking the cycle: delivering good jobs for 'doubly "
        "disadvantaged' neighbourhoods (Centre for Progressive Policy with Local Trust, 2024) from public data, "
        "with ddn-pipeline.",
        sections,
        "Built by ddn-pipeline (snakemake). Data: MHCLG English Indices of Deprivation (OGL v3.0); OCSI for Local Trust "
        "Community Needs Index; ONS Census 2021 and Open Geography (OGL v3.0; contains OS data © Crown copyright and "
        "database right); CDRC Internet User Classification.",
    )
    write_bytes_atomic(page.encode("utf-8"), smk.output[0])
    log.info("report: %d sections, %.1f MB", len(sections), len(page) / 1e6)


run(main, globals().get("snakemake"))
