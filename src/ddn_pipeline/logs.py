"""One logging helper for every script run by a rule."""

import logging
import sys
import threading
from contextlib import contextmanager

from ddn_pipeline.errors import PipelineError

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


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


@contextmanager
def thread_log(path):
    """Log this thread's ddn_pipeline records into path: for rules that run inside the snakemake process (run:),
    where several jobs share one interpreter and must not write into each other's logs."""
    handler = logging.FileHandler(path, mode="w", encoding="utf-8")
    handler.setFormatter(logging.Formatter(FORMAT))
    thread = threading.get_ident()
    handler.addFilter(lambda record: record.thread == thread)
    logger = logging.getLogger("ddn_pipeline")
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    try:
        yield logger
    except PipelineError as error:
        logger.error("%s", error)
        raise
    finally:
        logger.removeHandler(handler)
        handler.close()
