"""Retrieve one registry dataset (rule retrieve_<id>) and write its retrieval record.

Where the bytes come from (mirror, offline, download settings, URLs) is read from the resolved config and the
registry, not from params: it never decides what the files are, only how they are fetched.
"""

import logging

from ddn_pipeline.files import write_json_atomic
from ddn_pipeline.logs import run
from ddn_pipeline.registry import load_registry
from ddn_pipeline.retrieve import retrieve_dataset

log = logging.getLogger("retrieve_dataset")


def main(smk):
    dataset = load_registry(smk.config["registry"])[smk.params.dataset]
    record = retrieve_dataset(
        dataset,
        smk.output.record.rsplit("/", 1)[0],
        smk.config["mirror"],
        smk.config["offline"],
        smk.config["download"],
    )
    write_json_atomic(record, smk.output.record)
    log.info("%s: status %s, %d file(s)", dataset.id, record["status"], len(record["files"]))


run(main, snakemake)  # noqa: F821
