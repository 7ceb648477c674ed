"""Shared fixtures: the synthetic awards file and a hermetic environment.

Every test runs in an empty working directory with no SBIR_ETL_* variables, so
neither the repository's config/docker.yaml nor the developer's shell leaks in.
"""

import csv
import os
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
SRC = TESTS.parent / "src"
FIXTURE = TESTS / "fixtures" / "award_data.csv"

if str(SRC) not in sys.path:  # also works when pytest runs without the pyproject settings
    sys.path.insert(0, str(SRC))

from sbir_etl.schema import HEADER  # noqa: E402


def pytest_configure(config):
    # DockerTest starts the compose test stack (Neo4j, Dagster) only for tests with this marker
    # (config/docker.yaml, test.stackMarker); none of the sample's tests needs it.
    config.addinivalue_line("markers", "stack: the test needs the compose test stack (Neo4j, Dagster); DockerTest starts it only for these")


@pytest.fixture(autouse=True)
def hermetic(monkeypatch, tmp_path):
    for name in list(os.environ):
        if name.startswith("SBIR_ETL") or name == "ENVIRONMENT":
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def fixture_rows() -> list[dict[str, str]]:
    with FIXTURE.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def write_awards(tmp_path):
    """Write rows (dicts keyed by the SBIR.gov header) to a CSV and return its path."""

    def write(rows: list[dict[str, str]], name: str = "awards.csv",
              header: tuple[str, ...] = HEADER) -> Path:
        path = tmp_path / name
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=header, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)
        return path

    return write


def block_imports(monkeypatch, *names: str) -> None:
    """Make ``import name`` fail, as in an image without that package."""
    for name in names:
        monkeypatch.setitem(sys.modules, name, None)
