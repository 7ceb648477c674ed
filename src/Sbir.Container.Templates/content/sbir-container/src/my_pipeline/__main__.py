"""Command line: python -m my_pipeline run | serve | check."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
from pathlib import Path

from my_pipeline import pipeline


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="my_pipeline", description=__doc__)
    parser.add_argument("command", choices=["run", "serve", "check"], nargs="?", default="run",
                        help="run once, run every PIPELINE_INTERVAL seconds until stopped, or check the installation")
    args = parser.parse_args(argv)

    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "info").upper(),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    data_dir = Path(os.environ.get("PIPELINE_DATA_DIR", "data"))

    if args.command == "check":
        # The health check: the package imports (it just did) and the data folder is writable.
        return 0 if os.access(data_dir, os.W_OK) else 1

    if args.command == "run":
        print(pipeline.run(data_dir))
        return 0

    # serve: one run now, then one every PIPELINE_INTERVAL seconds; SIGTERM ends it between runs.
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    interval = float(os.environ.get("PIPELINE_INTERVAL", "60"))
    while not stop.is_set():
        pipeline.run(data_dir)
        stop.wait(interval)
    return 0


if __name__ == "__main__":
    sys.exit(main())
