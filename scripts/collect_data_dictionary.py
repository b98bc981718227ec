"""Concatenate the per-table column dictionaries, and describe the clean tables as a Frictionless data package
(rule collect_data_dictionary)."""

import json
import logging

import pandas as pd

from ddn_pipeline.files import write_bytes_atomic, write_csv
from ddn_pipeline.logs import run
from ddn_pipeline.registry import data_package

log = logging.getLogger("collect_data_dictionary")


def main(smk):
    dictionary = pd.concat([pd.read_csv(path) for path in smk.input], ignore_index=True)
    write_csv(dictionary, smk.output.dictionary)
    package = data_package(smk.params.resources, dictionary)
    write_bytes_atomic((json.dumps(package, indent=2, ensure_ascii=False) + "\n").encode("utf-8"), smk.output.package)
    log.info("%d columns in %d tables", len(dictionary), dictionary["table"].nunique())


run(main, globals().get("snakemake"))
