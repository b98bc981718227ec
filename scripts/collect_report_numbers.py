"""Every number the report's text states, with the table, rows and column it is read from (rule
collect_report_numbers): the one source of the report's key numbers and sentences."""

import logging

import pandas as pd

from ddn_pipeline.files import write_csv
from ddn_pipeline.logs import run
from ddn_pipeline.report_numbers import report_numbers

log = logging.getLogger("collect_report_numbers")


def main(smk):
    paths = {name: str(path) for name, path in smk.input.items() if path}
    tables = {name: pd.read_csv(path) for name, path in paths.items()}
    numbers = report_numbers(tables, paths)
    write_csv(numbers, smk.output[0])
    log.info("%d report numbers from %d tables", len(numbers), len(tables))


run(main, globals().get("snakemake"))
