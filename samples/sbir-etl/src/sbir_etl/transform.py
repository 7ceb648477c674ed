"""Turning raw CSV strings into typed, snake_case award records."""

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sbir_etl.extract import RawRow
from sbir_etl.schema import COLUMNS

# SBIR.gov exports ISO dates; older extracts and hand-edited files use US dates.
_DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y")
_FLAGS = {"Y": True, "YES": True, "N": False, "NO": False}


def normalize(row: RawRow) -> tuple[dict[str, Any], list[str]]:
    """Return the typed record and the parse problems found on the way.

    A value that does not parse becomes None and is reported, so validation
    can reject the record with a reason instead of the pipeline crashing.
    """
    record: dict[str, Any] = {}
    problems: list[str] = [row.malformed] if row.malformed else []
    for column, field, kind in COLUMNS:
        text = row.values[column]
        try:
            record[field] = _parse(text, kind)
        except ValueError:
            record[field] = None
            problems.append(f"{field}: cannot read {text!r} as {kind}")
    record = {"award_id": award_id(record), **record}
    return record, problems


def award_id(record: dict[str, Any]) -> str | None:
    """The agency's tracking number identifies an award; older rows only carry
    the contract number, so it is the fallback."""
    return record.get("agency_tracking_number") or record.get("contract") or None


def _parse(text: str, kind: str) -> Any:
    if text == "":
        return None
    if kind == "str":
        return re.sub(r"\r\n?", "\n", text)
    if kind == "int":
        return int(text.replace(",", ""))
    if kind == "decimal":
        return _decimal(text)
    if kind == "date":
        return _date(text)
    if kind == "bool":
        return _flag(text)
    raise AssertionError(f"unknown column type {kind}")


def _decimal(text: str) -> Decimal:
    try:
        value = Decimal(text.replace(",", "").lstrip("$"))
    except InvalidOperation:
        raise ValueError(text) from None
    if not value.is_finite():
        raise ValueError(text)
    return value


def _date(text: str) -> date:
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def _flag(text: str) -> bool:
    try:
        return _FLAGS[text.upper()]
    except KeyError:
        raise ValueError(text) from None
