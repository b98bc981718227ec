"""The chain of files behind each published figure we reproduce, from raw files to the comparison row
(rule trace_headline_numbers)."""

import logging

import pandas as pd

from ddn_pipeline.files import write_csv
from ddn_pipeline.logs import run
from ddn_pipeline.provenance import headline_chain

log = logging.getLogger("trace_headline_numbers")


def main(smk):
    chain = headline_chain(
        smk.params.figures,
        smk.params.indicators,
        pd.read_csv(smk.input.dictionary),
        smk.params.raw_files,
        smk.params.stage_files,
    )
    write_csv(chain, smk.output[0])
    log.info("%d steps for %d published figures", len(chain), chain["figure"].nunique())


run(main, globals().get("snakemake"))
