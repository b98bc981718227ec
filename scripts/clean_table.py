"""Clean one raw dataset into a checked tidy parquet table and its column dictionary (rule clean_<id>)."""

import logging
from pathlib import Path

from ddn_pipeline.cleaning import clean
from ddn_pipeline.files import write_parquet
from ddn_pipeline.logs import run
from ddn_pipeline.registry import table_spec

log = logging.getLogger("clean_table")


def raw_paths(inputs):
    """Input files, with a folder (a dataset of many files) replaced by the data files below it, in a stable order
    (Snakemake's own marker files start with a dot)."""
    paths = []
    for item in map(Path, inputs):
        if item.is_dir():
            paths += sorted(p for p in item.rglob("*") if p.is_file() and not p.name.startswith("."))
        else:
            paths.append(item)
    return paths


def main(smk):
    table = table_spec(smk.params.name, smk.params.table)
    metadata = smk.input.metadata[0] if smk.input.metadata else None
    frame, dictionary = clean(table, raw_paths(smk.input.files), metadata)
    write_parquet(frame, smk.output.table)
    dictionary.to_csv(smk.output.dictionary, index=False)
    log.info("%s: wrote %d rows x %d columns", table.name, len(frame), frame.shape[1])


run(main, globals().get("snakemake"))
