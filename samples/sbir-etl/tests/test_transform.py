from datetime import date
from decimal import Decimal

from conftest import FIXTURE
from sbir_etl.extract import RawRow, read_awards
from sbir_etl.schema import HEADER, RECORD_FIELDS
from sbir_etl.transform import normalize


def raw(**values: str) -> RawRow:
    row = dict.fromkeys(HEADER, "")
    row.update(values)
    return RawRow(1, row)


def test_records_are_snake_case_and_typed():
    first = next(read_awards(FIXTURE))
    record, problems = normalize(first)

    assert problems == []
    assert tuple(record) == RECORD_FIELDS
    assert record["award_id"] == "AF15-0101"
    assert record["company_name"] == "Aurora Photonics LLC"
    assert record["award_amount"] == Decimal("197000.0000")
    assert record["award_date"] == date(2015, 1, 1)
    assert record["award_year"] == 2015 and record["solicitation_year"] == 2014
    assert record["hubzone_owned"] is False and record["number_employees"] == 5
    assert record["ri_name"] is None  # empty strings become None


def test_award_id_falls_back_to_the_contract():
    record, _ = normalize(raw(Contract="N2020C00042"))
    assert record["award_id"] == "N2020C00042"
    record, _ = normalize(raw(**{"Agency Tracking Number": "A20-1", "Contract": "W911"}))
    assert record["award_id"] == "A20-1"
    record, _ = normalize(raw())
    assert record["award_id"] is None


def test_unreadable_values_become_none_with_a_reason():
    record, problems = normalize(raw(**{
        "Proposal Award Date": "2020-13-45",
        "Award Amount": "lots",
        "Woman Owned": "maybe",
        "Award Year": "20x0",
    }))
    assert record["award_date"] is None and record["award_amount"] is None
    assert len(problems) == 4
    assert any(problem.startswith("award_date:") for problem in problems)


def test_us_dates_thousands_separators_and_flags():
    record, problems = normalize(raw(**{
        "Proposal Award Date": "07/04/2021",
        "Award Amount": "$1,250,000.0000",
        "HUBZone Owned": "yes",
        "Number Employees": "1,200",
    }))
    assert problems == []
    assert record["award_date"] == date(2021, 7, 4)
    assert record["award_amount"] == Decimal("1250000.0000")
    assert record["hubzone_owned"] is True and record["number_employees"] == 1200


def test_malformed_rows_carry_their_problem():
    _, problems = normalize(RawRow(3, dict.fromkeys(HEADER, ""), "fewer fields than the header"))
    assert problems == ["fewer fields than the header"]
