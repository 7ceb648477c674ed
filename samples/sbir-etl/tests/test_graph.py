from decimal import Decimal

import pytest

from conftest import FIXTURE
from sbir_etl.extract import read_awards
from sbir_etl.graph import CONSTRAINTS, LOAD_BATCH, batches, company_id, graph_rows, load_award_graph
from sbir_etl.transform import normalize


class FakeResult:
    def consume(self):
        return None


class FakeSession:
    """Records what the loader sends; stands in for neo4j.Session."""

    def __init__(self, calls):
        self.calls = calls

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def run(self, query, **parameters):
        self.calls.append((query, parameters))
        return FakeResult()

    def execute_write(self, work):
        return work(self)  # the session doubles as the transaction


class FakeDriver:
    def __init__(self):
        self.calls = []
        self.database = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def session(self, database):
        self.database = database
        return FakeSession(self.calls)


def records():
    return [normalize(row)[0] for row in read_awards(FIXTURE)]


def test_company_id_prefers_the_uei():
    assert company_id({"uei": "ab12cd34ef56", "company_name": "X"}) == "uei:AB12CD34EF56"
    assert company_id({"uei": None, "company_name": "  Blue   Mesa Robotics "}) == \
        "name:blue mesa robotics"


def test_rows_carry_bolt_friendly_values():
    row = graph_rows(records())[0]
    assert row["award_id"] == "AF15-0101"
    assert isinstance(row["award"]["award_amount"], float)
    assert not any(isinstance(value, Decimal) for value in row["award"].values())


def test_batches():
    assert [len(b) for b in batches(list(range(7)), 3)] == [3, 3, 1]
    with pytest.raises(ValueError):
        list(batches([1], 0))


def test_load_creates_constraints_then_merges_in_batches():
    driver = FakeDriver()
    stats = load_award_graph(driver, records(), "neo4j", batch_size=8)

    assert driver.database == "neo4j"
    queries = [query for query, _ in driver.calls]
    assert queries[:2] == list(CONSTRAINTS)
    assert queries[2:] == [LOAD_BATCH] * 4  # 30 awards in batches of 8
    assert sum(len(params["rows"]) for _, params in driver.calls[2:]) == 30
    assert stats == {"awards": 30, "companies": 12, "batches": 4}
