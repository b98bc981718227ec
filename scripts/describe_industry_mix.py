"""The industry mix of the jobs located in DDN areas, other deprived areas and England, from the Census 2011
workplace population (rule describe_industry_mix). Descriptive only: not a verdict on the report's low-pay claim,
which is about residents."""

import logging
from pathlib import Path

import pandas as pd

from ddn_pipeline.figures import apply_style, industry_mix_chart, save
from ddn_pipeline.files import write_csv
from ddn_pipeline.groups import LABELS
from ddn_pipeline.indicators import industry_mix
from ddn_pipeline.logs import run
from ddn_pipeline.presentation import format_value

log = logging.getLogger("describe_industry_mix")

SOURCE = (
    "ONS Census 2011 workplace population by industry (WP605EW) by MSOA 2011, via Nomis; OCSI for Local Trust, the "
    "published DDN list; MHCLG IoD2019 populations. Each MSOA's jobs are shared among the groups by where its "
    "residents live. Analysis: ddn-pipeline."
)


def main(smk):
    workplace = pd.read_parquet(smk.input.workplace)
    lookup = pd.read_parquet(smk.input.lookup, columns=["lsoa11_code", "msoa11_code"]).drop_duplicates()
    membership = pd.read_parquet(smk.input.membership)
    mix = industry_mix(workplace, lookup, membership, f"population_{smk.params.population}")
    dictionary = pd.read_csv(smk.input.dictionary)
    labels = {
        row.column.removeprefix("workers_section_"): row.source_column
        for row in dictionary.itertuples()
        if row.column.startswith("workers_section_")
    }
    mix.insert(2, "industry", mix["section"].map(labels))
    write_csv(mix, smk.output.mix)

    wide = mix.pivot(index=["section", "industry"], columns="group", values="share").reset_index()
    readable = pd.DataFrame({"Industry (SIC 2007 section)": wide["industry"]})
    for group in ("ddn", "other_deprived", "england"):
        readable[f"{LABELS[group]}: share of jobs located there"] = [format_value(v, "share") for v in wide[group]]
    totals = mix.groupby("group")["jobs"].sum()
    total_row = {"Industry (SIC 2007 section)": "All industries: jobs located there (people)"}
    total_row.update(
        {
            header: format_value(totals[g], "people")
            for g, header in zip(("ddn", "other_deprived", "england"), readable.columns[1:])
        }
    )
    write_csv(pd.concat([readable, pd.DataFrame([total_row])], ignore_index=True), smk.output.readable)

    apply_style()
    save(
        industry_mix_chart(mix, labels),
        str(Path(smk.output.figure[0]).with_suffix("")),
        f"Jobs located in the areas of each group by industry: {format_value(totals['ddn'], 'people')} in DDN areas "
        f"(published list), {format_value(totals['other_deprived'], 'people')} in other deprived areas, "
        f"{format_value(totals['england'], 'people')} in England (Census 2011 workplace population). Descriptive: "
        "where jobs are, not the industries the residents work in, so not a test of the report's claim on "
        "low-paying sectors.",
        title="Which industries are the jobs in DDN areas in?",
        source=SOURCE,
    )
    top = mix[mix["group"] == "ddn"].nlargest(3, "share")
    log.info(
        "jobs located in DDN areas: %s; largest sections: %s",
        f"{totals['ddn']:,.0f}",
        ", ".join(f"{r.industry} {100 * r.share:.1f}%" for r in top.itertuples()),
    )


run(main, globals().get("snakemake"))
