"""Writing processed awards: DuckDB when the driver is installed, JSONL otherwise.

The fallback keeps the pipeline runnable in an image built without third-party
packages (the offline test image); the summary JSON is written either way so
callers have one place to read counts and the validation outcome from.
"""

import json
import os
from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

from sbir_etl.schema import FIELD_TYPES, RECORD_FIELDS

TABLE = "raw_sbir_awards"
_DUCKDB_TYPES = {
    "str": "VARCHAR",
    "int": "INTEGER",
    "decimal": "DECIMAL(14, 4)",
    "date": "DATE",
    "bool": "BOOLEAN",
}


@dataclass(frozen=True)
class StoreResult:
    backend: str  # "duckdb" or "jsonl"
    path: Path
    summary_path: Path
    records: int


def write_records(records: list[dict[str, Any]], output_dir: Path, duckdb_path: Path,
                  summary: dict[str, Any]) -> StoreResult:
    output_dir.mkdir(parents=True, exist_ok=True)
    try:
        import duckdb  # optional: absent from the offline image
    except ImportError:
        backend, path = "jsonl", write_jsonl(records, output_dir / f"{TABLE}.jsonl")
    else:
        backend, path = "duckdb", write_duckdb(duckdb, records, duckdb_path)
    result = StoreResult(backend, path, output_dir / f"{TABLE}.summary.json", len(records))
    _write_atomically(result.summary_path, json.dumps(
        {
            "asset": TABLE,
            "backend": backend,
            "output": str(path),
            "records": len(records),
            "written_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            **summary,
        },
        indent=2,
        default=_json_value,
    ) + "\n")
    return result


def write_jsonl(records: list[dict[str, Any]], path: Path) -> Path:
    lines = (json.dumps(record, default=_json_value, ensure_ascii=False) for record in records)
    _write_atomically(path, "".join(line + "\n" for line in lines))
    return path


def write_duckdb(duckdb: Any, records: list[dict[str, Any]], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    columns = ", ".join(f"{name} {_DUCKDB_TYPES[FIELD_TYPES[name]]}" for name in RECORD_FIELDS)
    placeholders = ", ".join("?" for _ in RECORD_FIELDS)
    with duckdb.connect(str(path)) as connection:
        # Replace, not append: materializing the asset twice must not duplicate awards.
        connection.execute(f"CREATE OR REPLACE TABLE {TABLE} ({columns})")
        if records:
            connection.executemany(
                f"INSERT INTO {TABLE} VALUES ({placeholders})",
                [tuple(record[name] for name in RECORD_FIELDS) for record in records],
            )
    return path


def _write_atomically(path: Path, text: str) -> None:
    # A reader (or a crashed run) never sees a half-written file.
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


def _json_value(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"cannot serialize {type(value).__name__}")
