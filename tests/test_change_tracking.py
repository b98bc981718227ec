"""Results follow from code, settings and data, exactly: dry runs on a finished mirror run, with the repository's
workflow copied beside it so that its modules, registry and settings can be edited."""

import os
import re
import shutil
import subprocess
import sys

import pytest
from conftest import ROOT, snakemake

pytestmark = pytest.mark.integration

# What editing src/ddn_pipeline/classify.py must make out of date: the rules whose scripts import it, and everything
# downstream of them. Retrieval, cleaning, geography and the Census aggregation come before and must not move.
CLASSIFY_AND_DOWNSTREAM = {
    "score_imd2019_lsoa11",
    "aggregate_imd2019_ward17",
    "classify_ddn_ward17",
    "classify_ddn_2025",
    "classify_ddn_2025_ward23",
    "plot_edition_2025",
    "aggregate_lsoa11_ward17",
    "compute_indicators",
    "benchmark_report_comparison",
    "collect_report_numbers",
    "pool_councils_and_regions",
    "plot_classification_ranks",
    "plot_ddn_counts",
    "plot_ddn_map",
    "plot_published_vs_reproduced",
    "plot_indicators",
    "execute_notebook_classification",
    "execute_notebook_benchmark",
    "build_report",
    "build_explorer",
    "describe_industry_mix",
    "sweep_variant",
    "collect_sweep",
    "plot_sweep",
    "all",
}


def planned_rules(result):
    """The rules a dry run plans, from its job stats table (printed whatever the console's quiet settings); a run
    with nothing to do must say so, so that an empty answer is never a table that was not printed."""
    assert result.returncode == 0, result.stderr[-3000:]
    output = result.stdout + result.stderr
    if "Nothing to be done" in output:
        return set()
    table = re.search(r"^Job stats:\njob +count\n[- ]+\n(.*?)^total +\d+$", output, flags=re.MULTILINE | re.DOTALL)
    assert table, output[-3000:]
    return set(re.findall(r"^(\w+) +\d+$", table.group(1), flags=re.MULTILINE))


def copy_workflow(destination):
    """The repository's files (as git tracks them, with uncommitted edits), copied: a second checkout whose code can
    be edited."""
    tracked = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    for name in tracked:
        if (ROOT / name).is_file():
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, destination / name)
    return destination / "Snakefile"


def link_work_folder(source, destination):
    """A copy of a finished work folder as hard links: the same bytes and modification times, made in a blink."""
    shutil.copytree(source, destination, copy_function=os.link)
    return destination


@pytest.fixture
def workflow(tmp_path, mirror_run):
    """(Snakefile of an editable copy of the workflow, a copy of the finished work folder)."""
    snakefile = copy_workflow(tmp_path / "repository")
    return snakefile, link_work_folder(mirror_run, tmp_path / "work")


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path} no longer contains {old!r}: update the test"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_copied_workflow_and_work_folder_is_up_to_date(workflow, mirror):
    snakefile, work = workflow
    assert planned_rules(snakemake(work, "-n", "--config", f"mirror={mirror}", snakefile=snakefile)) == set()


def test_editing_classify_makes_classification_and_downstream_out_of_date(workflow, mirror):
    snakefile, work = workflow
    edit(
        snakefile.parent / "src" / "ddn_pipeline" / "classify.py",
        "return rank <= share * count",
        "return rank < share * count",
    )
    planned = planned_rules(snakemake(work, "-n", "--config", f"mirror={mirror}", snakefile=snakefile))
    assert planned == CLASSIFY_AND_DOWNSTREAM


def test_editing_a_table_spec_re_runs_that_table_only(workflow, mirror):
    snakefile, work = workflow
    edit(snakefile.parent / "datasets.yaml", '"IUC group code (1-10)"', '"IUC group code, 1 to 10"')
    planned = planned_rules(snakemake(work, "-n", "--config", f"mirror={mirror}", snakefile=snakefile))
    assert "clean_iuc2018_lsoa11" in planned
    assert not any(rule.startswith(("retrieve_", "clean_")) for rule in planned - {"clean_iuc2018_lsoa11"})
    assert "score_imd2019_lsoa11" not in planned and "aggregate_census21_ward17" not in planned


def test_registry_description_and_download_settings_change_nothing(workflow, mirror):
    snakefile, work = workflow
    edit(
        snakefile.parent / "datasets.yaml",
        "used_for: CNI rank and the published DDN",
        "used_for: the CNI rank and the DDN",
    )
    edit(snakefile.parent / "config.yaml", "timeout_seconds: 60", "timeout_seconds: 600")
    edit(snakefile.parent / "config.yaml", "retries: 3", "retries: 7")
    assert planned_rules(snakemake(work, "-n", "--config", f"mirror={mirror}", snakefile=snakefile)) == set()


def test_mirror_and_online_are_the_same_input(workflow):
    snakefile, work = workflow
    assert planned_rules(snakemake(work, "-n", snakefile=snakefile)) == set()
    assert planned_rules(snakemake(work, "-n", "--config", "offline=False", snakefile=snakefile)) == set()


def test_offline_without_a_mirror_keeps_every_raw_file(workflow):
    snakefile, work = workflow
    raw = sorted(path for path in (work / "resources" / "raw").rglob("*") if path.is_file())
    result = snakemake(work, "--config", "offline=True", snakefile=snakefile)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Nothing to be done" in result.stdout + result.stderr
    assert sorted(path for path in (work / "resources" / "raw").rglob("*") if path.is_file()) == raw


def test_a_finished_work_folder_moved_elsewhere_is_a_no_op(mirror_run, tmp_path, mirror):
    moved = link_work_folder(mirror_run, tmp_path / "elsewhere" / "deeper" / "work")
    assert planned_rules(snakemake(moved, "-n", "--config", f"mirror={mirror}")) == set()


def test_a_script_runs_by_hand_with_its_jobs_inputs_and_outputs(workflow, mirror, mirror_run):
    snakefile, work = workflow
    output = work / "results" / "geography" / "lsoa21_ward17_bridge.parquet"
    log = work / "logs" / "geography" / "build_lsoa21_ward17_bridge.log"
    for linked in (output, log):  # hard links shared with the session's run: write new files, not through them
        linked.unlink()
    result = subprocess.run(
        [sys.executable, str(snakefile.parent / "scripts" / "build_lsoa21_ward17_bridge.py")],
        cwd=work,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "DDN_MIRROR": "", "DDN_CONFIG": f"mirror={mirror}"},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    reference = mirror_run / "results" / "geography" / "lsoa21_ward17_bridge.parquet"
    assert output.read_bytes() == reference.read_bytes()
    assert "LSOA 2021 -> ward 2017" in log.read_text()
