# ddn-pipeline: doubly disadvantaged neighbourhoods, reproduced end to end from open data.
# Run: snakemake --cores 4 [--config mirror=PATH]. See README.md.

import sys
from pathlib import Path

from snakemake.utils import min_version

min_version("9.0.1")  # the oldest release the pipeline has run on, as in pyproject.toml and envs/

# The workflow and every job import the pipeline's library from this checkout, installed or not (a conda
# environment of --sdm conda has only the third-party packages).
LIBRARY = Path(workflow.basedir) / "src"
sys.path.insert(0, str(LIBRARY))
from ddn_pipeline import worker
from ddn_pipeline.dependencies import export_job_environment
from ddn_pipeline.schema import remember_validated

export_job_environment(LIBRARY)


configfile: Path(workflow.basedir) / "config.yaml"


# Documents that passed their schema are remembered here, for this process and every job.
remember_validated(Path(".snakemake", "ddn-schema-cache"))


report: "report/workflow.rst"


include: "rules/common.smk"
include: "rules/retrieve.smk"
include: "rules/clean.smk"
include: "rules/geography.smk"
include: "rules/classify.smk"
include: "rules/indicators.smk"
include: "rules/benchmark.smk"
include: "rules/sweep.smk"
include: "rules/figures.smk"
include: "rules/notebooks.smk"
include: "rules/areas.smk"
include: "rules/report.smk"


# Where to look once a run has built the pages.
onsuccess:
    for page, what in (("results/report.html", "the report"), ("results/explorer/index.html", "the ward explorer")):
        if Path(page).is_file():
            print(f"Open {what}: {Path(page).resolve().as_uri()}")


# The rules' Python scripts run in a preloaded worker (config: worker; ddn_pipeline.worker) when Snakemake's local
# executor runs them: known once the DAG is built, just before the first job.
onstart:
    if config["worker"]:
        worker.use_for_jobs(workflow)


rule all:
    default_target: True
    input:
        "results/provenance/sources.csv",
        rules.collect_data_dictionary.output,  # and with it every clean table built by default
        rules.classify_ddn_ward17.output,
        rules.classify_ddn_2025.output if update_2025_obtainable() else [],
        rules.classify_ddn_2025_ward23.output if ward23_obtainable() else [],
        rules.plot_edition_2025.output if update_2025_obtainable() else [],
        rules.compute_indicators.output,
        rules.describe_industry_mix.output if has_table("census11_workplace_industry_msoa11") else [],
        rules.benchmark_report_comparison.output,
        rules.plot_classification_ranks.output,
        rules.plot_ddn_counts.output,
        rules.plot_published_vs_reproduced.output,
        rules.plot_indicators.output,
        rules.plot_ddn_map.output if map_obtainable() else [],
        rules.execute_notebook_classification.output,
        rules.execute_notebook_benchmark.output,
        rules.build_report.output,
        rules.build_explorer.output if map_obtainable() else [],
        expand(rules.collect_sweep.output, scope=SWEEP["scope"]),
        expand(rules.plot_sweep.output, scope=SWEEP["scope"]),
        rules.profile_areas.output if areas_built() else [],
        rules.plot_areas.output if areas_built() else [],


rule edition_2025:
    """The 2025 edition alone, with what it needs: snakemake --cores 4 edition_2025."""
    input:
        rules.classify_ddn_2025.output,
        rules.classify_ddn_2025_ward23.output if ward23_obtainable() else [],
        rules.compute_indicators.output.groups,
        rules.plot_edition_2025.output,


# Snakemake's process holds a few hundred thousand long-lived objects (modules, rules, then the DAG). None is
# garbage, yet Python's cyclic collector walks them all at each full collection, and again several times while
# the interpreter exits: about 0.4 s of a no-op re-run. Freezing them takes them out of collection.
import atexit
import gc

gc.freeze()
atexit.register(gc.freeze)
