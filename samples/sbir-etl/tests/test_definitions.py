"""The Dagster code location. Dagster is not installed where these tests must
pass (the offline image), so the asset bodies run against a small stand-in
for the few dagster names the module uses; with Dagster installed, the module
is also loaded for real."""

import importlib
import importlib.util
import sys
import types

import pytest

from conftest import FIXTURE
from sbir_etl.extract import read_awards
from sbir_etl.transform import normalize
from test_graph import FakeDriver

HAS_DAGSTER = importlib.util.find_spec("dagster") is not None


class DagsterFailure(Exception):
    def __init__(self, description=None, metadata=None):
        super().__init__(description)
        self.metadata = metadata


def stand_in() -> types.ModuleType:
    module = types.ModuleType("dagster")

    def asset(**options):
        def register(function):
            function.options = options
            return function
        return register

    class Definitions:
        def __init__(self, assets=(), jobs=()):
            self.assets, self.jobs = list(assets), list(jobs)

    module.asset = asset
    module.Definitions = Definitions
    module.Failure = DagsterFailure
    module.AssetExecutionContext = object
    module.MetadataValue = types.SimpleNamespace(json=lambda v: v, path=lambda v: v)
    module.AssetSelection = types.SimpleNamespace(all=lambda: "*")
    module.define_asset_job = lambda name, selection: types.SimpleNamespace(name=name)
    return module


class Context:
    def __init__(self):
        self.metadata = {}
        self.warnings = []
        self.log = types.SimpleNamespace(warning=self.warnings.append)

    def add_output_metadata(self, metadata):
        self.metadata.update(metadata)


def load(monkeypatch, real: bool = False):
    if not real:
        monkeypatch.setitem(sys.modules, "dagster", stand_in())
    monkeypatch.delitem(sys.modules, "sbir_etl.definitions", raising=False)
    return importlib.import_module("sbir_etl.definitions")


def test_raw_asset_materializes_and_reports_metadata(monkeypatch, tmp_path):
    definitions = load(monkeypatch)
    monkeypatch.setenv("SBIR_ETL__PATHS__RAW_AWARDS", str(FIXTURE))
    monkeypatch.setenv("SBIR_ETL__PATHS__DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SBIR_ETL__NEO4J__BOLT_URL", "bolt://x:7687")
    context = Context()

    records = definitions.raw_sbir_awards(context)

    assert len(records) == context.metadata["records"] == 30
    assert context.metadata["pass_rate"] == 1.0
    assert context.warnings == ["ignoring unknown settings: SBIR_ETL__NEO4J__BOLT_URL"]


def test_raw_asset_fails_below_thresholds(monkeypatch, write_awards, fixture_rows):
    definitions = load(monkeypatch)
    for row in fixture_rows[:5]:
        row["Program"] = "SBIR-X"
    monkeypatch.setenv("SBIR_ETL__PATHS__RAW_AWARDS", str(write_awards(fixture_rows)))
    with pytest.raises(DagsterFailure, match="pass rate 0.8333 < 0.95"):
        definitions.raw_sbir_awards(Context())


def test_graph_asset_loads_the_records(monkeypatch):
    definitions = load(monkeypatch)
    driver = FakeDriver()
    opened = []
    monkeypatch.setattr(definitions, "open_driver", lambda neo4j: opened.append(neo4j) or driver)
    monkeypatch.setenv("SBIR_ETL__NEO4J__DATABASE", "awards")
    context = Context()
    definitions.neo4j_award_graph(context, [normalize(r)[0] for r in read_awards(FIXTURE)])
    assert opened[0]["database"] == "awards" and driver.database == "awards"
    assert context.metadata == {"awards": 30, "companies": 12, "batches": 1}


def test_code_location_exposes_both_assets(monkeypatch):
    definitions = load(monkeypatch, real=HAS_DAGSTER)
    assets = (definitions.raw_sbir_awards, definitions.neo4j_award_graph)
    if HAS_DAGSTER:
        import dagster

        assert isinstance(definitions.defs, dagster.Definitions)
        assert {asset.key.to_user_string() for asset in assets} == {
            "raw_sbir_awards", "neo4j_award_graph"}
    else:
        assert definitions.defs.assets == list(assets)
