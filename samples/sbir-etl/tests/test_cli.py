"""The CLI contract: JSON log lines on stdout and the documented exit codes."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURE, SRC
from sbir_etl import __version__
from sbir_etl.cli import main

ASSET = ["materialize", "raw_sbir_awards"]


def json_lines(text: str) -> list[dict]:
    records = [json.loads(line) for line in text.splitlines()]
    for record in records:
        assert {"ts", "level", "service", "msg"} <= set(record)
        assert record["service"] == "etl-runner"
    return records


def run_module(*args: str, env: dict[str, str] | None = None,
               cwd: Path | None = None) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("SBIR_ETL")}
    environ.update(PYTHONPATH=str(SRC), **(env or {}))
    return subprocess.run([sys.executable, "-m", "sbir_etl", *args], capture_output=True,
                          text=True, env=environ, cwd=cwd, timeout=60)


def test_version():
    result = run_module("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"sbir-etl {__version__}"


def test_materialize_succeeds_and_logs_json_lines(tmp_path):
    out = tmp_path / "processed"
    result = run_module(*ASSET, "--input", str(FIXTURE), "--output-dir", str(out), cwd=tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr
    lines = json_lines(result.stdout)
    finished = lines[-1]
    assert finished["msg"] == "materialize finished" and finished["records_written"] == 30
    assert Path(finished["output"]).exists()
    assert (out / "raw_sbir_awards.summary.json").exists()


def test_runs_with_the_standard_library_only(tmp_path):
    """The offline image has no third-party packages: importing and running the
    CLI must not need any of them."""
    blocker = ("import sys\n"
               "for name in ('duckdb', 'dagster', 'neo4j', 'yaml'): sys.modules[name] = None\n"
               "from sbir_etl.cli import main\n"
               f"sys.exit(main({ASSET + ['--input', str(FIXTURE), '--output-dir', 'out']!r}))\n")
    environ = {k: v for k, v in os.environ.items() if not k.startswith("SBIR_ETL")}
    result = subprocess.run([sys.executable, "-c", blocker], capture_output=True, text=True,
                            env={**environ, "PYTHONPATH": str(SRC)}, cwd=tmp_path, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "out" / "raw_sbir_awards.jsonl").exists()
    assert any(line["msg"].startswith("duckdb is not installed") for line in json_lines(result.stdout))


def test_missing_input_exits_3_and_names_the_variable(tmp_path, capsys):
    code = main(ASSET, {"SBIR_ETL__PATHS__DATA_DIR": str(tmp_path / "nowhere")})
    assert code == 3
    (line,) = json_lines(capsys.readouterr().out)
    expected = tmp_path / "nowhere" / "raw" / "sbir" / "award_data.csv"
    assert line["level"] == "error" and line["path"] == str(expected)
    assert str(expected) in line["msg"] and "SBIR_ETL__PATHS__RAW_AWARDS" in line["msg"]


def test_input_from_the_environment_and_default_output(tmp_path, capsys):
    code = main(ASSET, {"SBIR_ETL__PATHS__RAW_AWARDS": str(FIXTURE),
                        "SBIR_ETL__PATHS__DATA_DIR": str(tmp_path / "data")})
    assert code == 0
    finished = json_lines(capsys.readouterr().out)[-1]
    assert Path(finished["output"]).parent == tmp_path / "data" / "processed"


def test_validation_failure_exits_1_and_writes_nothing(tmp_path, capsys, write_awards, fixture_rows):
    for row in fixture_rows[:3]:
        row["Award Year"] = "1975"
    path = write_awards(fixture_rows)
    code = main([*ASSET, "--input", str(path), "--output-dir", str(tmp_path / "out")], {})
    assert code == 1
    lines = json_lines(capsys.readouterr().out)
    assert [line["msg"] for line in lines].count("record rejected") == 3
    assert lines[-1]["level"] == "error" and lines[-1]["failures"] == ["pass rate 0.9000 < 0.95"]
    assert not (tmp_path / "out").exists()


def test_a_file_that_is_not_an_sbir_export_exits_1(tmp_path, capsys):
    path = tmp_path / "other.csv"
    path.write_text("id,name\n1,x\n", encoding="utf-8")
    assert main([*ASSET, "--input", str(path)], {}) == 1
    assert json_lines(capsys.readouterr().out)[-1]["msg"] == "not an SBIR.gov awards file"


@pytest.mark.parametrize("argv", [
    [], ["materialize"], ["materialize", "other_asset"], [*ASSET, "--bogus"], ["unknown"],
])
def test_usage_errors_exit_2(argv, capsys):
    assert main(argv, {}) == 2
    assert "usage:" in capsys.readouterr().err


def test_configuration_errors_exit_2(capsys):
    assert main(ASSET, {"SBIR_ETL__NEO4J__BATCH_SIZE": "many"}) == 2
    (line,) = json_lines(capsys.readouterr().out)
    assert line["msg"] == "invalid configuration" and "expected int" in line["error"]


@pytest.mark.parametrize("command", ["config", "check-config"])
def test_config_prints_masked_json_and_warns_about_unknown_keys(command):
    result = run_module(command, env={
        "SBIR_ETL__NEO4J__PASSWORD": "s3cret",
        "SBIR_ETL__NEO4J__BOLT_URL": "bolt://neo4j:7687",
    })
    assert result.returncode == 0
    effective = json.loads(result.stdout)  # stdout is exactly one JSON document
    assert effective["neo4j"]["password"] == "***"
    assert set(effective) == {"neo4j", "duckdb", "paths", "pipeline", "dagster"}
    assert "s3cret" not in result.stdout + result.stderr
    (warning,) = json_lines(result.stderr)
    assert warning["level"] == "warning" and warning["keys"] == ["SBIR_ETL__NEO4J__BOLT_URL"]


def test_log_level_filters_lines(capsys):
    code = main([*ASSET, "--input", str(FIXTURE), "--output-dir", "out"],
                {"SBIR_ETL__PIPELINE__LOG_LEVEL": "error"})
    assert code == 0
    assert capsys.readouterr().out == ""
