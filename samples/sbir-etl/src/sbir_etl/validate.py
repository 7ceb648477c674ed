"""Record- and dataset-level validation with the SBIR sample's thresholds.

Record rules reject a single award (unreadable values, no identity, values out
of range). Dataset rules decide whether the whole file may be loaded: a file
where too many records fail, or key fields are too often empty, points at a
broken export, and loading it would silently shrink the graph.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sbir_etl.schema import PROGRAMS

AMOUNT_RANGE = (Decimal(0), Decimal(5_000_000))
YEAR_RANGE = (1983, 2030)
PHASES = frozenset({"Phase I", "Phase II", "Phase III"})
MIN_PASS_RATE = 0.95
MIN_COMPLETENESS = 0.90
MIN_CONTRACT_UNIQUENESS = 0.99
# Share of records that must carry each field; their mean is the overall completeness.
REQUIRED_COMPLETENESS = {
    "award_id": 1.00,
    "company_name": 0.95,
    "award_amount": 0.90,
    "award_date": 0.95,
    "program": 0.98,
}


@dataclass
class ValidationReport:
    total: int
    passed_records: int
    completeness: dict[str, float]
    contract_uniqueness: float
    rejected: list[dict[str, Any]] = field(default_factory=list)
    threshold_failures: list[str] = field(default_factory=list)

    @property
    def pass_rate(self) -> float:
        return self.passed_records / self.total if self.total else 0.0

    @property
    def overall_completeness(self) -> float:
        return sum(self.completeness.values()) / len(self.completeness)

    @property
    def passed(self) -> bool:
        return not self.threshold_failures

    def as_dict(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "total": self.total,
            "passed_records": self.passed_records,
            "rejected_records": self.total - self.passed_records,
            "pass_rate": round(self.pass_rate, 4),
            "overall_completeness": round(self.overall_completeness, 4),
            "completeness": {name: round(value, 4) for name, value in self.completeness.items()},
            "contract_uniqueness": round(self.contract_uniqueness, 4),
            "threshold_failures": self.threshold_failures,
            "rejected": self.rejected,
        }


def record_errors(record: dict[str, Any], parse_problems: list[str]) -> list[str]:
    errors = list(parse_problems)
    if not record["award_id"]:
        errors.append("award_id: no Agency Tracking Number or Contract")
    if not record["company_name"]:
        errors.append("company_name: missing")
    amount = record["award_amount"]
    if amount is not None and not AMOUNT_RANGE[0] <= amount <= AMOUNT_RANGE[1]:
        errors.append(f"award_amount: {amount} outside {AMOUNT_RANGE[0]}..{AMOUNT_RANGE[1]}")
    year = record["award_year"]
    if year is not None and not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
        errors.append(f"award_year: {year} outside {YEAR_RANGE[0]}..{YEAR_RANGE[1]}")
    if record["program"] is not None and record["program"] not in PROGRAMS:
        errors.append(f"program: {record['program']!r} is not SBIR or STTR")
    if record["phase"] is not None and record["phase"] not in PHASES:
        errors.append(f"phase: {record['phase']!r} is not Phase I, II or III")
    return errors


def validate(normalized: list[tuple[dict[str, Any], list[str]]]) -> tuple[ValidationReport, list[dict]]:
    """Validate (record, parse problems) pairs; return the report and the good records."""
    good: list[dict[str, Any]] = []
    rejected: list[dict[str, Any]] = []
    for number, (record, problems) in enumerate(normalized, start=1):
        errors = record_errors(record, problems)
        if errors:
            rejected.append({"record": number, "award_id": record["award_id"], "errors": errors})
        else:
            good.append(record)

    records = [record for record, _ in normalized]
    report = ValidationReport(
        total=len(records),
        passed_records=len(good),
        completeness={name: _share_present(records, name) for name in REQUIRED_COMPLETENESS},
        contract_uniqueness=_uniqueness([r["contract"] for r in records if r["contract"]]),
        rejected=rejected,
    )
    report.threshold_failures = _threshold_failures(report)
    return report, good


def _threshold_failures(report: ValidationReport) -> list[str]:
    if report.total == 0:
        return ["no records: the file has a header but no awards"]
    failures = []
    if report.pass_rate < MIN_PASS_RATE:
        failures.append(f"pass rate {report.pass_rate:.4f} < {MIN_PASS_RATE}")
    if report.overall_completeness < MIN_COMPLETENESS:
        failures.append(f"completeness {report.overall_completeness:.4f} < {MIN_COMPLETENESS}")
    for name, minimum in REQUIRED_COMPLETENESS.items():
        if report.completeness[name] < minimum:
            failures.append(f"{name} completeness {report.completeness[name]:.4f} < {minimum}")
    if report.contract_uniqueness < MIN_CONTRACT_UNIQUENESS:
        failures.append(
            f"contract uniqueness {report.contract_uniqueness:.4f} < {MIN_CONTRACT_UNIQUENESS}"
        )
    return failures


def _share_present(records: list[dict[str, Any]], name: str) -> float:
    if not records:
        return 0.0
    return sum(1 for record in records if record[name] not in (None, "")) / len(records)


def _uniqueness(values: list[str]) -> float:
    return len(set(values)) / len(values) if values else 1.0
