"""Clean the Census 2021 Output Area tables, each into a checked tidy parquet table and its column dictionary, in
one job (rule clean_census21_oa_tables)."""

import logging

from ddn_pipeline.cleaning import clean, raw_paths
from ddn_pipeline.files import write_csv, write_parquet
from ddn_pipeline.logs import run
from ddn_pipeline.registry import table_spec

log = logging.getLogger("clean_census_tables")


def main(smk):
    (metadata,) = raw_paths(smk.input.metadata, smk.params.checksums)
    for (name, spec), table_path, dictionary_path in zip(
        smk.params.tables.items(), smk.output.tables, smk.output.dictionaries, strict=True
    ):
        table = table_spec(name, spec)
        frame, dictionary = clean(table, raw_paths(smk.params.files[name], smk.params.checksums), metadata)
        write_parquet(frame, table_path)
        write_csv(dictionary, dictionary_path)
        log.info("%s: wrote %d rows x %d columns", name, len(frame), frame.shape[1])


run(main, globals().get("snakemake"))
