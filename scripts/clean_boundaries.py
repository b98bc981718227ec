"""An sf boundary .rda to checked GeoParquet, England only (rules clean_boundaries_<geography>)."""

import logging

from ddn_pipeline import validate as v
from ddn_pipeline.boundaries import read_sf_rda
from ddn_pipeline.files import write_parquet
from ddn_pipeline.logs import run

log = logging.getLogger("clean_boundaries")


def main(smk):
    column = smk.params.code_column
    shapes = read_sf_rda(smk.input[0], column)
    england = v.england_rows(shapes, column).rename(columns={column: f"{smk.params.geography}_code"})
    column = f"{smk.params.geography}_code"
    where = f"{smk.input[0]} (England rows)"
    v.check_unique(england, column, where)
    v.check_count(england, smk.params.expected, f"England areas ({column})", where)
    if smk.params.geography in v.GEOGRAPHIES:
        v.check_codes(england, column, smk.params.geography, where)
    log.info("%d shapes read, %d in England", len(shapes), len(england))
    write_parquet(england.sort_values(column).reset_index(drop=True), smk.output[0])


run(main, snakemake)  # noqa: F821
