"""Gather every retrieval record into results/provenance/sources.csv (rule collect_sources)."""

import json
import logging
from pathlib import Path

from ddn_pipeline.logs import run
from ddn_pipeline.retrieve import sources_table

log = logging.getLogger("collect_sources")


def main(smk):
    records = [json.loads(Path(path).read_text(encoding="utf-8")) for path in smk.input]
    table = sources_table(records)
    table.to_csv(smk.output[0], index=False)
    by_status = table.drop_duplicates("id")["status"].value_counts().to_dict()
    log.info("%d datasets (%d files): %s", len(records), len(table), by_status)
    for record in records:
        if record["status"] != "available":
            log.warning("%s: %s (%s)", record["id"], record["status"], record["reason"])


run(main, globals().get("snakemake"))
