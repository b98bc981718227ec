"""Retrieve one registry dataset (rule retrieve_<id>) and write its retrieval record."""

import logging

from ddn_pipeline.logs import run
from ddn_pipeline.registry import parse_registry
from ddn_pipeline.retrieve import retrieve_dataset, write_json_atomic

log = logging.getLogger("retrieve_dataset")


def main(smk):
    dataset = parse_registry({"datasets": {smk.params.dataset: smk.params.registry_entry}}, "registry entry")[
        smk.params.dataset
    ]
    record = retrieve_dataset(
        dataset, smk.output.record.rsplit("/", 1)[0], smk.params.mirror, smk.params.offline, smk.params.download
    )
    write_json_atomic(record, smk.output.record)
    log.info("%s: status %s, %d file(s)", dataset.id, record["status"], len(record["files"]))


run(main, snakemake)  # noqa: F821
