"""Reference data: indicator definitions and published figures, validated and cross-checked."""

import shutil
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

from ddn_pipeline.reference import ReferenceError, load_reference
from ddn_pipeline.registry import load_registry

DATASET_IDS = set(load_registry(ROOT / "datasets.yaml"))


@pytest.fixture
def files(tmp_path):
    """Copies of the project's reference files, to edit."""
    indicators = Path(shutil.copy(ROOT / "reference" / "indicators.yaml", tmp_path / "indicators.yaml"))
    figures = Path(shutil.copy(ROOT / "reference" / "published_figures.yaml", tmp_path / "published_figures.yaml"))
    return indicators, figures


def rewrite(path, change):
    document = yaml.safe_load(path.read_text())
    change(document)
    path.write_text(yaml.safe_dump(document))


def test_project_reference_data_is_valid_and_resolves(files):
    reference = load_reference(*files, DATASET_IDS)
    assert reference.indicators["not_in_employment"]["unit"] == "share"
    assert reference.indicators["life_expectancy_male_2016_20"]["unit"] == "years"
    assert reference.figures["population"]["indicator"] == "population"


def test_dangling_names_are_listed(files):
    indicators, figures = files
    rewrite(figures, lambda d: d["figures"]["population"].update(indicator="populaton"))
    rewrite(indicators, lambda d: d["not_computed"]["gva_per_person"].update(datasets=["gva_typo"]))
    with pytest.raises(ReferenceError) as error:
        load_reference(indicators, figures, DATASET_IDS)
    assert "figures.population.indicator: 'populaton'" in str(error.value)
    assert "not_computed.gva_per_person.datasets: 'gva_typo' is not in the registry" in str(error.value)


def test_schema_errors_name_the_file_and_key(files):
    indicators, figures = files
    rewrite(figures, lambda d: d["figures"]["population"]["values"][0].update(tolerance=-1))
    with pytest.raises(ReferenceError, match=r"(?s)published_figures.yaml.*figures/population/values/0/tolerance"):
        load_reference(indicators, figures, DATASET_IDS)


def test_an_indicator_needs_a_unit(files):
    indicators, figures = files
    rewrite(indicators, lambda d: d["indicators"]["bad_health"].pop("unit"))
    with pytest.raises(ReferenceError, match=r"at 'indicators/bad_health': 'unit' is a required property"):
        load_reference(indicators, figures, DATASET_IDS)
