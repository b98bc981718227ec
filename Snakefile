# ddn-pipeline: doubly disadvantaged neighbourhoods, reproduced end to end from open data.
# Run: snakemake --cores 4 [--config mirror=PATH]. See README.md.

from pathlib import Path


configfile: Path(workflow.basedir) / "config.yaml"


include: "rules/common.smk"
include: "rules/retrieve.smk"
include: "rules/clean.smk"


rule all:
    input:
        "results/provenance/sources.csv",
        "results/clean/data_dictionary.csv",
        clean_outputs(),
    default_target: True
