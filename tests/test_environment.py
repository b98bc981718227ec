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
