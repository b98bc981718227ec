"""An sf boundary .rda to checked GeoParquet, England only, and its column dictionary (rules clean_boundaries_*)."""

import logging

from ddn_pipeline import validate as v
from ddn_pipeline.boundaries import read_sf_rda
from ddn_pipeline.cleaning import raw_paths
from ddn_pipeline.files import write_csv, write_parquet
from ddn_pipeline.logs import run
from ddn_pipeline.registry import data_dictionary, table_spec

log = logging.getLogger("clean_boundaries")


def main(smk):
    table = table_spec(smk.params.name, smk.params.table)
    key = table.columns[0]
    (path,) = raw_paths(smk.input.files, smk.params.checksums)
    shapes = read_sf_rda(path, key.source)
    england = v.england_rows(shapes, key.source).rename(columns={key.source: key.name})
    where = f"{path} (England rows)"
    v.check_unique(england, key.name, where)
    v.check_count(england, table.expected_rows, f"England areas ({key.name})", where)
    v.check_codes(england, key.name, table.geography, where)
    log.info("%d shapes read, %d in England", len(shapes), len(england))
    write_parquet(england.sort_values(key.name).reset_index(drop=True), smk.output.table)
    write_csv(data_dictionary(table), smk.output.dictionary)


run(main, globals().get("snakemake"))
