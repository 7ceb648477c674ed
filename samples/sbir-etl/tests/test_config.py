import importlib.util
from pathlib import Path

import pytest

from conftest import block_imports
from sbir_etl import config as config_module
from sbir_etl.config import DEFAULTS, ConfigError, load_config, masked, with_derived_paths

YAML = """\
container:
  tags: [latest]
settings:
  neo4j:
    uri: bolt://neo4j:7687
    password: null
    batch_size: 1000
  paths:
    data_dir: /srv/data
"""

YAML_PARSERS = ["builtin"] + (["pyyaml"] if importlib.util.find_spec("yaml") else [])


@pytest.fixture(params=YAML_PARSERS)
def yaml_parser(request, monkeypatch):
    """Run a test with the built-in reader and, where installed, with PyYAML."""
    if request.param == "builtin":
        block_imports(monkeypatch, "yaml")
    return request.param


@pytest.fixture
def config_file(tmp_path) -> Path:
    path = tmp_path / "docker.yaml"
    path.write_text(YAML, encoding="utf-8")
    return path


def test_defaults_without_a_file_or_variables():
    loaded = load_config({})
    assert loaded.source_file is None and loaded.unknown_keys == []
    assert loaded.settings == DEFAULTS
    assert loaded.settings is not DEFAULTS  # callers may not mutate the defaults


def test_settings_section_of_the_yaml_file(config_file, yaml_parser):
    loaded = load_config({"SBIR_ETL_CONFIG_FILE": str(config_file)})
    assert loaded.source_file == config_file
    assert loaded.get("neo4j.uri") == "bolt://neo4j:7687"
    assert loaded.get("neo4j.batch_size") == 1000
    assert loaded.get("neo4j.password") == ""  # null keeps the default
    assert loaded.get("paths.data_dir") == "/srv/data"
    assert loaded.get("dagster.port") == 3000


def test_environment_overrides_yaml_with_typed_values(config_file, yaml_parser):
    loaded = load_config({
        "SBIR_ETL_CONFIG_FILE": str(config_file),
        "SBIR_ETL__NEO4J__URI": "bolt://graph:7687",
        "SBIR_ETL__NEO4J__BATCH_SIZE": "250",
        "SBIR_ETL__NEO4J__PASSWORD": "12345",
        "SBIR_ETL__Dagster__Port": "3100",
    })
    assert loaded.get("neo4j.uri") == "bolt://graph:7687"
    assert loaded.get("neo4j.batch_size") == 250
    assert loaded.get("neo4j.password") == "12345"  # a numeric secret stays a string
    assert loaded.get("dagster.port") == 3100  # keys are case-insensitive
    assert loaded.unknown_keys == []


def test_badly_typed_values_are_configuration_errors():
    with pytest.raises(ConfigError, match="SBIR_ETL__DAGSTER__PORT: expected int, got 'http'"):
        load_config({"SBIR_ETL__DAGSTER__PORT": "http"})


def test_unknown_keys_are_reported_not_applied(config_file):
    config_file.write_text(YAML + "  neo4j_typo:\n    uri: x\n", encoding="utf-8")
    loaded = load_config({
        "SBIR_ETL_CONFIG_FILE": str(config_file),
        "SBIR_ETL__NEO4J__BOLT_URL": "bolt://elsewhere:7687",
    })
    assert loaded.unknown_keys == [
        f"{config_file}: settings.neo4j_typo.uri",
        "SBIR_ETL__NEO4J__BOLT_URL",
    ]
    assert loaded.get("neo4j.uri") == "bolt://neo4j:7687"


def test_the_input_path_variable_sets_paths_raw_awards():
    loaded = load_config({"SBIR_ETL__PATHS__RAW_AWARDS": "/in/awards.csv"})
    assert loaded.get("paths.raw_awards") == "/in/awards.csv"
    assert loaded.unknown_keys == []


def test_docker_environment_selects_the_image_config(tmp_path, monkeypatch, config_file):
    monkeypatch.setattr(config_module, "DOCKER_CONFIG_FILE", config_file)
    assert load_config({"ENVIRONMENT": "docker"}).source_file == config_file
    # Elsewhere the file is config/docker.yaml under the working directory.
    assert load_config({}).source_file is None
    local = tmp_path / "config" / "docker.yaml"
    local.parent.mkdir()
    local.write_text(YAML, encoding="utf-8")
    assert load_config({}).source_file == Path("config/docker.yaml")


def test_a_named_config_file_must_exist(tmp_path):
    with pytest.raises(ConfigError, match="does not name a readable file"):
        load_config({"SBIR_ETL_CONFIG_FILE": str(tmp_path / "missing.yaml")})


def test_invalid_settings_block_is_a_configuration_error(tmp_path, monkeypatch):
    block_imports(monkeypatch, "yaml")
    path = tmp_path / "bad.yaml"
    path.write_text("settings:\n  paths:\n    - /data\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="bad.yaml: line 3"):
        load_config({"SBIR_ETL_CONFIG_FILE": str(path)})


def test_derived_paths_follow_data_dir():
    loaded = load_config({"SBIR_ETL__PATHS__DATA_DIR": "/srv/data"})
    effective = with_derived_paths(loaded.settings)
    assert effective["paths"]["raw_awards"] == "/srv/data/raw/sbir/award_data.csv"
    assert effective["duckdb"]["path"] == "/srv/data/processed/sbir.duckdb"
    assert loaded.get("duckdb.path") == ""  # the loaded settings are untouched


def test_secrets_are_masked():
    loaded = load_config({
        "SBIR_ETL__NEO4J__PASSWORD": "s3cret",
        "SBIR_ETL__NEO4J__URI": "bolt://neo4j:hunter2@graph:7687",  # pragma: allowlist secret (a test of the masking)
    })
    safe = masked(loaded.settings)
    assert safe["neo4j"]["password"] == "***"
    assert safe["neo4j"]["uri"] == "bolt://neo4j:***@graph:7687"
    assert "s3cret" not in repr(safe) and "hunter2" not in repr(safe)
    assert masked(DEFAULTS)["neo4j"]["password"] == ""  # nothing to hide
