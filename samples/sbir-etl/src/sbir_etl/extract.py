"""Reading the SBIR.gov awards CSV.

The file is one comma-separated, double-quoted CSV whose Abstract column holds
embedded newlines, so records are read with the csv module (never line by line)
and numbered by record, not by physical line.
"""

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from sbir_etl.schema import HEADER


class HeaderError(ValueError):
    """The file is not an SBIR.gov awards export (columns missing)."""


@dataclass(frozen=True)
class RawRow:
    number: int  # 1-based record number, header excluded
    values: dict[str, str]
    malformed: str | None = None  # why the record's field count is wrong, if it is


def inspect_header(path: Path) -> list[str]:
    """Check the header row; return the columns SBIR.gov does not define."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return check_header(next(csv.reader(handle), None))


def check_header(fieldnames: list[str] | None) -> list[str]:
    """Raise HeaderError if a required column is missing; return unexpected ones."""
    if not fieldnames:
        raise HeaderError("the file is empty: no header row")
    missing = [column for column in HEADER if column not in fieldnames]
    if missing:
        raise HeaderError(f"missing {len(missing)} of {len(HEADER)} columns: {', '.join(missing)}")
    return [column for column in fieldnames if column not in HEADER]


def read_awards(path: Path) -> Iterator[RawRow]:
    """Yield the file's records; ``check_header`` must have accepted its header."""
    # utf-8-sig: exports saved through spreadsheet tools often gain a BOM.
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        check_header(reader.fieldnames)
        for number, row in enumerate(reader, start=1):
            yield RawRow(number, {column: (row[column] or "").strip() for column in HEADER},
                         _field_count_problem(row))


def _field_count_problem(row: dict) -> str | None:
    # DictReader files surplus values under the key None and pads short rows with None.
    if row.get(None):
        return f"{len(row[None])} more field(s) than the header"
    if any(value is None for key, value in row.items() if key is not None):
        return "fewer fields than the header"
    return None
