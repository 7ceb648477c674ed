import importlib.util
import json
from decimal import Decimal

from conftest import FIXTURE, block_imports
from sbir_etl.extract import read_awards
from sbir_etl.store import write_records
from sbir_etl.transform import normalize

HAS_DUCKDB = importlib.util.find_spec("duckdb") is not None


def records():
    return [normalize(row)[0] for row in read_awards(FIXTURE)]


def test_without_duckdb_writes_json_lines_and_a_summary(tmp_path, monkeypatch):
    block_imports(monkeypatch, "duckdb")
    result = write_records(records(), tmp_path / "out", tmp_path / "out" / "sbir.duckdb",
                           {"input": str(FIXTURE)})

    assert result.backend == "jsonl"
    assert result.path == tmp_path / "out" / "raw_sbir_awards.jsonl"
    lines = result.path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == result.records == 30
    first = json.loads(lines[0])
    assert first["award_id"] == "AF15-0101"
    assert first["award_date"] == "2015-01-01"
    assert first["award_amount"] == 197000.0
    assert not (tmp_path / "out" / "sbir.duckdb").exists()

    summary = json.loads(result.summary_path.read_text(encoding="utf-8"))
    assert summary["backend"] == "jsonl" and summary["records"] == 30
    assert summary["input"] == str(FIXTURE)
    assert not list((tmp_path / "out").glob("*.partial"))


def test_uses_duckdb_when_installed_and_json_lines_otherwise(tmp_path):
    """Runs against whatever the environment has: DuckDB in the full image,
    the JSON Lines fallback in the offline one."""
    out = tmp_path / "out"
    result = write_records(records(), out, out / "sbir.duckdb", {})
    if HAS_DUCKDB:
        import duckdb

        assert result.backend == "duckdb"
        with duckdb.connect(str(result.path)) as connection:
            count, total = connection.execute(
                "SELECT count(*), sum(award_amount) FROM raw_sbir_awards").fetchone()
        assert count == 30
        assert Decimal(str(total)) == sum(r["award_amount"] for r in records())
    else:
        assert result.backend == "jsonl"
        assert len(result.path.read_text(encoding="utf-8").splitlines()) == 30


def test_rewriting_replaces_instead_of_appending(tmp_path, monkeypatch):
    block_imports(monkeypatch, "duckdb")
    out = tmp_path / "out"
    write_records(records(), out, out / "sbir.duckdb", {})
    result = write_records(records()[:5], out, out / "sbir.duckdb", {})
    assert len(result.path.read_text(encoding="utf-8").splitlines()) == 5
