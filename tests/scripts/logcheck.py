#!/usr/bin/env python3
"""JSON-log assertions for tests/scripts/run.sh. Exit 0 when the check holds, 1 (with a reason) when not.

    logcheck.py valid FILE            every line is one JSON object with ts (UTC RFC 3339), level, service, msg
    logcheck.py levels FILE           prints the levels, space-separated
    logcheck.py field FILE KEY        prints KEY of the last line that has it
    logcheck.py equals FILE KEY VAR   KEY of the last line that has it equals os.environ[VAR] exactly
    logcheck.py argv FILE             prints a NUL-separated argv file as a JSON list
"""
import json
import os
import re
import sys

TS = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
LEVELS = {"debug", "info", "warning", "error"}


def records(path):
    with open(path, "rb") as f:
        raw = f.read()
    lines = raw.split(b"\n")
    if lines[-1] == b"":
        lines.pop()  # the final newline, or an empty file
    out = []
    for n, line in enumerate(lines, 1):
        try:
            obj = json.loads(line.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            sys.exit(f"line {n} is not JSON ({e}): {line[:200]!r}")
        if not isinstance(obj, dict):
            sys.exit(f"line {n} is not a JSON object: {line[:200]!r}")
        out.append((n, obj))
    return out


def last_with(path, key):
    found = [obj for _, obj in records(path) if key in obj]
    if not found:
        sys.exit(f"no log line has key {key!r}")
    return found[-1][key]


def main(argv):
    cmd, path = argv[1], argv[2]
    if cmd == "valid":
        recs = records(path)
        if not recs:
            sys.exit("no log lines at all")
        for n, obj in recs:
            for key in ("ts", "level", "service", "msg"):
                if key not in obj:
                    sys.exit(f"line {n} lacks {key!r}: {obj}")
            if not TS.fullmatch(obj["ts"]):
                sys.exit(f"line {n}: ts {obj['ts']!r} is not UTC RFC 3339")
            if obj["level"] not in LEVELS:
                sys.exit(f"line {n}: unknown level {obj['level']!r}")
            if list(obj)[:4] != ["ts", "level", "service", "msg"]:
                sys.exit(f"line {n}: fields out of order: {list(obj)}")
    elif cmd == "levels":
        print(" ".join(obj["level"] for _, obj in records(path)))
    elif cmd == "field":
        print(last_with(path, argv[3]))
    elif cmd == "equals":
        got, want = last_with(path, argv[3]), os.environ[argv[4]]
        if got != want:
            sys.exit(f"{argv[3]}: got {got!r}, want {want!r}")
    elif cmd == "argv":
        with open(path, "rb") as f:
            print(json.dumps([a.decode() for a in f.read().split(b"\0")[:-1]]))
    else:
        sys.exit(f"unknown command {cmd!r}")


if __name__ == "__main__":
    main(sys.argv)
