"""Each published figure next to ours with a verdict, and the definition sensitivity (rule benchmark_report_comparison)."""

import logging

import pandas as pd

from ddn_pipeline.benchmark import (
    comparison_row,
    group_values,
    number_rows,
    reading_verdicts,
    sensitivity_rows,
)
from ddn_pipeline.files import write_csv
from ddn_pipeline.indicators import known_for_share
from ddn_pipeline.logs import run
from ddn_pipeline.presentation import readable_comparison, readable_numbers, readable_sensitivity

log = logging.getLogger("benchmark_report_comparison")


def main(smk):
    groups = pd.read_csv(smk.input.groups)
    missing = pd.read_csv(smk.input.not_computed)
    not_computed = dict(zip(missing["indicator"], missing["reason"]))
    definitions, figures = smk.params.definitions, smk.params.figures
    rows = [
        comparison_row(
            i,
            f,
            group_values(groups, "published", f["indicator"]),
            definitions,
            smk.params.sources,
            not_computed,
            reading_verdicts(f, groups),
        )
        for i, f in figures.items()
    ]
    comparison = pd.DataFrame(rows)
    write_csv(comparison, smk.output.comparison)
    numbers = pd.DataFrame(
        [n for i, f in figures.items() for n in number_rows(i, f, group_values(groups, "published", f["indicator"]))]
    )
    write_csv(numbers, smk.output.numbers)
    sensitivity = pd.DataFrame(sensitivity_rows(figures, definitions, groups))
    write_csv(sensitivity, smk.output.sensitivity)
    # the same two tables for people: plain labels, values in their units, definitions and verdicts in words
    write_csv(readable_comparison(comparison, figures, definitions), smk.output.readable)
    readable_readings = readable_sensitivity(sensitivity, definitions, smk.params.not_computed)
    write_csv(readable_readings, smk.output.sensitivity_readable)
    titles = smk.params.dataset_titles
    missing_words = {
        indicator: "; ".join(f"needs {titles[d]}, which it could not obtain" for d in datasets.split())
        for indicator, datasets in zip(missing["indicator"], missing["datasets"].fillna(""))
        if datasets
    }
    published = groups[groups["ddn_list"] == "published"]
    shares = published.assign(share=known_for_share(published, definitions, "group")).dropna(subset=["share"])
    reached = {indicator: dict(zip(rows["group"], rows["share"])) for indicator, rows in shares.groupby("indicator")}
    readable = readable_numbers(numbers, comparison, figures, definitions, missing_words, reached)
    write_csv(readable, smk.output.numbers_readable)
    log.info("verdicts: %s", comparison["verdict"].value_counts().to_dict())
    for row in comparison.itertuples():
        log.info("%-32s %-16s ddn=%s  %s", row.id, row.verdict, row.ddn, row.note)


run(main, globals().get("snakemake"))
