"""STAND-IN for the watchfiles package: NOT watchfiles.

The real image has watchfiles (dagster-webserver depends on uvicorn[standard], which pulls it in), and
the sample's reload.py uses it when it imports. It cannot be installed on the test machines (no PyPI),
so this package takes its place in the Dagster stand-in image, with the part of its API reload.py
calls, accepting what the real one accepts and refusing what it refuses (github.com/samuelcolvin/
watchfiles, 1.1: watchfiles/main.py and src/lib.rs):

  watch(*paths, watch_filter=..., debounce=1600, step=50, stop_event=None, rust_timeout=5000,
        yield_on_timeout=False, debug=False, raise_interrupt=True, force_polling=None,
        poll_delay_ms=300, recursive=True)
                   keyword arguments only after the paths, no others (a TypeError otherwise, as Python
                   raises for the real signature); a path that does not exist is FileNotFoundError when
                   the generator starts (RustNotify's constructor); directories are watched recursively
  yields           sets of (Change, path) after watch_filter(change, path) kept them, once no new change
                   came for `step` ms (at most `debounce` ms after the first); an empty set after
                   `rust_timeout` ms without one when yield_on_timeout (0: no timeout); it returns when
                   stop_event.is_set()
  Change           IntEnum added=1, modified=2, deleted=3

What it does instead of the real thing: it scans the paths every `step` ms (the real one gets inotify
events from the Rust notify crate). STANDIN_WATCHFILES_ABSENT=1 makes the import fail as it does where
watchfiles is not installed (ModuleNotFoundError), so a test can take reload.py's other path.
"""

import os
import time
from enum import IntEnum

if os.environ.get("STANDIN_WATCHFILES_ABSENT") == "1":
    raise ModuleNotFoundError("No module named 'watchfiles'", name="watchfiles")

__version__ = "1.1.1-standin"
__all__ = ("watch", "Change")


class Change(IntEnum):
    added = 1
    modified = 2
    deleted = 3


def _default_filter(change, path):
    # DefaultFilter ignores caches, VCS folders and editor files; reload.py always passes its own filter.
    parts = path.split(os.sep)
    return not any(p in ("__pycache__", ".git", ".hg", ".svn", ".mypy_cache", ".pytest_cache") for p in parts)


def _scan(paths, recursive):
    files = {}
    for top in paths:
        if os.path.isfile(top):
            st = os.stat(top)
            files[top] = (st.st_mtime_ns, st.st_size, st.st_ino)
            continue
        for root, dirs, names in os.walk(top):
            if not recursive:
                dirs[:] = []
            for name in names:
                path = os.path.join(root, name)
                try:
                    st = os.stat(path)
                except OSError:
                    continue
                files[path] = (st.st_mtime_ns, st.st_size, st.st_ino)
    return files


def _diff(before, after):
    changes = set()
    for path in before.keys() | after.keys():
        if path not in after:
            changes.add((Change.deleted, path))
        elif path not in before:
            changes.add((Change.added, path))
        elif before[path] != after[path]:
            changes.add((Change.modified, path))
    return changes


def watch(*paths, watch_filter=_default_filter, debounce=1_600, step=50, stop_event=None, rust_timeout=5_000,
          yield_on_timeout=False, debug=False, raise_interrupt=True, force_polling=None, poll_delay_ms=300,
          recursive=True):
    watched = [str(p) for p in paths]
    for path in watched:
        if not os.path.exists(path):
            # RustNotify maps the notify crate's error to FileNotFoundError with the OS's message.
            raise FileNotFoundError(f"No such file or directory (os error 2) about [{path!r}]")
    before = _scan(watched, recursive)
    while True:
        pending = set()
        first = None
        started = time.monotonic()
        while True:
            time.sleep(step / 1000)
            if stop_event is not None and stop_event.is_set():
                return
            now = _scan(watched, recursive)
            new = _diff(before, now)
            before = now
            if new:
                pending |= new
                first = first or time.monotonic()
                if time.monotonic() - first < debounce / 1000:
                    continue
            if pending:
                break
            if rust_timeout and time.monotonic() - started >= rust_timeout / 1000:
                break
        if not pending:
            if yield_on_timeout:
                yield set()
            continue
        kept = {c for c in pending if watch_filter is None or watch_filter(c[0], c[1])}
        if kept:
            yield kept
