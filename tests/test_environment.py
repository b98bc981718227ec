"""pyproject.toml and envs/pipeline.yaml declare the same packages."""

import re
import tomllib

import yaml
from conftest import ROOT

CONDA_NAMES = {"python-calamine": "python-calamine"}


def _name(requirement):
    return re.split(r"[<>=!~ ]", requirement, maxsplit=1)[0].strip().lower()


def test_conda_environment_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pip_side = {_name(r): r.replace(" ", "") for r in project["dependencies"]}
    env = yaml.safe_load((ROOT / "envs" / "pipeline.yaml").read_text())
    conda_side = {
        _name(d): d.replace(" ", "")
        for d in env["dependencies"]
        if isinstance(d, str) and _name(d) not in {"python", "pip"}
    }
    assert pip_side == conda_side


def test_conda_environment_pins_python_311():
    env = yaml.safe_load((ROOT / "envs" / "pipeline.yaml").read_text())
    assert "python=3.11" in env["dependencies"]


def test_lock_file_pins_every_dependency_within_its_range():
    from packaging.requirements import Requirement

    locked = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version, f"requirements.lock: {line!r} is not an exact pin (name==version)"
            locked[_name(name).replace("_", "-")] = version
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    for text in requirements:
        requirement = Requirement(text)
        name = requirement.name.lower().replace("_", "-")
        assert name in locked, f"requirements.lock lacks {name} (pyproject.toml: {text})"
        assert requirement.specifier.contains(locked[name]), (
            f"requirements.lock pins {name}=={locked[name]} outside {text}"
        )


def test_the_snakefiles_min_version_is_the_snakemake_floor_of_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    floor = next(r for r in project["dependencies"] if _name(r) == "snakemake").split(">=")[1].split(",")[0]
    assert f'min_version("{floor}")' in (ROOT / "Snakefile").read_text()
