"""End to end on the real offline mirror (../shared/data): the finished run's invariants, a damaged mirror copy,
interrupted runs and bad configuration."""

import hashlib
import json
import os
import signal
import subprocess
import sys
import time

import geopandas as gpd
import pandas as pd
import pytest
from conftest import MIRROR, ROOT, default_table_ids, snakemake, snakemake_command, with_sigint

pytestmark = pytest.mark.integration


def test_every_clean_table_is_written_with_england_counts(mirror_run):
    clean = mirror_run / "results" / "clean"
    counts = {p.stem: len(pd.read_parquet(p)) for p in clean.glob("*.parquet") if not p.stem.startswith("boundaries_")}
    assert set(counts) | {"boundaries_lsoa11", "boundaries_lad19"} == default_table_ids()
    assert len(gpd.read_parquet(clean / "boundaries_lsoa11.parquet")) == 32_844
    assert len(gpd.read_parquet(clean / "boundaries_lad19.parquet")) == 317
    assert counts["imd2019_ranks_lsoa11"] == 32_844
    assert counts["cni2023_lsoa21"] == 33_755
    assert counts["census21_ts062_nssec_oa21"] == 178_605
    assert counts["cni2019_ward17"] == 7_433
    cni = pd.read_parquet(clean / "cni2019_ward17.parquet")
    assert int(cni["left_behind_published"].sum()) == 225
    dictionary = pd.read_csv(clean / "data_dictionary.csv")
    assert set(dictionary["table"]) == default_table_ids()
    package = json.loads((clean / "datapackage.json").read_text())
    assert {r["name"] for r in package["resources"]} == default_table_ids()
    for resource in package["resources"]:
        built = pd.read_parquet(clean / resource["path"]).columns
        assert [f["name"] for f in resource["schema"]["fields"]] == list(built), resource["name"]


def test_sources_record_every_dataset(mirror_run):
    sources = pd.read_csv(mirror_run / "results" / "provenance" / "sources.csv")
    per_dataset = sources.drop_duplicates("id").set_index("id")["status"]
    assert per_dataset["cni2019_ward17"] == "available"
    assert per_dataset["census21_ts066_economic_activity_oa21"] == "unavailable"
    assert sources.loc[sources["status"] == "available", "verified"].eq(True).all()


def test_second_run_has_nothing_to_do(mirror_run):
    result = snakemake(mirror_run, "--config", f"mirror={MIRROR}", "--dry-run")
    assert result.returncode == 0 and "Nothing to be done" in result.stdout + result.stderr


def test_damaged_mirror_copy_stops_with_checksum_error(tmp_path):
    damaged = tmp_path / "mirror"
    for source in MIRROR.rglob("*"):
        if source.is_file():
            target = damaged / source.relative_to(MIRROR)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.symlink_to(source)
    victim = damaged / "raw/deprivation/cni2019_england_ward17.csv"
    data = bytearray(victim.read_bytes())
    data[1000] ^= 1
    victim.unlink()
    victim.write_bytes(bytes(data))
    workdir = tmp_path / "run"
    result = snakemake(workdir, "results/clean/cni2019_ward17.parquet", "--config", f"mirror={damaged}")
    assert result.returncode != 0
    assert "dataset 'cni2019_ward17': checksum mismatch for 'cni2019_england_ward17.csv'" in result.stderr
    assert not (workdir / "results/clean/cni2019_ward17.parquet").exists()
    assert not (workdir / "resources/raw/cni2019_ward17/cni2019_england_ward17.csv").exists()


def test_dry_run_needs_no_network_and_no_mirror(tmp_path):
    result = snakemake(tmp_path, "--dry-run")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "retrieve_cni2019_ward17" in result.stdout


def test_classification_invariants(mirror_run):
    out = mirror_run / "results" / "classification"
    wards = pd.read_csv(out / "ward17_groups.csv")
    assert wards["ward17_code"].is_unique
    assert int(wards["published_ddn"].sum()) == 225
    assert set(wards["group"]) == {"ddn", "other_deprived", "rest_of_england"}
    assert (wards.loc[wards["published_ddn"], "group"] == "ddn").all()
    published = wards[wards["published_ddn"]]
    assert (published["cni_rank"] <= 0.1 * wards["cni_rank"].notna().sum()).all()
    england = pd.read_parquet(mirror_run / "results" / "clean" / "iod2019_population_mid2015_lsoa11.parquet")[
        "population_total"
    ].sum()
    assert wards["population"].sum() == pytest.approx(england)
    assert ((wards["group"] == "other_deprived") <= (wards["imd_decile"] == 1)).all()
    audit = pd.read_csv(out / "ddn_reproduction.csv")
    counts = audit["agreement"].value_counts()
    assert counts.get("both", 0) + counts.get("published_only", 0) == 225
    assert counts.get("both", 0) + counts.get("reproduced_only", 0) == int(wards["reproduced_ddn"].sum())
    summary = pd.read_csv(out / "group_summary.csv")
    groups = summary[summary["breakdown"] == "group"].set_index("group")
    assert groups.loc["england", "wards"] == len(wards) == groups.drop("england")["wards"].sum()
    check = pd.read_csv(out / "imd2019_rank_check.csv").set_index("metric")["value"]
    assert int(check["largest_rank_difference"]) <= int(check["max_rank_difference_allowed"])


def test_update_on_the_newer_indices(mirror_run):
    out = mirror_run / "results" / "classification"
    wards = pd.read_csv(out / "ward17_ddn_2019_vs_2025.csv")
    assert wards["ward17_code"].is_unique
    counts = wards["change"].value_counts()
    assert counts.get("stays", 0) + counts.get("leaves", 0) == 225
    assert counts.get("stays", 0) + counts.get("enters", 0) == int(wards["ddn_2025"].sum())
    ranked = wards["imd2025_rank"].notna().sum()
    assert (wards.loc[wards["ddn_2025"], ["imd2025_rank", "cni2023_rank"]] <= 0.1 * ranked).all().all()
    assert wards["share_in_dd_lsoas_2025"].dropna().between(0, 1).all()
    lsoas = pd.read_csv(out / "lsoa21_doubly_disadvantaged_2025.csv")
    assert len(lsoas) == 33_755 and lsoas["population"].notna().all()


def test_the_2025_groups_partition_england_and_share_its_numerators(mirror_run):
    wards = pd.read_csv(mirror_run / "results" / "classification" / "ward17_ddn_2019_vs_2025.csv")
    assert set(wards["group_2025"]) == {"ddn", "other_deprived", "rest_of_england"}
    assert (wards["group_2025"] == "ddn").sum() == wards["ddn_2025"].sum()
    groups = pd.read_csv(mirror_run / "results" / "indicators" / "group_indicators.csv", dtype={"ddn_list": str})
    census = [i for i in groups["indicator"].unique() if i.startswith(("not_in", "managerial", "bad_health", "no_car"))]
    assert census
    for indicator in census:
        rows = groups[groups["indicator"] == indicator].set_index(["ddn_list", "group"])
        # the same Census data, other groups: England is the same, and the 2025 groups add up to it
        assert rows.loc[("2025", "england"), "numerator"] == rows.loc[("published", "england"), "numerator"]
        parts = rows.loc[[("2025", g) for g in ("ddn", "other_deprived", "rest_of_england")], "numerator"].sum()
        assert parts == pytest.approx(rows.loc[("2025", "england"), "numerator"])


def test_wards_2023_hold_every_census_resident(mirror_run):
    wards = pd.read_csv(mirror_run / "results" / "classification" / "ward23_ddn_2025.csv")
    residents = pd.read_parquet(mirror_run / "results" / "clean" / "census21_ts001_usual_residents_oa21.parquet")
    assert wards["ward23_code"].is_unique and wards["ward23_code"].str.match(r"^E05\d{6}$").all()
    assert wards["population_census2021"].sum() == pytest.approx(residents["ts001_0001"].sum())
    ranked = wards["imd2025_rank"].notna().sum()
    assert (wards.loc[wards["ddn_2025"], ["imd2025_rank", "cni2023_rank"]] <= 0.1 * ranked).all().all()


def test_indicator_invariants(mirror_run):
    out = mirror_run / "results" / "indicators"
    groups = pd.read_csv(out / "group_indicators.csv")
    dictionary = pd.read_csv(out / "indicator_dictionary.csv").set_index("indicator")
    shares = groups[
        groups["indicator"].map(
            lambda i: dictionary.loc[i, "denominator"] != "(count)" and not i.startswith(("life_", "healthy_"))
        )
    ]
    assert shares["value"].between(0, 1).all()
    for (ddn_list, indicator), rows in groups.groupby(["ddn_list", "indicator"]):
        rows = rows.set_index("group")
        parts = rows.drop("england")
        assert rows.loc["england", "numerator"] == pytest.approx(parts["numerator"].sum()), (ddn_list, indicator)
        if dictionary.loc[indicator, "denominator"] != "(count)":
            assert rows.loc["england", "denominator"] == pytest.approx(parts["denominator"].sum()), (
                ddn_list,
                indicator,
            )
    withdrawn = groups.set_index(["ddn_list", "indicator", "group"]).loc[
        ("published", "e_withdrawn_lsoas", "england"), "value"
    ]
    assert abs(withdrawn - 0.088) <= 0.001
    coverage = pd.read_csv(out / "bridge_coverage.csv")
    assert (coverage.loc[coverage["bridge"].str.contains("ward 2017"), "share"] >= 0.995).all()
    wards = pd.read_csv(out / "ward17_indicators.csv")
    assert wards["ward17_code"].is_unique and "not_in_employment" in wards.columns


def test_benchmark_table(mirror_run):
    comparison = pd.read_csv(mirror_run / "results" / "benchmark" / "report_comparison.csv")
    from ddn_pipeline.benchmark import VERDICTS

    assert comparison["verdict"].isin(VERDICTS).all()
    assert comparison["id"].is_unique
    assert set(comparison.loc[comparison["verdict"] == "not_computed", "indicator"]) >= {"gva_per_person"}
    jobs = comparison.set_index("id").loc["jobs_per_resident"]
    assert jobs["indicator"] == "jobs_density_proxy" and "proxy" in jobs["statistic"]
    assert comparison["note"].notna().all()
    sensitivity = pd.read_csv(mirror_run / "results" / "benchmark" / "definition_sensitivity.csv")
    managerial = sensitivity[sensitivity["id"] == "managerial_professional"]
    assert managerial["candidate_indicator"].nunique() >= 3
    assert set(managerial["ddn_list"].astype(str)) == {"published", "reproduced", "2025"}


def test_figures_notebooks_and_map(mirror_run):
    figures = mirror_run / "results" / "figures"
    for stem in [
        "ddn_map",
        "classification_ranks",
        "ddn_by_region_and_authority",
        "published_vs_reproduced",
        "indicators/bad_health",
    ]:
        for suffix in (".png", ".svg", ".caption.md"):
            assert (figures / f"{stem}{suffix}").stat().st_size > 0, stem + suffix
    wards = pd.read_parquet(mirror_run / "results" / "geography" / "ward17_boundaries.parquet")
    lookup = pd.read_parquet(mirror_run / "results" / "clean" / "lookup_lsoa11_ward17.parquet")
    assert wards["ward17_code"].is_unique and set(wards["ward17_code"]) == set(lookup["ward17_code"])
    for name in ("classification", "benchmark"):
        html = (mirror_run / "results" / "notebooks" / f"{name}.html").read_text()
        assert "Traceback" not in html and "ddn" in html.lower()
        # the same page every run: the parameters cell papermill injects has a fixed id, not a random one
        assert 'id="cell-id=injected-parameters"' in html


def test_report_builds(mirror_run):
    result = snakemake(mirror_run, "--config", f"mirror={MIRROR}", "--report", str(mirror_run / "report.html"))
    assert result.returncode == 0, result.stderr[-2000:]
    assert (mirror_run / "report.html").stat().st_size > 100_000


BUILT = {".csv", ".parquet", ".png", ".svg", ".html", ".json", ".md"}
RETRIEVAL_TIMES = {"provenance/sources.csv", "report.html"}  # they record when each dataset was retrieved


def built_digests(root):
    """sha256 of every table, figure, page and caption under results/, except those recording retrieval times."""
    results = root / "results"
    return {
        name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(results.rglob("*"))
        if path.suffix in BUILT and (name := str(path.relative_to(results))) not in RETRIEVAL_TIMES
    }


def interrupt(workdir, sig, after_tables):
    """Start the pipeline and send sig to its whole process group once after_tables clean tables exist."""
    # Ctrl-C handled as in a terminal, even where the tests run in the background
    command = with_sigint("default", snakemake_command(workdir, "--config", f"mirror={MIRROR}"))
    process = subprocess.Popen(command, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and len(list((workdir / "results" / "clean").glob("*.parquet"))) < after_tables:
        time.sleep(0.1)
    os.killpg(process.pid, sig)
    process.wait(timeout=120)
    return process.returncode


def test_interrupted_runs_finish_with_the_same_bytes(mirror_run, tmp_path):
    workdir = tmp_path / "run"
    # a power cut: everything killed at once, jobs half-done and the lock left behind
    assert interrupt(workdir, signal.SIGKILL, after_tables=3) != 0
    assert snakemake(workdir, "--unlock").returncode == 0
    # Ctrl-C later in the run
    assert interrupt(workdir, signal.SIGINT, after_tables=12) != 0
    result = snakemake(workdir, "--config", f"mirror={MIRROR}")
    assert result.returncode == 0, result.stderr[-3000:]
    reference, recovered = built_digests(mirror_run), built_digests(workdir)
    assert sum(name.endswith((".csv", ".parquet")) for name in reference) > 50
    assert sum(name.endswith((".png", ".svg", ".html")) for name in reference) > 100
    assert recovered == reference


@pytest.mark.parametrize(
    "config, message",
    [
        ("mirror=/nonexistent/mirror", "mirror folder '/nonexistent/mirror' (from config key 'mirror') does not exist"),
        ("mirorr=../shared/data", "'mirorr' was unexpected"),
        ("offline=maybe", "at 'offline': 'maybe' is not of type 'boolean', 'null'"),
        ("areas=no/such/areas.csv", "areas file no/such/areas.csv: not found (a path relative to the work folder)"),
        (f"areas={ROOT / 'README.md'}", "README.md: not a CSV file of text"),
    ],
)
def test_bad_configuration_stops_before_any_work(tmp_path, config, message):
    result = snakemake(tmp_path, "--config", config)
    assert result.returncode != 0
    assert message in result.stdout + result.stderr
    assert not (tmp_path / "results").exists() and not (tmp_path / "resources").exists()


@pytest.mark.integration
def test_the_mirrors_place_leaves_no_trace_in_the_outputs(mirror_run, mirror, tmp_path):
    """The same mirror at another path (with a space in it) gives the same outputs, the times they record aside
    (bin/compare-builds), and no output names either folder."""
    import shutil

    moved = tmp_path / "elsewhere" / "mirror copy"
    shutil.copytree(mirror, moved)
    workdir = tmp_path / "work"
    result = snakemake(workdir, "--config", f"mirror={moved}")
    assert result.returncode == 0, result.stderr[-3000:]
    compared = subprocess.run(
        [sys.executable, str(ROOT / "bin" / "compare-builds"), str(mirror_run), str(workdir)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert compared.returncode == 0, compared.stdout
    for path in (workdir / "results").rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert str(moved).encode() not in data and str(mirror.resolve()).encode() not in data, path


@pytest.mark.integration
def test_the_reports_2025_region_table_says_what_the_tables_say(mirror_run):
    """The 2025 region table on the page equals the classification table (it was empty while the tables held 207
    DDNs: flags read as booleans were compared with the text 'True'). The chapter's numbers are checked with every
    other number on the page (test_report_numbers)."""
    import re

    wards = pd.read_csv(mirror_run / "results" / "classification" / "ward17_ddn_2019_vs_2025.csv")
    html = (mirror_run / "results" / "report.html").read_text(encoding="utf-8")
    assert wards["ddn_2025"].sum() > 0
    by_region = wards[wards["ddn_2025"]].groupby("region_name").size()
    for region, n in by_region.items():
        cells = rf"<td data-label='Region'>{re.escape(region)}</td><td data-label='2019 \(published\)' class='number'>\d+</td>"
        assert re.search(rf"{cells}<td data-label='2025' class='number'>{n}</td>", html), region


@pytest.mark.integration
def test_councils_and_regions_pool_to_england(mirror_run):
    """Each indicator's council and region numerators and denominators add up to England's, which is the group
    table's England: the profile's comparison columns and the groups come from the same sums."""
    results = mirror_run / "results" / "indicators"
    areas = pd.read_csv(results / "council_region_indicators.csv")
    groups = pd.read_csv(results / "group_indicators.csv").query("ddn_list == 'published' and group == 'england'")
    england = areas[areas["level"] == "england"].set_index("indicator")
    for level in ("council", "region"):
        sums = areas[areas["level"] == level].groupby("indicator")[["numerator", "denominator"]].sum(min_count=1)
        assert sums["numerator"].to_numpy() == pytest.approx(england.loc[sums.index, "numerator"].to_numpy())
    assert england.loc[groups["indicator"], "value"].to_numpy() == pytest.approx(
        groups["value"].to_numpy(), nan_ok=True
    )
    assert areas.query("level == 'region'")["area"].nunique() == 9


def linked_copy(source, destination):
    """A work folder's copy whose results and raw files are hard links (cheap; every output is replaced, never
    written in place) and whose Snakemake records are copied (they are rewritten in place)."""
    import shutil

    for name in ("results", "resources", "logs", "benchmarks"):
        if (source / name).exists():
            shutil.copytree(source / name, destination / name, copy_function=os.link)
    shutil.copytree(source / ".snakemake", destination / ".snakemake", ignore=shutil.ignore_patterns("log", "locks"))


@pytest.mark.integration
def test_your_areas_are_profiled_at_their_own_geography(mirror_run, tmp_path):
    """The two example areas files: the OCSI left-behind LSOAs 2021 and Hartlepool's wards. Their Census values equal
    Output Area counts summed here; Hartlepool's two areas add up to the council's; nothing else changes."""
    work = tmp_path / "work"
    linked_copy(mirror_run, work)
    examples = ROOT / "examples" / "areas"
    lsoas = examples / "ocsi_left_behind_2023_lsoa21.csv"
    result = snakemake(work, "--config", f"mirror={MIRROR}", f"areas={lsoas}")
    assert result.returncode == 0, result.stderr[-3000:]
    results = work / "results"
    indicators = pd.read_csv(results / "areas" / "area_indicators.csv")
    area = "OCSI left-behind neighbourhoods (2023)"
    values = indicators[indicators["area"] == area].set_index("indicator")
    assert (values["geography"] == "lsoa21").all()

    # Output Areas of the area's LSOAs, their counts summed here
    codes = set(pd.read_csv(lsoas)["code"])
    oa = pd.read_parquet(results / "clean" / "lookup_oa21_lsoa21.parquet")
    oas = set(oa.loc[oa["lsoa21_code"].isin(codes), "oa21_code"])

    def summed(table, column):
        frame = pd.read_parquet(results / "clean" / f"{table}.parquet", columns=["oa21_code", column])
        return frame.loc[frame["oa21_code"].isin(oas), column].sum()

    not_working = summed("census21_ts065_employment_history_oa21", "ts065_0001")
    adults = summed("census21_ts062_nssec_oa21", "ts062_0001")
    bad_health = summed("census21_ts037_general_health_oa21", "ts037_0005") + summed(
        "census21_ts037_general_health_oa21", "ts037_0006"
    )
    residents = summed("census21_ts001_usual_residents_oa21", "ts001_0001")
    assert values.loc["not_in_employment", "value"] == pytest.approx(not_working / adults, rel=1e-12)
    everyone = summed("census21_ts037_general_health_oa21", "ts037_0001")
    assert values.loc["bad_health", "value"] == pytest.approx(bad_health / everyone, rel=1e-12)
    groups = pd.read_csv(results / "indicators" / "group_indicators.csv").query("ddn_list == 'published'")
    ddn = groups.query("group == 'ddn' and indicator == 'not_in_employment'")["value"].item()
    assert values.loc["not_in_employment", "ddn"] == ddn
    members = pd.read_csv(results / "areas" / "area_members.csv")
    assert len(members) == len(codes) and members["population"].sum() == pytest.approx(residents)
    summary = pd.read_csv(results / "areas" / "areas.csv")
    assert summary.filter(like="reached").to_numpy().min() > 0.99
    assert "id='areas'" in (results / "report.html").read_text(encoding="utf-8")

    # every table the default run wrote is as it was: the areas add files, they change none
    def tables(root):
        return {
            str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted((root / "results").rglob("*"))
            if p.suffix in (".csv", ".parquet") and "areas" not in p.parts
        }

    assert tables(work) == tables(mirror_run)

    # Hartlepool's wards, in two areas: together, the council's sums
    wards = examples / "hartlepool_wards.csv"
    result = snakemake(work, "--config", f"mirror={MIRROR}", f"areas={wards}")
    assert result.returncode == 0, result.stderr[-3000:]
    indicators = pd.read_csv(results / "areas" / "area_indicators.csv")
    both = indicators[indicators["indicator"] == "not_in_employment"]
    council = pd.read_csv(results / "indicators" / "council_region_indicators.csv").query(
        "level == 'council' and area == 'Hartlepool' and indicator == 'not_in_employment'"
    )
    assert both["numerator"].sum() == pytest.approx(council["numerator"].item())
    assert both["denominator"].sum() == pytest.approx(council["denominator"].item())
    explorer = (results / "explorer" / "index.html").read_text(encoding="utf-8")
    assert "Hartlepool: DDN wards" in explorer
