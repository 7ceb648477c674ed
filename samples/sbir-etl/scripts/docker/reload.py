#!/usr/bin/env python3
"""Code reload for the dev profile: runs a service and starts it again whenever a watched file changes.

    reload.py [--] COMMAND [ARGS...]

lib.sh's sbir_dev_reload runs the service scripts under this when SBIR_DEV_RELOAD=1 (the dev compose
overlay sets it for dagster-webserver and dagster-daemon). COMMAND is the service script itself; it
runs with SBIR_DEV_RELOAD=0, so each start, the first and every restart, goes through the same checks
(the Dagster preflight, the wait for Neo4j) before the service starts.

Files that count: *.py, *.yaml and *.yml under the watched directories, except in hidden folders and
__pycache__ (editor swap and backup files do not end that way). Changes are noticed by watchfiles when
it imports (the real image has it: dagster-webserver depends on uvicorn[standard], which pulls it in),
else by a standard-library scan of the directories every SBIR_DEV_RELOAD_POLL seconds.

On a change: one JSON log line "restarting on file changes" with the changed paths, the service gets
SIGTERM (its whole process group; SIGKILL after SBIR_DEV_RELOAD_GRACE seconds), and it starts again.
A changed Python file that does not compile is logged first (code SBC5221, file, line, error); the
service is restarted anyway and its own checks say what does not load. When the service exits by
itself after a restart, that is logged (code SBC5222, its exit status) and the next change starts it
again; when it exits before any change was seen, reload.py exits with its status, as the service would
without reload (compose's restart policy and ComposeUp see it).

Environment:
  SBIR_DEV_RELOAD_DIRS     directories to watch, separated by spaces (default "/app/src /app/config");
                           missing ones are skipped; with none left the service runs without reload
  SBIR_DEV_RELOAD_WATCHER  auto (default: watchfiles when it imports, else polling), watchfiles, poll
  SBIR_DEV_RELOAD_POLL     seconds between two scans of the polling watcher (default 0.5)
  SBIR_DEV_RELOAD_GRACE    seconds the service has to stop after SIGTERM (default 10)
  SBIR_ETL_LOG_LEVEL, SBIR_SERVICE   the log level and the service field, as for lib.sh's sbir_log

Log: one JSON object per line on stderr, with the keys lib.sh's sbir_log writes (ts, level, service,
msg, fields). Exit status: the service's when it stops before any change or when reload.py gets
SIGTERM or SIGINT (it passes the signal on); 2 for a usage or configuration error.
"""

import json
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime, timezone

SUFFIXES = (".py", ".yaml", ".yml")
LEVELS = {"debug": 10, "info": 20, "warning": 30, "warn": 30, "error": 40, "critical": 40}
MAX_LOGGED_PATHS = 20
# Changes keep arriving while an editor saves (write, rename, chmod): wait this long without a new one.
SETTLE_SECONDS = 0.15
SETTLE_MAX_SECONDS = 2.0


def log(level, msg, **fields):
    """One JSON line on stderr, as lib.sh's sbir_log writes it (its level filter, its keys)."""
    threshold = LEVELS.get(os.environ.get("SBIR_ETL_LOG_LEVEL", "info").lower(), 20)
    if LEVELS[level] < threshold:
        return
    record = {
        "ts": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "level": "warning" if level == "warn" else level,
        "service": os.environ.get("SBIR_SERVICE") or "reload",
        "msg": msg,
        **fields,
    }
    sys.stderr.write(json.dumps(record, default=str, separators=(",", ":")) + "\n")
    sys.stderr.flush()


def wanted(path):
    """True for a file whose change restarts the service."""
    if not path.endswith(SUFFIXES):
        return False
    parts = path.replace("\\", "/").split("/")
    return not any(p == "__pycache__" or (p.startswith(".") and p not in (".", "..")) for p in parts[:-1]) \
        and not parts[-1].startswith(".")


# ------------------------------------------------------------------------------------------------
# Watchers: generators of sets of changed paths; an empty set now and then lets the caller look at the
# service. Both stop when `stop` is set.

def watch_with_watchfiles(dirs, stop):
    import watchfiles

    # step: yield once nothing new arrived for 50 ms (at most debounce ms after the first change);
    # rust_timeout with yield_on_timeout: an empty set every 0.5 s, to notice a service that exited.
    for changes in watchfiles.watch(*dirs, watch_filter=lambda _change, path: wanted(path), debounce=1600,
                                    step=50, stop_event=stop, rust_timeout=500, yield_on_timeout=True,
                                    raise_interrupt=False):
        yield {path for _change, path in changes}


def snapshot(dirs):
    """Every wanted file under dirs with what a change alters: modification time, size, inode."""
    files = {}
    for top in dirs:
        for root, subdirs, names in os.walk(top):
            subdirs[:] = [d for d in subdirs if d != "__pycache__" and not d.startswith(".")]
            for name in names:
                path = os.path.join(root, name)
                if not wanted(path):
                    continue
                try:
                    st = os.stat(path)
                except OSError:  # deleted between the listing and the stat
                    continue
                files[path] = (st.st_mtime_ns, st.st_size, st.st_ino)
    return files


def changed_between(before, after):
    return {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}


def watch_by_polling(dirs, stop, interval):
    before = snapshot(dirs)
    while not stop.wait(interval):
        now = snapshot(dirs)
        changes = changed_between(before, now)
        deadline = time.monotonic() + SETTLE_MAX_SECONDS
        while changes and time.monotonic() < deadline and not stop.wait(SETTLE_SECONDS):
            later = snapshot(dirs)
            more = changed_between(now, later)
            if not more:
                break
            changes |= more
            now = later
        before = now
        yield changes


def choose_watcher(choice):
    """(name, factory) for SBIR_DEV_RELOAD_WATCHER; watchfiles only when it imports."""
    if choice not in ("auto", "watchfiles", "poll"):
        log("error", "SBIR_DEV_RELOAD_WATCHER must be auto, watchfiles or poll. Fix the variable, or remove it for auto.",
            value=choice)
        sys.exit(2)
    if choice != "poll":
        try:
            import watchfiles  # noqa: F401 - the import is the check
        except ImportError as error:
            if choice == "watchfiles":
                log("error", "SBIR_DEV_RELOAD_WATCHER=watchfiles but watchfiles does not import. Install it "
                             "(the sample's 'reload' extra), or set SBIR_DEV_RELOAD_WATCHER=auto to poll instead.",
                    reason=str(error))
                sys.exit(2)
            log("debug", "watchfiles is not installed; polling the watched directories instead", reason=str(error))
        else:
            return "watchfiles", watch_with_watchfiles
    try:
        interval = float(os.environ.get("SBIR_DEV_RELOAD_POLL") or 0.5)
    except ValueError:
        interval = -1.0
    if not 0.05 <= interval <= 60:
        log("error", "SBIR_DEV_RELOAD_POLL must be seconds between 0.05 and 60, e.g. 0.5.",
            value=os.environ.get("SBIR_DEV_RELOAD_POLL"))
        sys.exit(2)
    return f"poll every {interval:g} s", lambda dirs, stop: watch_by_polling(dirs, stop, interval)


# ------------------------------------------------------------------------------------------------
# The service

def exit_status(returncode):
    """A shell's view of a child's end: 128 + the signal for a child killed by one."""
    return 128 - returncode if returncode < 0 else returncode


class Service:
    """The command in a process group of its own, so that stopping it stops what it started too."""

    def __init__(self, command, grace):
        self.command, self.grace = command, grace
        self.process = None
        self.env = dict(os.environ, SBIR_DEV_RELOAD="0")

    def start(self):
        self.process = subprocess.Popen(self.command, env=self.env, start_new_session=True)

    def exited(self):
        """The exit status once the service has ended by itself, else None."""
        if self.process is None:
            return None
        code = self.process.poll()
        return None if code is None else exit_status(code)

    def stop(self, sig=signal.SIGTERM):
        """Signals the group, waits up to the grace period, then kills it; the service's exit status."""
        if self.process is None:
            return 0
        process, self.process = self.process, None
        self._signal_group(process, sig)
        try:
            process.wait(self.grace)
        except subprocess.TimeoutExpired:
            log("warning", f"the service did not stop within {self.grace:g} s of the signal; killing it. "
                           "Make it handle SIGTERM, or raise SBIR_DEV_RELOAD_GRACE.", pid=process.pid)
            self._signal_group(process, signal.SIGKILL)
            process.wait()
        # What the service started and left behind in its group goes too.
        self._signal_group(process, signal.SIGKILL)
        return exit_status(process.returncode)

    @staticmethod
    def _signal_group(process, sig):
        try:
            os.killpg(process.pid, sig)
        except (ProcessLookupError, PermissionError):
            pass


def check_syntax(paths):
    """Logs each changed Python file that does not compile (SBC5221): the reason a restart will fail."""
    for path in paths:
        if not path.endswith(".py") or not os.path.isfile(path):
            continue
        try:
            with open(path, "rb") as f:
                compile(f.read(), path, "exec", dont_inherit=True)
        except SyntaxError as error:
            log("error", "a changed file has a syntax error, so the service will not load it. Fix it: the service "
                         "restarts at the next change.", code="SBC5221", file=path, line=error.lineno,
                error=error.msg)
        except (ValueError, OSError) as error:  # null bytes, or unreadable
            log("error", "a changed file cannot be compiled. Fix it: the service restarts at the next change.",
                code="SBC5221", file=path, error=str(error))


def logged_paths(paths):
    ordered = sorted(paths)
    fields = {"changed": ordered[:MAX_LOGGED_PATHS]}
    if len(ordered) > MAX_LOGGED_PATHS:
        fields["more"] = len(ordered) - MAX_LOGGED_PATHS
    return fields


def main(argv):
    command = argv[1:]
    if command[:1] == ["--"]:
        command = command[1:]
    if not command:
        log("error", "no command given. Run it as reload.py [--] COMMAND [ARGS...].")
        return 2
    dirs = (os.environ.get("SBIR_DEV_RELOAD_DIRS") or "/app/src /app/config").split()
    existing = [d for d in dirs if os.path.isdir(d)]
    if not existing:
        log("warning", "SBIR_DEV_RELOAD=1 but none of the directories to watch exists; running without reload. "
                       "Bind-mount the sources there or set SBIR_DEV_RELOAD_DIRS.", dirs=dirs)
        os.environ["SBIR_DEV_RELOAD"] = "0"
        os.execvp(command[0], command)
    try:
        grace = float(os.environ.get("SBIR_DEV_RELOAD_GRACE") or 10)
    except ValueError:
        grace = -1.0
    if grace <= 0:
        log("error", "SBIR_DEV_RELOAD_GRACE must be a positive number of seconds, e.g. 10.",
            value=os.environ.get("SBIR_DEV_RELOAD_GRACE"))
        return 2
    name, factory = choose_watcher((os.environ.get("SBIR_DEV_RELOAD_WATCHER") or "auto").strip().lower())

    stop = threading.Event()
    received = []

    def on_signal(signum, _frame):
        received.append(signum)
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    service = Service(command, grace)
    log("info", "reloading on file changes", watcher=name, dirs=existing, files="*.py *.yaml *.yml")
    # The watcher looks at the files before the service starts: an edit made while it starts is a change.
    watcher = factory(existing, stop)
    next(watcher, None)
    service.start()
    restarts = 0
    waiting = False
    for changes in watcher:
        if stop.is_set():
            break
        status = service.exited() if not waiting else None
        if status is not None:
            if restarts == 0:
                # Before any change the service behaves as without reload: its end is the container's.
                service.stop()
                return status
            log("error", "the service exited after a restart; it starts again at the next change. The lines "
                         "above say why.", code="SBC5222", status=status)
            service.stop()
            waiting = True
        if changes:
            check_syntax(sorted(changes))
            restarts += 1
            log("info", "restarting on file changes", watcher=name, restart=restarts, **logged_paths(changes))
            service.stop()
            service.start()
            waiting = False
    # Stopped (SIGTERM/SIGINT): the signal goes on to the service, whose status is ours.
    return service.stop(received[0] if received else signal.SIGTERM)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
