"""Clean one raw dataset into a checked tidy parquet table and its column dictionary (rule clean_<id>)."""

import logging

from ddn_pipeline.cleaning import clean, raw_paths
from ddn_pipeline.files import write_csv, write_parquet
from ddn_pipeline.logs import run
from ddn_pipeline.registry import table_spec

log = logging.getLogger("clean_table")


def main(smk):
    table = table_spec(smk.params.name, smk.params.table)
    frame, dictionary = clean(table, raw_paths(smk.input.files, smk.params.checksums))
    write_parquet(frame, smk.output.table)
    write_csv(dictionary, smk.output.dictionary)
    log.info("%s: wrote %d rows x %d columns", table.name, len(frame), frame.shape[1])


run(main, globals().get("snakemake"))
