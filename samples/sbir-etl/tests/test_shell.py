"""python -m sbir_etl shell: opens what the pipeline wrote, DuckDB or JSON Lines, and says which."""

import io
import json

from conftest import FIXTURE, block_imports
from sbir_etl.cli import main


def materialize(tmp_path) -> None:
    assert main(["materialize", "raw_sbir_awards", "--input", str(FIXTURE), "--output-dir",
                 str(tmp_path / "processed")], {}) == 0


def test_without_duckdb_the_prompt_holds_the_json_lines_rows(tmp_path, monkeypatch, capsys):
    block_imports(monkeypatch, "duckdb")
    materialize(tmp_path)
    capsys.readouterr()
    monkeypatch.setattr("sys.stdin", io.StringIO("print('count', len(rows), rows[0]['award_year'])\n"))

    assert main(["shell", "--output-dir", str(tmp_path / "processed")], {}) == 0

    # The banner goes to stderr (code.interact), what the prompt prints to stdout.
    captured = capsys.readouterr()
    out = captured.err + captured.out
    assert "DuckDB is not installed in this image, so the pipeline wrote JSON Lines" in out
    assert "rows holds the 30 records of" in out
    first = json.loads((tmp_path / "processed" / "raw_sbir_awards.jsonl").read_text().splitlines()[0])
    assert f"count 30 {first['award_year']}" in out


def test_nothing_materialized_exits_3_naming_the_folder(tmp_path, monkeypatch, capsys):
    block_imports(monkeypatch, "duckdb")
    assert main(["shell", "--output-dir", str(tmp_path / "empty")], {}) == 3
    (line,) = [json.loads(x) for x in capsys.readouterr().err.splitlines()]
    assert line["level"] == "error" and "run the etl-runner first" in line["msg"]
    assert line["output_dir"] == str(tmp_path / "empty")


def test_a_duckdb_file_without_the_driver_is_said_plainly(tmp_path, monkeypatch, capsys):
    block_imports(monkeypatch, "duckdb")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "sbir.duckdb").write_bytes(b"")
    assert main(["shell", "--output-dir", str(tmp_path / "out")], {}) == 3
    assert "DuckDB is not installed in this image" in capsys.readouterr().err
