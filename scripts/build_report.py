"""The HTML report, opening on the findings: key numbers, the published-against-ours table, the figures, every
headline table rendered with its CSV, the audit trail and the sources (rule build_report)."""

import datetime
import logging
from pathlib import Path

import pandas as pd

from ddn_pipeline import report as r
from ddn_pipeline.areas import GEOGRAPHY_WORDS
from ddn_pipeline.files import write_bytes_atomic
from ddn_pipeline.groups import LABELS
from ddn_pipeline.logs import run
from ddn_pipeline.presentation import LIST_WORDS, editions_side_by_side, format_value
from ddn_pipeline.report import escape

log = logging.getLogger("build_report")

AGREEMENT_WORDS = {
    "both": "Both lists",
    "published_only": "Published list only",
    "reproduced_only": "Our reproduction only",
}
GLOSSARY = r.Glossary(
    [
        (
            "DDN",
            "term-ddn",
            "Doubly disadvantaged neighbourhood: a ward in the most deprived 10% of England's wards on "
            "both the IMD and the CNI. Local Trust first called them 'left behind neighbourhoods'.",
        ),
        (
            "IMD",
            "term-imd",
            "Index of Multiple Deprivation (MHCLG): ranks every LSOA in England on income, "
            "employment, education, health, crime, housing and services, and living environment. The 2019 edition is "
            "the report's; 2025 is the newest.",
        ),
        (
            "IoD2019",
            "term-iod",
            "English Indices of Deprivation 2019 (MHCLG): the IMD and its domains, with the "
            "populations (mid-2015) they were computed on.",
        ),
        (
            "CNI",
            "term-cni",
            "Community Needs Index (OCSI for Local Trust): ranks wards (2019) or LSOAs (2023) on "
            "social infrastructure: civic assets, connectedness and an active, engaged community.",
        ),
        (
            "OCSI",
            "term-ocsi",
            "Oxford Consultants for Social Inclusion, who built the CNI and the DDN list for Local Trust.",
        ),
        (
            "LSOA",
            "term-lsoa",
            "Lower layer Super Output Area: a small statistical neighbourhood of about 1,500 "
            "people. Boundaries of 2011 (the IMD 2019) and 2021 (Census 2021, the IMD 2025).",
        ),
        (
            "MSOA",
            "term-msoa",
            "Middle layer Super Output Area: about five LSOAs, some 7,000 people; life expectancy "
            "and Census workplace counts are published for them.",
        ),
        (
            "ward",
            "term-ward",
            "An electoral ward. The DDN list uses the boundaries of December 2017. Tables count England's wards "
            "slightly differently: ONS's best-fit lookup gives each LSOA to one ward, so a few small wards get no "
            "LSOA (and so no IMD score or LSOA-based indicator), and the CNI file and the lookup each hold a few wards "
            "the other lacks. The run's log (logs/classification/aggregate_imd2019_ward17.log) lists them.",
        ),
        (
            "NS-SeC",
            "term-nssec",
            "National Statistics Socio-economic Classification: classes people by their current "
            "or last occupation, from L1 (large employers and higher managers) to L13 (routine occupations); L14 and "
            "L15 are the never-worked and full-time students.",
        ),
        (
            "e-Withdrawn",
            "term-ewithdrawn",
            "The group of the CDRC Internet User Classification (2018) least engaged with the internet.",
        ),
        (
            "BRES",
            "term-bres",
            "Business Register and Employment Survey (ONS): jobs counted where they are. The report "
            "uses it for jobs per resident; it cannot be downloaded offline, so we use a Census 2021 proxy.",
        ),
        (
            "Census table codes",
            "term-census",
            "Census 2021 topic summaries are named TS and a number: TS062 is "
            "NS-SeC, TS065 employment history, TS066 economic activity, TS037 general health, TS001 residents.",
        ),
    ]
)


def key_findings(numbers, fragile):
    """Five to seven plain sentences, each number from report_numbers.csv, each linking to its evidence below.
    fragile: labels of the indicators whose gap with other deprived areas changes sign between thresholds."""
    n = numbers.text
    items = [
        (
            n("{ddn_wards} wards are doubly disadvantaged on the published list, home to {ddn_people} people."),
            "classification",
            "The list and the map",
        ),
        (
            n(
                "They lie in {councils_with_ddns} councils across {regions_with_ddns} regions; the {top_region} has "
                "the most ({top_region_wards} wards)."
            ),
            "classification",
            "Where they are",
        ),
        (
            n(
                "Rebuilding the ward IMD from the public LSOA scores finds {reproduced_both} of the {ddn_wards}; the "
                "other {published_only} fall outside our threshold by {nearest_outside} to {farthest_outside} ward "
                "ranks."
            ),
            "classification-audit",
            "The wards on one list only",
        ),
        (
            n(
                "Of {numbers_judged} published numbers and claims: {numbers_reproduced} reproduced, "
                "{numbers_differs} numbers that differ, {numbers_does_not_hold} claims that do not hold, "
                "{numbers_no_difference} with no difference between the groups, {numbers_reported} proxy judged by "
                "its direction only, and {numbers_not_computed} not computable offline."
            ),
            "findings-table",
            "Each one, with its reason",
        ),
    ]
    if "ddn_2025" in numbers:
        sentence = (
            "On the 2025 indices, {ddn_2025} wards (2017 boundaries) are DDNs: {ddn_2025_stays} of the published "
            "{ddn_wards} stay, {ddn_2025_leaves} leave and {ddn_2025_enters} enter."
        )
        if "lsoas21_double" in numbers:
            sentence += (
                " On neighbourhoods (LSOAs 2021), {lsoas21_double} pass the double test, {lsoas21_double_and_ocsi} of "
                "them among OCSI's {lsoas21_ocsi_2023} left-behind neighbourhoods of 2023."
            )
        items.append((n(sentence), "update2025", "The 2025 indices"))
    robust = n(
        "Drawn at any threshold from 5% to 20% (2019 indices), the gap between DDNs and England keeps its direction "
        "on {sweep_england_same_sign} of {sweep_pairs} indicators, and the gap with other deprived areas on "
        "{sweep_other_same_sign}."
    )
    if fragile:
        robust += escape(f" The gap with other deprived areas changes direction for: {', '.join(fragile)}.")
    items.append((robust, "robustness", "The threshold sweep"))
    return r.findings_list([(GLOSSARY.link(sentence), anchor, words) for sentence, anchor, words in items])


def read(path, flags=()):
    """A table as text, its flag columns (True/False) as booleans: a flag is never compared with a string."""
    return pd.read_csv(path, keep_default_na=False, dtype=dict.fromkeys(flags, "bool"))


def csv_table(path, caption, frame=None, headers=None):
    frame = read(path) if frame is None else frame
    return r.table(frame, caption, Path(path).name, Path(path).read_text(encoding="utf-8"), headers)


def findings(smk, numbers):
    cards = r.key_numbers(
        [
            (
                numbers.span("ddn_wards"),
                escape("wards are doubly disadvantaged neighbourhoods (OCSI/Local Trust's list)"),
            ),
            (numbers.span("ddn_people"), escape("people live in them (IoD2019 mid-2015; the report says 2.3 million)")),
            (numbers.text("{reproduced_both} of {ddn_wards}"), escape("reproduced by our open method")),
            (
                numbers.text("{numbers_reproduced} of {numbers_judged}"),
                escape("published numbers and claims reproduced"),
            ),
        ]
    )
    text = GLOSSARY.prose(
        "A ward is doubly disadvantaged when it ranks in the most deprived 10% of England's wards on both the Index of "
        "Multiple Deprivation 2019 (IMD) and the Community Needs Index 2019 (CNI); other deprived areas are the other "
        "wards in the most deprived 10% on the IMD. Below, each number and claim the "
        "report and its predecessors publish sits beside ours, computed on the published list, with its own verdict "
        "and the reason for it. Ours is given in the published terms (a share, a ratio, a gap in years) and, beside "
        "it, the level for each group."
    )
    table = csv_table(
        smk.input.published_numbers,
        "Each published number or claim, ours in the same terms, the levels per group, the verdict and why. Matches: "
        "within the published figure's rounding; holds: the claimed direction is reproduced; no difference: the gap "
        "is under the precision of the published figures. Gaps are computed from unrounded values, so they can "
        "differ by 0.1 from the difference of the rounded levels.",
    ).replace("<figure class='table'>", "<figure class='table' id='findings-table'>", 1)
    return cards + text + table + r.image(smk.input.published_vs_reproduced, "Published against reproduced figures")


def classification(smk, summary, audit):
    groups = summary[summary["breakdown"] == "group"].copy()
    groups["group"] = groups["group"].map(LABELS)
    groups = groups[["group", "wards", "population_iod2019_mid2015", "population_ons_mid2020"]]
    for column in ("wards", "population_iod2019_mid2015", "population_ons_mid2020"):
        groups[column] = [format_value(float(v), "people") for v in groups[column]]
    disagreeing = audit[audit["agreement"] != "both"][
        ["ward17_name", "lad_name", "region_name", "agreement", "cni_rank", "imd_rank", "imd_distance_to_threshold"]
    ].copy()
    disagreeing["agreement"] = disagreeing["agreement"].map(AGREEMENT_WORDS)
    for column in ("cni_rank", "imd_rank", "imd_distance_to_threshold"):
        disagreeing[column] = [f"{float(v):,.0f}" for v in disagreeing[column]]
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
            "the 10% threshold (positive: outside it by that many ranks; negative: inside). A ward on our list only "
            "is inside both thresholds on our rebuilt ranks; one far inside shows that OCSI's unpublished ward IMD "
            "differs from ours for that ward. The CSV lists every ward on either list.",
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
            {"Indicator": dictionary.loc[indicator, "label"]}
            | {LABELS[g]: format_value(by_group.get(g), unit) for g in LABELS}
        )
    folder = Path(smk.input.indicator_charts)
    charts = "".join(r.image(folder / f"{chart}.png") for chart in smk.params.charts)
    return csv_table(
        smk.input.groups,
        "Every indicator pooled per group (the sum of the numerators over the sum of the denominators of the group's "
        "wards), on the published DDN list. The CSV holds the numerators and denominators, for both DDN lists.",
        frame=pd.DataFrame(rows),
    ) + r.collapsed(f"The {len(smk.params.charts)} indicator charts", charts)


def sensitivity(smk):
    frame = read(smk.input.sensitivity_readable)
    return GLOSSARY.prose(
        "The report does not publish its definitions. Where a figure could be read in several ways, each reading is "
        "computed; the verdict of each is below, also for our reproduced DDN list and for England read as the rest of "
        "England."
    ) + r.collapsed(
        f"{len(frame)} readings of the published figures",
        csv_table(
            smk.input.sensitivity_readable, "Each published figure under every candidate definition.", frame=frame
        ),
    )


def robustness(smk, numbers, fragile):
    claims = read(smk.input.sweep_claims[0])
    gaps = read(smk.input.sweep_conclusions[0])
    text = numbers.text(
        "The report draws its groups at 10% on two indices. The sweep repeats the classification and the comparison "
        "in {sweep_variants} variants per edition (thresholds 5% to 20% for both the DDNs and the other deprived "
        "areas, with the classification's weighting and population source; the full sweep, a command in the README, "
        "adds the other weightings and population sources). Each variant's DDNs are our reproduction, so at 10% the 2019 variant is "
        "our reproduced list, not the published one. For 2019, the gap between DDNs and other deprived areas keeps "
        "its sign at every threshold for {sweep_other_same_sign} of {sweep_pairs} indicators, and the gap with "
        "England for {sweep_england_same_sign}."
    )
    if fragile:
        text += escape(
            f" The conclusions that depend on the 10% cut (the gap with other deprived areas changes sign): "
            f"{', '.join(fragile)}."
        )
    figures = {Path(p).stem: p for p in smk.input.sweep_figures}
    return (
        f"<p>{text}</p>"
        + r.image(figures["gaps_by_threshold"], "The headline gaps at every threshold")
        + csv_table(
            smk.input.sweep_claims[0],
            "Each published figure under every variant of the sweep. A figure's verdict covers all its numbers and "
            "claims: it differs when any one of them differs or does not hold (the findings table judges each).",
            frame=claims,
        )
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
        return GLOSSARY.prose("The Census 2011 workplace table is not available in this run: no industry mix.")
    return r.image(smk.input.industry_mix_figure, "Which industries are the jobs in DDN areas in?") + csv_table(
        smk.input.industry_mix, "The industry mix of the jobs located in each group's areas (Census 2011)."
    )


WARD_COLUMNS = {
    "ward17_name": "Ward",
    "ward23_name": "Ward",
    "lad_name": "Local authority",
    "lad23_name": "Local authority",
    "region_name": "Region",
    "change": "On the 2025 indices",
    "ddn_2019_published": "On the published 2019 list",
    "ddn_2025": "A DDN on the 2025 indices",
    "imd2025_rank": "Ward IMD 2025 rank",
    "cni2023_rank": "Ward CNI 2023 rank",
    "population_census2021": "Residents (Census 2021)",
}
CHANGE_WORDS = {"stays": "Stays a DDN", "leaves": "Leaves", "enters": "Enters", "neither": "Neither"}


def readable_wards(frame):
    """A ward table for people: names, Yes/No, whole ranks and residents, changes in words."""
    shown = frame[[c for c in WARD_COLUMNS if c in frame.columns]].copy()
    for column in ("ddn_2019_published", "ddn_2025"):
        if column in shown:
            shown[column] = shown[column].map({True: "Yes", False: "No"})
    if "change" in shown:
        shown["change"] = shown["change"].map(CHANGE_WORDS)
    for column in ("imd2025_rank", "cni2023_rank", "population_census2021"):
        if column in shown:
            shown[column] = [f"{float(v):,.0f}" for v in shown[column]]
    return shown.rename(columns=WARD_COLUMNS)


def update_2025(smk, numbers):
    if not smk.input.get("update_2025"):
        return GLOSSARY.prose(
            "The 2025 edition is not built in this run (config editions, or the indices are unavailable)."
        )
    wards = read(smk.input.update_2025, flags=["ddn_2025", "ddn_2019_published"])
    ddn = wards["ddn_2025"]
    n = numbers.text
    cards = [
        (
            numbers.span("ddn_2025"),
            n("wards 2017 are DDNs on the 2025 indices ({ddn_2025_people} Census 2021 residents)"),
        ),
        (numbers.span("ddn_2025_stays"), n("of the {ddn_wards} published DDNs stay")),
        (numbers.span("ddn_2025_leaves"), n("leave")),
        (numbers.span("ddn_2025_enters"), n("wards enter")),
    ]
    if "ddn_2025_wards23" in numbers:
        cards.append(
            (
                numbers.span("ddn_2025_wards23"),
                n(
                    "of today's {wards23} wards (December 2023) are DDNs on the 2025 indices "
                    "({ddn_2025_wards23_people} residents)"
                ),
            )
        )
    if "lsoas21_double" in numbers:
        cards.append(
            (
                numbers.span("lsoas21_double"),
                n(
                    "neighbourhoods (LSOAs 2021) pass the double test on the 2025 indices, {lsoas21_double_and_ocsi} "
                    "of them among OCSI's {lsoas21_ocsi_2023} left-behind neighbourhoods of 2023"
                ),
            )
        )
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
    key = ["Published statistic", "Candidate definition"]
    headline = sensitivity.loc[sensitivity["Headline definition and list"] == "Yes", key]
    verdicts = sensitivity.merge(headline, on=key)
    verdicts = verdicts[verdicts["DDN list"].isin([LIST_WORDS["published"], LIST_WORDS["2025"]])]
    claims = verdicts.pivot_table(
        index="Published statistic", columns="DDN list", values="Verdict", aggfunc="first"
    ).reset_index()
    return (
        GLOSSARY.prose(
            "Beyond the report: the same double test on the newer indices, IMD 2025 and CNI 2023 (both on LSOA 2021). "
            "Ward scores are population-weighted means of LSOA 2021 scores (Census 2021 residents), not an official ward "
            "index. OCSI warns that the CNI 2023 is not directly comparable with the CNI 2019: read the changes as "
            "indicative. Other deprived areas in 2025 are the rest of the most deprived 10% on ward IMD 2025."
        )
        + r.key_numbers(cards)
        + "".join(r.image(png) for png in smk.input.figures_2025)
        + r.table(
            side_by_side,
            "The key indicators for each edition's DDNs and other deprived areas, and England (Census 2021 and the "
            "other sources as for 2019; only the groups differ).",
        )
        + r.table(
            claims,
            "Does each published figure still hold on the 2025 list? The verdicts, computed for each list; a figure "
            "differs when any one of its numbers differs or any one of its claims does not hold.",
        )
        + r.table(regions, "DDNs by region: the published 2019 list against the 2025 indices (wards 2017).")
        + r.collapsed(
            "Every ward that enters or leaves, with its 2025 ranks",
            csv_table(
                smk.input.update_2025,
                "Wards 2017 that enter or leave the DDNs on the 2025 indices: ranks 1 = most deprived (IMD) or most "
                "need (CNI). The CSV has every ward, with the scores and the share of each ward's residents in doubly "
                "disadvantaged LSOAs.",
                frame=readable_wards(wards[wards["change"].isin(["enters", "leaves"])]),
            ),
        )
        + (
            r.collapsed(
                "The 2025 DDNs on today's ward boundaries (December 2023)",
                csv_table(
                    smk.input.ward23,
                    "Wards 2023 on the 2025 indices: ranks 1 = most deprived (IMD) or most need (CNI).",
                    frame=readable_wards(read(smk.input.ward23, flags=["ddn_2025"]).query("ddn_2025")).drop(
                        columns="A DDN on the 2025 indices"
                    ),
                ),
            )
            if smk.input.get("ward23")
            else ""
        )
    )


AREAS_SHOWN = 50  # areas listed on the page; the CSV files have them all


def your_areas(smk):
    """The chapter on the areas of config areas: the figure, each area's indicators beside the groups, and how much
    of each area's population each source reached."""
    summary = read(smk.input.areas_summary)
    reached = [c for c in summary.columns if c.startswith("reached: ")]
    coverage = pd.DataFrame(
        {
            "Area": summary["area"],
            "Made of": summary["geography"].map(GEOGRAPHY_WORDS),
            "Codes": summary["codes"],
            "People": [format_value(float(v), "people") for v in summary["population"]],
            **{
                f"Reached by {c.removeprefix('reached: ')}": [f"{100 * float(v):.1f}%" for v in summary[c]]
                for c in reached
            },
        }
    )
    table = read(smk.input.areas_readable)
    names = list(dict.fromkeys(summary["area"]))
    if len(names) > AREAS_SHOWN:
        # thousands of areas: the page shows the first ones, the files in results/areas/ have them all
        first = set(names[:AREAS_SHOWN])
        note = escape(
            f"The page shows the first {AREAS_SHOWN} areas of {len(names):,}; results/areas/ has every one "
            "(area_indicators.csv, area_indicators_readable.csv, area_members.csv, areas.csv)."
        )
        return (
            GLOSSARY.prose("The areas of your areas file (config areas), each profiled like the DDNs.")
            + f"<p>{note}</p>"
            + r.image(smk.input.areas_figure)
            + r.table(coverage[coverage["Area"].isin(first)], "Each area's codes, people and coverage.")
            + r.table(table[table["Area"].isin(first)], "Each area's indicators beside the groups.")
        )
    return (
        GLOSSARY.prose(
            "The areas of your areas file (config areas), each profiled like the DDNs: every indicator pooled over the "
            "area's own codes, at the area's own geography (Census 2021 counts from Output Areas to LSOAs 2021; LSOA "
            "2011 sources on LSOAs 2011; ward areas from the ward measures), beside the DDNs, other deprived areas "
            "and England of the published list."
        )
        + r.image(smk.input.areas_figure)
        + csv_table(
            smk.input.areas_summary,
            "Each area: its codes, its people (Census 2021 residents for LSOAs 2021, the IoD2019 mid-2015 population "
            "otherwise) and the share of them each source reached.",
            frame=coverage,
        )
        + r.collapsed(
            "Every indicator of every area",
            csv_table(smk.input.areas_readable, "Each area's indicators beside the groups.", frame=table),
        )
    )


def audit_trail(smk):
    chain = read(smk.input.chain)
    first = chain[chain["figure"] == "not_in_work"][["step", "stage", "file", "columns", "what happens"]]
    return GLOSSARY.prose(
        "Every reproduced number can be followed from the raw files to the comparison table. This chain is "
        "generated from the workflow's own rules and the indicator definitions. Below: the share of DDN "
        "residents not in employment; the CSV has the chain of every published figure."
    ) + csv_table(
        smk.input.chain,
        "From raw files to the comparison row: not in employment.",
        frame=first.rename(columns=str.capitalize),
    )


def sources(smk):
    records = read(smk.input.sources).drop_duplicates("id").set_index("id")
    items = []
    for dataset_id, meta in smk.params.datasets.items():
        status = records["status"].get(dataset_id, "")
        had = "used in this run" if status == "available" else "not available in this run"
        link = meta["landing_page"].split()[0]
        title = escape(meta["title"])
        named = f"<a href='{escape(link)}'>{title}</a>" if link.startswith(("https://", "http://")) else title
        items.append(
            f"<li>{named}. {escape(meta['publisher'])}. Licence: {escape(meta['licence'])}. {escape(had)}.</li>"
        )
    missing = read(smk.input.not_computed)[["label", "reason"]].rename(
        columns={"label": "Statistic", "reason": "Why it could not be computed"}
    )
    titles = {dataset_id: meta["title"] for dataset_id, meta in smk.params.datasets.items()}
    missing["Why it could not be computed"] = missing["Why it could not be computed"].replace(titles, regex=True)
    return (
        csv_table(smk.input.not_computed, "Statistics this run could not compute, and why.", frame=missing)
        + "<h3>The datasets</h3><ul class='sources'>"
        + "".join(items)
        + "</ul>"
        + GLOSSARY.prose(
            "Every file's address, checksum and retrieval time is in the provenance table (results/provenance/"
            "sources.csv), and every dataset's full entry in the registry (datasets.yaml)."
        )
    )


def footer(smk):
    report_link = smk.params.report_url
    built = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    return (
        f"Built on {built.strftime('%-d %B %Y')} ({built.isoformat().replace('+00:00', 'Z')}) by ddn-pipeline "
        f"{escape(smk.params.version)}, from public data, to reproduce "
        f"<a href='{escape(report_link)}'>Breaking the cycle</a> (Centre for Progressive Policy with Local Trust, "
        "2024). Data: MHCLG English Indices of Deprivation (OGL v3.0); OCSI for Local Trust Community Needs Index; "
        "ONS Census 2021 and Open Geography (OGL v3.0; contains OS data © Crown copyright and database right); CDRC "
        "Internet User Classification."
    )


def main(smk):
    summary = read(smk.input.summary)
    audit = read(smk.input.reproduction)
    numbers = r.Numbers(read(smk.input.report_numbers))
    signs = pd.read_csv(smk.input.sweep_signs[0])
    labels = read(smk.input.dictionary).set_index("indicator")["label"]
    fragile = [
        labels.get(i, i)
        for i in signs.loc[
            (signs["edition"] == 2019) & ~signs["ddn_minus_other_deprived_same_sign_everywhere"], "indicator"
        ]
    ]
    lead = GLOSSARY.link(
        escape(
            "This report regenerates the statistics of Breaking the cycle: delivering good jobs for 'doubly "
            "disadvantaged' neighbourhoods (Centre for Progressive Policy with Local Trust, 2024) from public data, "
            "with ddn-pipeline. Key findings:"
        )
    ) + key_findings(numbers, fragile)
    sections = [
        ("findings", "Published figures against ours", findings(smk, numbers)),
        ("classification", "Which neighbourhoods are doubly disadvantaged", classification(smk, summary, audit)),
        ("indicators", "How they compare: every indicator", indicators(smk)),
        ("jobs", "Where the jobs are: the industry mix of jobs in DDN areas", industry(smk)),
        ("sensitivity", "How far the verdicts depend on the definitions", sensitivity(smk)),
        ("robustness", "How far the conclusions depend on the 10% threshold", robustness(smk, numbers, fragile)),
        ("update2025", "The 2025 indices", update_2025(smk, numbers)),
        *([("areas", "Your areas", your_areas(smk))] if smk.input.get("areas_summary") else []),
        ("audit", "Audit trail: from raw files to each number", audit_trail(smk)),
        ("sources", "Sources, and what could not be computed", sources(smk)),
        ("glossary", "Words used here", GLOSSARY.section()),
    ]
    page = r.page("Doubly disadvantaged neighbourhoods, reproduced from open data", lead, sections, footer(smk))
    write_bytes_atomic(page.encode("utf-8"), smk.output[0])
    log.info("report: %d sections, %.1f MB", len(sections), len(page) / 1e6)


run(main, globals().get("snakemake"))
