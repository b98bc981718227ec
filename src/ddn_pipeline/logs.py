"""One logging helper for every script run by a rule."""

import logging
import sys

from ddn_pipeline.errors import PipelineError


def configure(log_path=None):
    handlers = [logging.StreamHandler(sys.stderr)]
    if log_path:
        handlers.append(logging.FileHandler(log_path, mode="w", encoding="utf-8"))
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s", handlers=handlers, force=True
    )
    logging.captureWarnings(True)


def run(main, smk):
    """Run a rule's main(snakemake) with logging into the rule's log; a PipelineError ends it with its message."""
    configure(smk.log[0] if smk.log else None)
    try:
        main(smk)
    except PipelineError as error:
        logging.getLogger(main.__module__).error("%s", error)
        sys.exit(f"ERROR in rule {smk.rule}: {error}")


def input_names(smk):
    """Names of a rule's named inputs (snakemake's Namedlist is a list: `in` alone would test its values)."""
    return set(smk.input.keys())
