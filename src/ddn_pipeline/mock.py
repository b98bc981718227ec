"""Run a rule's script by hand, outside a Snakemake run, for debugging (PyPSA-Eur's mock_snakemake pattern).

Every script ends with `run(main, globals().get("snakemake"))`: started by hand, with no `snakemake` object,
ddn_pipeline.logs.run builds one here, so `python scripts/<script>.py [rule name]` (from the work folder, the
environment active) gets the inputs, outputs, params and log the rule's job would get, and runs the script's main()
in the ordinary interpreter, where a debugger or print() works. The rule name defaults to the script's name; the
scripts of several rules need it (python scripts/clean_table.py clean_cni2019_ward17). Settings as --config takes
them: DDN_CONFIG='mirror=../shared/data offline=True'.
"""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _config_overrides(text):
    import yaml

    overrides = {}
    for pair in text.split():
        key, _, value = pair.partition("=")
        overrides[key] = yaml.safe_load(value)
    return overrides


def mock_snakemake(rule_name, snakefile=ROOT / "Snakefile", workdir=None, **config):
    """The `snakemake` object the script of rule_name receives (input, output, params, log, config), built from the
    workflow's DAG without running any job."""
    from snakemake.api import SnakemakeApi
    from snakemake.script import Snakemake
    from snakemake.settings.types import ConfigSettings, DAGSettings, OutputSettings, ResourceSettings

    config = {**_config_overrides(os.environ.get("DDN_CONFIG", "")), **config}
    workdir = Path(workdir or Path.cwd()).resolve()
    with SnakemakeApi(OutputSettings(quiet={"all"})) as api:
        workflow_api = api.workflow(
            resource_settings=ResourceSettings(cores=1),
            config_settings=ConfigSettings(config=config),
            snakefile=Path(snakefile),
            workdir=workdir,
        )
        workflow_api.dag(DAGSettings(targets={rule_name}))
        workflow = workflow_api._workflow
        workflow._prepare_dag(forceall=False, ignore_incomplete=True, lock_warn_only=True, nolock=True)
        workflow._build_dag()
        job = next((j for j in workflow.dag.jobs if j.rule.name == rule_name), None)
        if job is None:
            raise ValueError(f"rule {rule_name!r} has no job in this workflow (is its input obtainable in this run?)")
        for path in [*job.output, *job.log]:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        mocked = Snakemake(
            job.input,
            job.output,
            job.params,
            job.wildcards,
            job.threads,
            job.resources,
            job.log,
            workflow.config,
            job.rule.name,
            None,
            scriptdir=str(ROOT / "scripts"),
        )
    os.chdir(workdir)
    return mocked
