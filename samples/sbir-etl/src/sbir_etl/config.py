"""Settings: code defaults, then the ``settings:`` section of a YAML file, then
``SBIR_ETL__A__B=value`` environment overrides (``__`` separates levels; keys
are lower-cased; values are coerced to the type of the default they replace).

The set of keys is closed: an override or YAML key that matches no known
setting is reported instead of being silently ignored (the upstream project
dropped ``SBIR_ETL__NEO4J__BOLT_URL`` this way and ran with the wrong URI).
"""

import copy
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

ENV_PREFIX = "SBIR_ETL__"
CONFIG_FILE_ENV = "SBIR_ETL_CONFIG_FILE"
DOCKER_CONFIG_FILE = Path("/app/config/docker.yaml")
LOCAL_CONFIG_FILE = Path("config/docker.yaml")

# The known settings tree, with the defaults used when neither the YAML file nor
# the environment sets a key. Empty paths are derived from paths.data_dir.
DEFAULTS: dict[str, dict[str, Any]] = {
    "neo4j": {
        "uri": "bolt://localhost:7687",
        "username": "neo4j",
        "password": "",
        "database": "neo4j",
        "batch_size": 500,
    },
    "duckdb": {"path": ""},
    "paths": {
        "data_dir": "./data",
        "logs_dir": "./logs",
        "metrics_dir": "./metrics",
        "raw_awards": "",
    },
    "pipeline": {"environment": "development", "log_level": "INFO"},
    "dagster": {"host": "0.0.0.0", "port": 3000},
}

SECRET_MARKERS = ("password", "secret", "token")
_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}


class ConfigError(ValueError):
    """A configuration problem the user must fix (the CLI exits 2)."""


@dataclass
class LoadedConfig:
    settings: dict[str, dict[str, Any]]
    source_file: Path | None
    unknown_keys: list[str] = field(default_factory=list)

    def get(self, dotted: str) -> Any:
        section, key = dotted.split(".", 1)
        return self.settings[section][key]


def load_config(environ: Mapping[str, str] | None = None) -> LoadedConfig:
    environ = os.environ if environ is None else environ
    settings = copy.deepcopy(DEFAULTS)
    unknown: list[str] = []

    source = config_file_path(environ)
    if source is not None:
        for dotted, value in _flatten(read_settings_file(source)):
            _assign(settings, dotted, value, f"{source}: settings.{dotted}", unknown)

    for name, raw in sorted(environ.items()):
        if name.startswith(ENV_PREFIX):
            dotted = ".".join(part.lower() for part in name[len(ENV_PREFIX):].split("__"))
            _assign(settings, dotted, raw, name, unknown)

    return LoadedConfig(settings=settings, source_file=source, unknown_keys=unknown)


def config_file_path(environ: Mapping[str, str]) -> Path | None:
    """The YAML file to read, or None when the default one does not exist.

    An explicitly named file must exist: silently running on defaults after a
    typo in SBIR_ETL_CONFIG_FILE is the failure mode this module exists to stop.
    """
    explicit = environ.get(CONFIG_FILE_ENV)
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise ConfigError(f"{CONFIG_FILE_ENV}={explicit} does not name a readable file")
        return path
    default = DOCKER_CONFIG_FILE if environ.get("ENVIRONMENT") == "docker" else LOCAL_CONFIG_FILE
    return default if default.is_file() else None


def read_settings_file(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    try:
        import yaml  # optional: the offline image has no PyYAML
    except ImportError:
        from sbir_etl.simple_yaml import SimpleYamlError, parse_settings_block

        try:
            return parse_settings_block(text)
        except SimpleYamlError as error:
            raise ConfigError(f"{path}: {error}") from error
    try:
        document = yaml.safe_load(text) or {}
    except yaml.YAMLError as error:
        raise ConfigError(f"{path}: invalid YAML: {error}") from error
    settings = document.get("settings") if isinstance(document, dict) else None
    if settings is not None and not isinstance(settings, dict):
        raise ConfigError(f"{path}: 'settings' must be a mapping")
    return settings or {}


def _flatten(tree: dict, prefix: str = "") -> list[tuple[str, Any]]:
    items: list[tuple[str, Any]] = []
    for key, value in tree.items():
        dotted = f"{prefix}{str(key).lower()}"
        if isinstance(value, dict):
            items.extend(_flatten(value, dotted + "."))
        else:
            items.append((dotted, value))
    return items


def _assign(settings: dict, dotted: str, value: Any, origin: str, unknown: list[str]) -> None:
    section, _, key = dotted.partition(".")
    if section not in settings or key not in settings[section]:
        unknown.append(origin)
        return
    if value is None:  # "key:" with no value in YAML keeps the default
        return
    settings[section][key] = coerce(value, settings[section][key], origin)


def coerce(value: Any, default: Any, origin: str) -> Any:
    """Convert ``value`` (a string from the environment, or a YAML scalar) to the
    type of ``default``, so that a numeric password stays a string and a port
    given as "7687" becomes an int."""
    if isinstance(default, str):
        return value if isinstance(value, str) else str(value)
    text = str(value).strip().lower()
    try:
        if isinstance(default, bool):
            if text in _TRUE:
                return True
            if text in _FALSE:
                return False
            raise ValueError
        if isinstance(value, bool):  # YAML true is not a port number
            raise ValueError
        return type(default)(text)
    except ValueError:
        kind = type(default).__name__
        raise ConfigError(f"{origin}: expected {kind}, got {value!r}") from None


def with_derived_paths(settings: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """Fill the paths left empty with their defaults under paths.data_dir."""
    effective = copy.deepcopy(dict(settings))
    data_dir = Path(effective["paths"]["data_dir"])
    if not effective["paths"]["raw_awards"]:
        effective["paths"]["raw_awards"] = str(data_dir / "raw" / "sbir" / "award_data.csv")
    if not effective["duckdb"]["path"]:
        effective["duckdb"]["path"] = str(data_dir / "processed" / "sbir.duckdb")
    return effective


def masked(settings: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """A copy safe to print: secret values become "***", URI passwords too."""
    safe: dict[str, dict[str, Any]] = {}
    for section, values in settings.items():
        safe[section] = {}
        for key, value in values.items():
            if any(marker in key for marker in SECRET_MARKERS) and value not in ("", None):
                value = "***"
            elif isinstance(value, str):
                value = re.sub(r"(//[^:/@]+:)[^@/]+@", r"\1***@", value)
            safe[section][key] = value
    return safe
