"""The raw_sbir_awards materialization, shared by the CLI and the Dagster asset."""

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sbir_etl.config import LoadedConfig, with_derived_paths
from sbir_etl.extract import inspect_header, read_awards
from sbir_etl.jsonlog import JsonLogger
from sbir_etl.store import StoreResult, write_records
from sbir_etl.transform import normalize
from sbir_etl.validate import ValidationReport, validate

ASSET = "raw_sbir_awards"
INPUT_VARIABLE = "SBIR_ETL__PATHS__RAW_AWARDS"
MAX_LOGGED_REJECTIONS = 20


class InputMissing(FileNotFoundError):
    def __init__(self, path: Path) -> None:
        super().__init__(
            f"input file not found: {path}; pass --input PATH or set {INPUT_VARIABLE}"
        )
        self.path = path


@dataclass(frozen=True)
class RunPaths:
    input: Path
    output_dir: Path
    duckdb: Path


@dataclass
class RunResult:
    report: ValidationReport
    records: list[dict[str, Any]]
    stored: StoreResult | None  # None when validation stopped the run


def resolve_paths(config: LoadedConfig, input_path: Path | None = None,
                  output_dir: Path | None = None) -> RunPaths:
    """--input/--output-dir win over settings; settings win over data_dir defaults."""
    settings = with_derived_paths(config.settings)
    default_output = Path(settings["paths"]["data_dir"]) / "processed"
    return RunPaths(
        input=input_path or Path(settings["paths"]["raw_awards"]),
        output_dir=output_dir or default_output,
        duckdb=output_dir / "sbir.duckdb" if output_dir else Path(settings["duckdb"]["path"]),
    )


def materialize_raw_sbir_awards(paths: RunPaths, log: JsonLogger) -> RunResult:
    """Read, normalize and validate the awards file; store it if it passes.

    Raises InputMissing when the file is absent and extract.HeaderError when it
    is not an SBIR.gov export.
    """
    started = time.monotonic()
    if not paths.input.is_file():
        raise InputMissing(paths.input)
    log.info("materialize started", asset=ASSET, input=str(paths.input),
             output_dir=str(paths.output_dir))
    unexpected = inspect_header(paths.input)
    if unexpected:
        log.warning("ignoring columns SBIR.gov does not define", columns=unexpected)

    report, records = validate([normalize(row) for row in read_awards(paths.input)])
    _log_report(report, log)
    if not report.passed:
        log.error("validation below thresholds; nothing written", asset=ASSET,
                  failures=report.threshold_failures)
        return RunResult(report, records, None)

    summary = {"input": str(paths.input), "validation": report.as_dict()}
    stored = write_records(records, paths.output_dir, paths.duckdb, summary)
    if stored.backend == "jsonl":
        log.warning("duckdb is not installed; wrote JSON Lines instead", output=str(stored.path))
    log.info("materialize finished", asset=ASSET, backend=stored.backend,
             output=str(stored.path), summary=str(stored.summary_path),
             records_written=stored.records,
             duration_ms=round((time.monotonic() - started) * 1000))
    return RunResult(report, records, stored)


def _log_report(report: ValidationReport, log: JsonLogger) -> None:
    details = report.as_dict()
    details.pop("rejected")
    log.info("validation finished", asset=ASSET, **details)
    for rejection in report.rejected[:MAX_LOGGED_REJECTIONS]:
        log.warning("record rejected", **rejection)
    if len(report.rejected) > MAX_LOGGED_REJECTIONS:
        log.warning("more records rejected", count=len(report.rejected) - MAX_LOGGED_REJECTIONS)
