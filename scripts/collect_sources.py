"""Gather every retrieval record into results/provenance/sources.csv (rule collect_sources)."""

import json
import logging
from pathlib import Path

from ddn_pipeline.files import write_csv
from ddn_pipeline.logs import run
from ddn_pipeline.retrieve import sources_table

log = logging.getLogger("collect_sources")


def main(smk):
    records = [json.loads(Path(path).read_text(encoding="utf-8")) for path in smk.input]
    table = sources_table(records)
    write_csv(table, smk.output[0])
    by_status = table.drop_duplicates("id")["status"].value_counts().to_dict()
    log.info("%d datasets (%d files): %s", len(records), len(table), by_status)
    missing = [record["id"] for record in records if record["status"] != "available"]
    if missing:
        # one line for all of them; each reason is in sources.csv
        log.warning(
            "%d datasets not available in this run (reasons in %s): %s", len(missing), smk.output[0], ", ".join(missing)
        )


run(main, globals().get("snakemake"))
