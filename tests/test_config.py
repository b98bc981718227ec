import pytest
from conftest import ROOT

from ddn_pipeline.config import ConfigError, resolve_mirror, resolve_offline, validate_config
from ddn_pipeline.schema import load_yaml


@pytest.fixture
def config():
    return load_yaml(ROOT / "config.yaml")


def test_default_config_is_valid(config):
    validate_config(config)


def test_unknown_key_is_named(config):
    config["mirorr"] = "/tmp"
    with pytest.raises(ConfigError, match=r"'mirorr' was unexpected"):
        validate_config(config)


def test_unknown_nested_key_names_its_parent(config):
    config["download"]["timeout"] = 5
    with pytest.raises(ConfigError, match=r"at 'download'.*'timeout' was unexpected"):
        validate_config(config)


def test_wrong_type_names_the_key(config):
    config["download"]["retries"] = "three"
    with pytest.raises(ConfigError, match=r"at 'download/retries': 'three' is not of type 'integer'"):
        validate_config(config)


def test_missing_mirror_folder_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match=r"mirror folder .*nowhere.* does not exist"):
        resolve_mirror({"mirror": str(tmp_path / "nowhere")}, environ={})


def test_mirror_from_environment_and_config_precedence(tmp_path):
    env_mirror, config_mirror = tmp_path / "env", tmp_path / "cfg"
    env_mirror.mkdir()
    config_mirror.mkdir()
    assert resolve_mirror({"mirror": None}, environ={"DDN_MIRROR": str(env_mirror)}) == env_mirror
    assert resolve_mirror({"mirror": str(config_mirror)}, environ={"DDN_MIRROR": str(env_mirror)}) == config_mirror
    assert resolve_mirror({"mirror": None}, environ={}) is None


def test_offline_defaults_to_whether_a_mirror_is_set(tmp_path):
    assert resolve_offline({"offline": None}, tmp_path) is True
    assert resolve_offline({"offline": None}, None) is False
    assert resolve_offline({"offline": False}, tmp_path) is False


def test_a_document_that_passed_is_remembered_and_a_changed_one_is_validated_again(config, tmp_path, monkeypatch):
    from ddn_pipeline.schema import CACHE_ENV

    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))

    def passed_markers():  # beside the parsed documents the folder also keeps (parsed-*.json)
        return sorted(p for p in (tmp_path / "cache").iterdir() if not p.name.startswith("parsed-"))

    validate_config(config)
    remembered = passed_markers()
    assert len(remembered) == 1
    validate_config(config)
    assert passed_markers() == remembered
    with pytest.raises(ConfigError, match="unexpected_key"):
        validate_config({**config, "unexpected_key": 1})
    assert passed_markers() == remembered


def test_a_parsed_yaml_document_is_reused_only_for_the_same_bytes(tmp_path, monkeypatch):
    import json

    from ddn_pipeline.schema import CACHE_ENV, SchemaError, load_yaml

    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    document = tmp_path / "settings.yaml"
    document.write_text("x: 1\n", encoding="utf-8")
    assert load_yaml(document) == {"x": 1}
    (parsed,) = (tmp_path / "cache").glob("parsed-*.json")
    parsed.write_text(json.dumps({"x": "from the cache"}))
    assert load_yaml(document) == {"x": "from the cache"}
    document.write_text("x: 2\n", encoding="utf-8")
    assert load_yaml(document) == {"x": 2}
    assert len(list((tmp_path / "cache").glob("parsed-*.json"))) == 2
    document.write_text("x: [1\n", encoding="utf-8")
    with pytest.raises(SchemaError, match="settings.yaml: not valid YAML"):
        load_yaml(document)
    document.write_text("when: 2024-01-31\n", encoding="utf-8")  # a date: JSON cannot hold it, so never cached
    assert str(load_yaml(document)["when"]) == "2024-01-31"
    assert len(list((tmp_path / "cache").glob("parsed-*.json"))) == 2


def test_command_line_text_is_read_as_the_schema_wants(config):
    """Snakemake's --config gives nested values and words such as false as text: they are read as YAML where the
    schema wants a number, a boolean or a list of numbers, and left as text where it wants text."""
    from ddn_pipeline.config import typed_command_line_values

    config.update(
        worker="false",
        editions=["2019", "2025"],
        mirror="123",
        classification={**config["classification"], "most_deprived_share": "0.1"},
        figures={**config["figures"], "close_within": "0.05"},
    )
    typed = typed_command_line_values(config)
    validate_config(typed)
    assert typed["worker"] is False
    assert typed["editions"] == [2019, 2025]
    assert typed["mirror"] == "123"
    assert typed["classification"]["most_deprived_share"] == 0.1
    assert typed["figures"]["close_within"] == 0.05
    config["download"]["retries"] = "three"
    with pytest.raises(ConfigError, match=r"at 'download/retries'"):
        validate_config(typed_command_line_values(config))


def test_worker_false_from_the_command_line_in_lower_case(tmp_path):
    from conftest import snakemake

    result = snakemake(tmp_path, "-n", "--config", "worker=false")
    assert result.returncode == 0, result.stderr[-2000:]


def test_nested_settings_from_the_command_line_are_typed(tmp_path):
    """A nested number and a boolean, given on the command line as Snakemake passes them (text), validate."""
    from conftest import snakemake

    result = snakemake(tmp_path, "-n", "--config", "classification={most_deprived_share: 0.1}", "offline=true")
    assert result.returncode == 0, result.stderr[-2000:]
    refused = snakemake(tmp_path, "-n", "--config", "classification={most_deprived_share: ten}")
    assert refused.returncode != 0 and "classification/most_deprived_share" in refused.stderr
