"""``python -m sbir_etl shell``: a Python prompt on what the pipeline wrote (the compose ``duckdb`` helper).

The pipeline stores its output with DuckDB when the driver is installed and as JSON Lines otherwise
(``store.write_records``), so the prompt opens whichever of the two is there:

- ``con``: a read-only DuckDB connection to ``duckdb.path``, when DuckDB is installed and the file
  exists (the real image);
- ``rows``: the records of ``raw_sbir_awards.jsonl`` as a list of dicts, when DuckDB is not installed
  (the offline twin, which has no third-party packages) or only the JSON Lines file exists.

Nothing materialized yet is ``NothingToOpen`` (the CLI exits 3); a DuckDB file without the driver
is said plainly rather than opened some other way.
"""

import json
from dataclasses import dataclass, field
from typing import Any, Callable

from sbir_etl.pipeline import RunPaths
from sbir_etl.store import TABLE


class NothingToOpen(FileNotFoundError):
    """No output of the pipeline where the settings say it goes."""


@dataclass
class OpenedOutput:
    namespace: dict[str, Any]
    banner: str
    close: Callable[[], None] = field(default=lambda: None)


def open_output(paths: RunPaths) -> OpenedOutput:
    jsonl = paths.output_dir / f"{TABLE}.jsonl"
    try:
        import duckdb  # optional: absent from the offline image
    except ImportError:
        duckdb = None

    if duckdb is not None and paths.duckdb.is_file():
        con = duckdb.connect(str(paths.duckdb), read_only=True)
        (count,) = con.execute(f"SELECT count(*) FROM {TABLE}").fetchone()
        banner = (f"con: read-only DuckDB connection to {paths.duckdb}; table {TABLE} has {count} rows.\n"
                  f"Try: con.sql('SELECT award_year, count(*) FROM {TABLE} GROUP BY 1 ORDER BY 1').show()")
        return OpenedOutput({"con": con, "duckdb": duckdb}, banner, con.close)

    if jsonl.is_file():
        with jsonl.open(encoding="utf-8") as handle:
            rows = [json.loads(line) for line in handle if line.strip()]
        why = ("DuckDB is not installed in this image, so the pipeline wrote JSON Lines"
               if duckdb is None else f"there is no {paths.duckdb.name}, only the JSON Lines output")
        banner = (f"{why}: rows holds the {len(rows)} records of {jsonl} (a list of dicts).\n"
                  "Try: sorted({r['award_year'] for r in rows})")
        return OpenedOutput({"rows": rows}, banner)

    if paths.duckdb.is_file():
        raise NothingToOpen(f"{paths.duckdb} exists, but DuckDB is not installed in this image, so it cannot be "
                            f"opened here; use an image with the real dependencies")
    raise NothingToOpen(f"nothing materialized yet in {paths.output_dir} (neither {paths.duckdb.name} nor "
                        f"{jsonl.name}); run the etl-runner first")
