import csv

import pytest

from conftest import FIXTURE
from sbir_etl.extract import HeaderError, inspect_header, read_awards
from sbir_etl.schema import HEADER


def test_fixture_has_the_exact_sbir_gov_header():
    with FIXTURE.open(newline="", encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    assert header == list(HEADER)
    assert len(header) == 42
    assert inspect_header(FIXTURE) == []


def test_reads_records_not_lines_and_keeps_the_multiline_abstract():
    rows = list(read_awards(FIXTURE))
    physical_lines = FIXTURE.read_text(encoding="utf-8").count("\n")

    assert len(rows) == 30
    assert physical_lines > len(rows) + 1  # the quoted Abstract spans lines
    multiline = [row for row in rows if "\n" in row.values["Abstract"]]
    assert len(multiline) == 1
    abstract = multiline[0].values["Abstract"]
    assert abstract.startswith("Objective:") and abstract.endswith("lower cost.")
    assert '"fewer"' in abstract  # doubled quotes are unescaped
    assert abstract.count("\n") == 3
    # The record after the multi-line one is intact: the reader re-synchronised.
    following = rows[rows.index(multiline[0]) + 1]
    assert following.values["Company"] and following.malformed is None


def test_missing_columns_are_named(write_awards, fixture_rows):
    header = tuple(column for column in HEADER if column not in ("Award Amount", "UEI"))
    path = write_awards(fixture_rows, header=header)
    with pytest.raises(HeaderError, match="Award Amount, UEI"):
        inspect_header(path)
    with pytest.raises(HeaderError):
        list(read_awards(path))


def test_empty_file_is_a_header_error(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("", encoding="utf-8")
    with pytest.raises(HeaderError, match="empty"):
        inspect_header(path)


def test_unexpected_columns_are_reported_and_ignored(write_awards, fixture_rows):
    rows = [dict(row, Notes="extra") for row in fixture_rows]
    path = write_awards(rows, header=HEADER + ("Notes",))
    assert inspect_header(path) == ["Notes"]
    assert all("Notes" not in row.values for row in read_awards(path))


def test_wrong_field_counts_are_flagged(tmp_path):
    good = ",".join(["x"] * 42)
    path = tmp_path / "ragged.csv"
    path.write_text(
        ",".join(f'"{h}"' for h in HEADER) + "\n" + good + ",surplus\n" + ",".join(["y"] * 40) + "\n",
        encoding="utf-8",
    )
    long_row, short_row = read_awards(path)
    assert long_row.malformed == "1 more field(s) than the header"
    assert short_row.malformed == "fewer fields than the header"
    assert short_row.values["RI POC Phone"] == ""


def test_a_byte_order_mark_is_tolerated(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + FIXTURE.read_bytes())
    assert inspect_header(path) == []
    assert len(list(read_awards(path))) == 30
