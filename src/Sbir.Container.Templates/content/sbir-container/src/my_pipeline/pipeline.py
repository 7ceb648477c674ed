"""The pipeline's steps: read records, keep the valid ones, summarise them. Replace with your own."""

from __future__ import annotations

import csv
import json
import logging
from pathlib import Path

log = logging.getLogger("my_pipeline")

# Used when the data folder has no input.csv yet, so that a fresh container has something to run on.
SAMPLE_ROWS = [
    {"id": "1", "amount": "150000"},
    {"id": "2", "amount": "not a number"},
    {"id": "3", "amount": "99500.5"},
]


def read_rows(path: Path) -> list[dict[str, str]]:
    """The rows of a CSV file with a header line, or the sample rows when it does not exist."""
    if not path.exists():
        log.info("no %s; using the built-in sample rows", path)
        return [dict(row) for row in SAMPLE_ROWS]
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def transform(rows: list[dict[str, str]]) -> list[dict[str, object]]:
    """Rows whose amount is a number, with the amount as a float."""
    kept: list[dict[str, object]] = []
    for row in rows:
        try:
            kept.append({**row, "amount": float(row.get("amount", ""))})
        except ValueError:
            log.warning("row %s skipped: amount %r is not a number", row.get("id"), row.get("amount"))
    return kept


def summarise(rows: list[dict[str, object]]) -> dict[str, object]:
    """How many rows, and the total amount."""
    return {"records": len(rows), "total": round(sum(float(r["amount"]) for r in rows), 2)}


def run(data_dir: Path) -> dict[str, object]:
    """One run: data_dir/input.csv in, data_dir/summary.json out; returns the summary."""
    summary = summarise(transform(read_rows(data_dir / "input.csv")))
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "summary.json").write_text(json.dumps(summary) + "\n", encoding="utf-8")
    log.info("summary: %s", summary)
    return summary
