"""Loading validated awards into Neo4j as (:Company)-[:RECEIVED]->(:Award).

The driver is imported only in ``open_driver`` so this module (and the tests of
its row building and batching) work without the neo4j package installed.
"""

import re
from decimal import Decimal
from typing import Any, Iterator

CONSTRAINTS = (
    "CREATE CONSTRAINT company_id IF NOT EXISTS FOR (c:Company) REQUIRE c.company_id IS UNIQUE",
    "CREATE CONSTRAINT award_id IF NOT EXISTS FOR (a:Award) REQUIRE a.award_id IS UNIQUE",
)

# MERGE on the keys only, then SET: re-running the load updates nodes in place.
LOAD_BATCH = """
UNWIND $rows AS row
MERGE (c:Company {company_id: row.company_id})
SET c.name = row.company_name, c.uei = row.uei, c.state = row.state
MERGE (a:Award {award_id: row.award_id})
SET a += row.award
MERGE (c)-[:RECEIVED]->(a)
"""

AWARD_PROPERTIES = (
    "award_title", "agency", "branch", "phase", "program", "contract", "award_date",
    "award_year", "award_amount", "topic_code", "solicitation_number",
)


def company_id(record: dict[str, Any]) -> str:
    """UEI when present; otherwise the normalized name, so that one company's
    awards still meet on one node in rows that predate UEIs."""
    if record.get("uei"):
        return f"uei:{record['uei'].upper()}"
    return "name:" + re.sub(r"\s+", " ", record["company_name"].strip().lower())


def graph_rows(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "company_id": company_id(record),
            "company_name": record["company_name"],
            "uei": record.get("uei"),
            "state": record.get("state"),
            "award_id": record["award_id"],
            "award": {name: _neo4j_value(record.get(name)) for name in AWARD_PROPERTIES},
        }
        for record in records
    ]


def batches(rows: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    if size < 1:
        raise ValueError("neo4j.batch_size must be at least 1")
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def load_award_graph(driver: Any, records: list[dict[str, Any]], database: str,
                     batch_size: int) -> dict[str, int]:
    rows = graph_rows(records)
    count = 0
    with driver.session(database=database) as session:
        for statement in CONSTRAINTS:
            session.run(statement).consume()
        for batch in batches(rows, batch_size):
            session.execute_write(lambda tx, batch=batch: tx.run(LOAD_BATCH, rows=batch).consume())
            count += 1
    return {
        "awards": len({row["award_id"] for row in rows}),
        "companies": len({row["company_id"] for row in rows}),
        "batches": count,
    }


def open_driver(neo4j_settings: dict[str, Any]) -> Any:
    from neo4j import GraphDatabase  # optional: only the graph asset needs it

    auth = (neo4j_settings["username"], neo4j_settings["password"])
    return GraphDatabase.driver(neo4j_settings["uri"], auth=auth)


def _neo4j_value(value: Any) -> Any:
    # Bolt has no decimal type; four-decimal amounts up to 5M are exact enough as floats.
    return float(value) if isinstance(value, Decimal) else value
