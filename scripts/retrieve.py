"""Copy one registry dataset from the mirror or download it, verify its sha256 and write its retrieval record
(rules retrieve_*). Where to fetch from reaches it through the environment (ddn_pipeline.retrieve.export_settings)."""

from ddn_pipeline.logs import run
from ddn_pipeline.retrieve import retrieve_job

run(retrieve_job, globals().get("snakemake"))
