"""LSOA 2011 -> ward 2017 memberships (best-fit lookup) with each LSOA's population under every available source,
the weights of ward means and counts (rule build_lsoa11_ward17_weights)."""

import logging

import pandas as pd

from ddn_pipeline.bridge import lsoa_populations
from ddn_pipeline.files import write_parquet
from ddn_pipeline.logs import run

log = logging.getLogger("build_lsoa11_ward17_weights")


def main(smk):
    lookup = pd.read_parquet(smk.input.lookup, columns=["lsoa11_code", "ward17_code"])
    populations = lsoa_populations(
        {source: pd.read_parquet(smk.input[source]) for source in smk.params.population_sources}
    )
    weights = lookup.merge(populations, on="lsoa11_code", how="left", validate="one_to_one")
    log.info(
        "%d LSOAs 2011 in %d wards 2017; population sources: %s",
        len(weights),
        weights["ward17_code"].nunique(),
        ", ".join(smk.params.population_sources),
    )
    write_parquet(weights, smk.output[0])


run(main, globals().get("snakemake"))
