import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MIRROR = ROOT.parent / "shared" / "data"


def registry_tables():
    """The project's clean table specs (datasets.yaml), by id."""
    from ddn_pipeline.registry import load_registry

    return {i: d.table for i, d in load_registry(ROOT / "datasets.yaml").items() if d.table is not None}


def default_table_ids():
    from ddn_pipeline.registry import load_registry

    registry = load_registry(ROOT / "datasets.yaml")
    return {i for i, d in registry.items() if "table" in d.meta and d.meta["table"].get("by_default", True)}


def snakemake_command(workdir, *args, snakefile=ROOT / "Snakefile"):
    return [
        sys.executable,
        "-m",
        "snakemake",
        "-s",
        str(snakefile),
        "--directory",
        str(workdir),
        "--cores",
        "2",
        *args,
    ]


def with_sigint(handling, command):
    """command (its first word an absolute path) started with SIGINT "ignore"d or handled as in a terminal
    ("default"), whatever this process has: a shell starts a command in the background with SIGINT ignored, and
    Python then installs no handler for it."""
    disposition = {"ignore": "SIG_IGN", "default": "SIG_DFL"}[handling]
    launcher = f"import os, signal, sys; signal.signal(signal.SIGINT, signal.{disposition}); os.execv(sys.argv[1], sys.argv[1:])"
    return [sys.executable, "-c", launcher, *command]


def snakemake(workdir, *args, snakefile=ROOT / "Snakefile"):
    """Run snakemake on workdir; DDN_MIRROR is cleared so that only the arguments decide where data come from."""
    command = snakemake_command(workdir, *args, snakefile=snakefile)
    return subprocess.run(command, capture_output=True, text=True, check=False, env={**os.environ, "DDN_MIRROR": ""})


@pytest.fixture(scope="session")
def mirror():
    assert MIRROR.is_dir(), f"the integration tests need the offline mirror at {MIRROR} (README: running offline)"
    return MIRROR


@pytest.fixture(scope="session")
def mirror_run(tmp_path_factory, mirror):
    """The whole pipeline on the mirror, built once per test session; tests only read it (or copy it)."""
    workdir = tmp_path_factory.mktemp("run")
    result = snakemake(workdir, "--config", f"mirror={mirror}")
    assert result.returncode == 0, result.stderr[-3000:]
    return workdir


@pytest.fixture
def write_csv(tmp_path):
    """Write text to a CSV file in tmp_path and return its path."""

    def _write(name, text):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return _write


# ---- the pages, in Debian's chromium (headless, offline) through Playwright

CHROMIUM = os.environ.get("DDN_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(os.environ.get("DDN_SCREENSHOTS", ROOT / "screenshots"))
# Chromium on this machine, without the background connections it makes by default
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
LOCAL = ("file:", "data:", "about:", "blob:")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).is_file(), (
        f"the browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)"
    )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


def open_offline(browser, path, width=1366):
    """Open a file page with every non-local request refused and recorded; returns (page, errors, requests)."""
    context = browser.new_context(viewport={"width": width, "height": 900}, offline=True)
    page = context.new_page()
    errors, requests = [], []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))

    def guard(route):
        requests.append(route.request.url)
        if route.request.url.startswith(LOCAL):
            route.continue_()
        else:
            route.abort()

    page.route("**/*", guard)
    page.goto(Path(path).resolve().as_uri(), wait_until="load")
    return page, errors, requests
