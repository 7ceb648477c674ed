from decimal import Decimal

import pytest

from conftest import FIXTURE
from sbir_etl.extract import RawRow, read_awards
from sbir_etl.transform import normalize
from sbir_etl.validate import validate


def run(rows):
    return validate([normalize(row) for row in rows])


@pytest.fixture
def normalized():
    return [normalize(row) for row in read_awards(FIXTURE)]


def test_the_sample_file_passes_every_threshold(normalized):
    report, good = validate(normalized)
    assert report.passed, report.threshold_failures
    assert report.total == len(good) == 30
    assert report.pass_rate == 1.0 and report.overall_completeness == 1.0
    assert report.contract_uniqueness == 1.0


@pytest.mark.parametrize(("amount", "ok"), [
    ("0.0000", True), ("5000000.0000", True), ("5000000.0001", False), ("-1.0000", False),
])
def test_award_amount_range(normalized, amount, ok):
    normalized[0][0]["award_amount"] = Decimal(amount)
    report, good = validate(normalized)
    assert (len(good) == 30) is ok
    if not ok:
        assert "award_amount" in report.rejected[0]["errors"][0]


@pytest.mark.parametrize(("year", "ok"), [(1983, True), (2030, True), (1982, False), (2031, False)])
def test_award_year_range(normalized, year, ok):
    normalized[0][0]["award_year"] = year
    _, good = validate(normalized)
    assert (len(good) == 30) is ok


def test_pass_rate_threshold_is_95_percent(normalized):
    normalized[0][0]["program"] = "SBIRR"  # 29/30 = 0.967 still passes
    report, _ = validate(normalized)
    assert report.passed and report.passed_records == 29

    normalized[1][0]["phase"] = "Phase IV"  # 28/30 = 0.933 fails
    report, good = validate(normalized)
    assert not report.passed
    assert report.threshold_failures == ["pass rate 0.9333 < 0.95"]
    assert len(good) == 28  # the good records are still returned


def test_every_record_needs_an_award_id(normalized):
    normalized[3][0]["award_id"] = None
    report, _ = validate(normalized)
    assert "award_id completeness 0.9667 < 1.0" in report.threshold_failures
    assert report.rejected[0]["record"] == 4


def test_field_completeness_thresholds(normalized):
    for record, _ in normalized[:2]:
        record["award_date"] = None  # 28/30 < 0.95; dates are not required per record
    report, good = validate(normalized)
    assert len(good) == 30
    assert report.threshold_failures == ["award_date completeness 0.9333 < 0.95"]


def test_overall_completeness_threshold(normalized):
    for record, _ in normalized[:4]:
        record["award_amount"] = None
        record["award_date"] = None
    report, _ = validate(normalized)
    # award_amount 26/30 = 0.867 and award_date 0.867; mean over five fields 0.9467 >= 0.90
    assert not any(f.startswith("completeness") for f in report.threshold_failures)
    for record, _ in normalized[:8]:
        record["award_amount"] = None
        record["award_date"] = None
        record["program"] = None
    report, _ = validate(normalized)
    assert "completeness 0.8400 < 0.9" in report.threshold_failures


def test_contract_uniqueness_threshold(normalized):
    normalized[1][0]["contract"] = normalized[0][0]["contract"]
    report, _ = validate(normalized)
    assert report.threshold_failures == ["contract uniqueness 0.9667 < 0.99"]


def test_unreadable_values_reject_the_record(fixture_rows):
    values = dict(fixture_rows[0], **{"Award Amount": "n/a"})
    report, good = run([RawRow(1, values)])
    assert good == []
    assert report.rejected[0]["errors"] == ["award_amount: cannot read 'n/a' as decimal"]


def test_an_empty_file_fails():
    report, good = validate([])
    assert good == [] and not report.passed
    assert report.threshold_failures == ["no records: the file has a header but no awards"]
