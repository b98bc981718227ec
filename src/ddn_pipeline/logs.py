"""One logging helper for every script run by a rule."""

import importlib
import logging
import sys
from pathlib import Path

from ddn_pipeline.errors import PipelineError

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
CONSOLE_WIDTH = 300


class ConsoleFormatter(logging.Formatter):
    """On the console, each line of an information or warning message at most CONSOLE_WIDTH characters (and bytes),
    with where the rest is; the rule's log file keeps every message whole. Errors are never shortened."""

    def __init__(self, log_path):
        super().__init__(FORMAT)
        self.rest = f" ... (in full in {log_path})" if log_path else " ..."

    def format(self, record):
        text = super().format(record)
        if record.levelno >= logging.ERROR:
            return text
        # measured in UTF-8 bytes, so that a line is within the width however a terminal or a tool counts it
        keep = CONSOLE_WIDTH - len(self.rest.encode())
        return "\n".join(
            line if len(line.encode()) <= CONSOLE_WIDTH else line.encode()[:keep].decode(errors="ignore") + self.rest
            for line in text.split("\n")
        )


def configure(log_path=None):
    console = logging.StreamHandler(sys.stderr)
    console.setFormatter(ConsoleFormatter(log_path))
    handlers = [console]
    if log_path:
        handlers.append(logging.FileHandler(log_path, mode="w", encoding="utf-8"))
    logging.basicConfig(level=logging.INFO, format=FORMAT, handlers=handlers, force=True)
    logging.captureWarnings(True)


def run(main, smk=None):
    """Run a rule's main(snakemake) with logging into the rule's log; a PipelineError ends it with its message.

    Without a snakemake object (the script started by hand: python scripts/<script>.py [rule name]), the rule's
    job is mocked from the workflow (ddn_pipeline.mock); the rule name defaults to the script's name."""
    if smk is None:
        # imported by name, not by an import statement: mocking never changes what a job computes, so it is not one
        # of the modules the rules depend on (ddn_pipeline.dependencies)
        mock = importlib.import_module("ddn_pipeline.mock")
        smk = mock.mock_snakemake(sys.argv[1] if len(sys.argv) > 1 else Path(sys.argv[0]).stem)
    configure(smk.log[0] if smk.log else None)
    try:
        main(smk)
    except PipelineError as error:
        logging.getLogger(main.__module__).error("%s", error)
        sys.exit(f"ERROR in rule {smk.rule}: {error}")
    except Exception:
        # not a data problem but a fault in the code: its traceback belongs in the rule's log, not only on the screen
        logging.getLogger(main.__module__).exception("unexpected error in rule %s", smk.rule)
        sys.exit(1)


def input_names(smk):
    """Names of a rule's named inputs (snakemake's Namedlist is a list: `in` alone would test its values)."""
    return set(smk.input.keys())
