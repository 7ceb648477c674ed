"""The Dagster code location (``[tool.dagster] module_name`` in pyproject.toml).

Only Dagster processes (webserver, daemon, ``dagster asset materialize``) load
this module, so it is the one place that imports dagster at module level; the
CLI and the tests of the pipeline never import it.
"""

from typing import Any

from dagster import (
    AssetExecutionContext,
    AssetSelection,
    Definitions,
    Failure,
    MetadataValue,
    asset,
    define_asset_job,
)

from sbir_etl.config import LoadedConfig, load_config
from sbir_etl.graph import load_award_graph, open_driver
from sbir_etl.jsonlog import JsonLogger
from sbir_etl.pipeline import materialize_raw_sbir_awards, resolve_paths


def _config(context: AssetExecutionContext) -> LoadedConfig:
    config = load_config()
    if config.unknown_keys:
        context.log.warning("ignoring unknown settings: " + ", ".join(config.unknown_keys))
    return config


@asset(group_name="sbir", description="SBIR.gov awards, validated and stored in DuckDB "
                                       "(JSON Lines when DuckDB is not installed).")
def raw_sbir_awards(context: AssetExecutionContext) -> list[dict[str, Any]]:
    config = _config(context)
    log = JsonLogger(config.get("pipeline.log_level"))
    result = materialize_raw_sbir_awards(resolve_paths(config), log)
    report = result.report.as_dict()
    if result.stored is None:
        raise Failure(
            description="validation below thresholds: " + "; ".join(report["threshold_failures"]),
            metadata={"validation": MetadataValue.json({k: v for k, v in report.items() if k != "rejected"})},
        )
    context.add_output_metadata({
        "records": result.stored.records,
        "backend": result.stored.backend,
        "output": MetadataValue.path(str(result.stored.path)),
        "pass_rate": report["pass_rate"],
    })
    return result.records


@asset(group_name="sbir", description="Companies and their awards in Neo4j: "
                                       "(:Company)-[:RECEIVED]->(:Award).")
def neo4j_award_graph(context: AssetExecutionContext,
                      raw_sbir_awards: list[dict[str, Any]]) -> None:
    neo4j = _config(context).settings["neo4j"]
    with open_driver(neo4j) as driver:
        stats = load_award_graph(driver, raw_sbir_awards, neo4j["database"], neo4j["batch_size"])
    context.add_output_metadata(stats)


sbir_etl_job = define_asset_job("sbir_etl_job", selection=AssetSelection.all())

defs = Definitions(assets=[raw_sbir_awards, neo4j_award_graph], jobs=[sbir_etl_job])
