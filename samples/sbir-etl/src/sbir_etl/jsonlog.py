"""One-JSON-object-per-line logging, the format the container entrypoints expect.

A hand-rolled emitter instead of the logging module: every line must be a
complete JSON document with fixed keys (ts, level, service, msg) plus fields,
and nothing else may ever reach the stream.
"""

import json
import sys
from datetime import datetime, timezone
from typing import Any, TextIO

SERVICE = "etl-runner"
LEVELS = {"DEBUG": 10, "INFO": 20, "WARNING": 30, "ERROR": 40}


class JsonLogger:
    def __init__(self, level: str = "INFO", stream: TextIO | None = None) -> None:
        self.threshold = LEVELS.get(str(level).upper(), LEVELS["INFO"])
        # Resolved at write time so pytest's capsys and redirected stdout both work.
        self._stream = stream

    def log(self, level: str, msg: str, **fields: Any) -> None:
        if LEVELS[level] < self.threshold:
            return
        record = {
            "ts": datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": level.lower(),
            "service": SERVICE,
            "msg": msg,
            **fields,
        }
        stream = self._stream or sys.stdout
        stream.write(json.dumps(record, default=str, sort_keys=False) + "\n")
        stream.flush()

    def debug(self, msg: str, **fields: Any) -> None:
        self.log("DEBUG", msg, **fields)

    def info(self, msg: str, **fields: Any) -> None:
        self.log("INFO", msg, **fields)

    def warning(self, msg: str, **fields: Any) -> None:
        self.log("WARNING", msg, **fields)

    def error(self, msg: str, **fields: Any) -> None:
        self.log("ERROR", msg, **fields)
