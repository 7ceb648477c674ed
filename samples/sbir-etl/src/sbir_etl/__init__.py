"""SBIR/STTR awards ETL: the Python application of the Sbir.Container.Sdk sample.

Importing this package (and every module except ``definitions``) needs only the
standard library, so the CLI runs in an image that has no third-party packages;
DuckDB, Neo4j, Dagster and PyYAML are imported where they are used.
"""

__version__ = "0.1.0"
