"""Concatenate the per-table column dictionaries (rule collect_data_dictionary)."""

import logging

import pandas as pd

from ddn_pipeline.logs import run

log = logging.getLogger("collect_data_dictionary")


def main(smk):
    dictionary = pd.concat([pd.read_csv(path) for path in smk.input], ignore_index=True)
    dictionary.to_csv(smk.output[0], index=False)
    log.info("%d columns in %d tables", len(dictionary), dictionary["table"].nunique())


run(main, snakemake)  # noqa: F821
