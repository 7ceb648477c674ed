#!/usr/bin/env python3
"""STAND-IN for Dagster's programs (dagster-webserver, dagster-daemon, dagster): NOT Dagster.

Dagster cannot be installed on the test machines (no PyPI). This program takes its place in the
end-to-end image (StandIns/dagster/Dockerfile, as /usr/local/bin/dagster*) and behind the host
stand-ins of tests/scripts/stand-ins. It accepts exactly what the real programs accept and refuses
what they refuse, as far as the stack touches them; each rule names the Dagster source it comes from
(github.com/dagster-io/dagster, python_modules/dagster/dagster/..., 1.11):

  arguments        click options of each command; an unknown option, a missing value or a bad
                   choice is click's usage error, exit status 2
  code location    _cli/workspace/cli_target.py: -w, -f, -m, --package-name or a gRPC server, only one
                   kind; the -f/-m/-d/-a options also read DAGSTER_PYTHON_FILE, DAGSTER_MODULE_NAME,
                   DAGSTER_WORKING_DIRECTORY, DAGSTER_ATTRIBUTE; with none: ./pyproject.toml with a
                   [tool.dagster] block, then ./workspace.yaml, else "No arguments given and no
                   [tool.dagster] block in pyproject.toml found." (exit 2)
  loading          _core/workspace/autodiscovery.py: the module must import and hold exactly one
                   Definitions object at module scope; the webserver and the daemon keep running with
                   a location that fails to load (they log the error), other commands fail
  DAGSTER_HOME     _core/instance: set (the daemon, liveness-check; the webserver falls back to a
                   temporary instance in the working directory, _cli/utils.py), absolute, an existing
                   directory; dagster.yaml has only keys of the instance schema (_core/instance/config.py)
                   and its SQLite storage folders must be creatable (_core/storage/sqlite_storage.py)
  liveness-check   _daemon/cli: "Daemon live", or "Daemon(s) not running" and exit 1, from the heartbeat
                   in the instance's storage and DAGSTER_DAEMON_HEARTBEAT_TOLERANCE (default 300 s)

What it does instead of Dagster: the webserver answers GET /server_info and, on POST /graphql, the one
query { assetNodes { assetKey { path } } } from the code location it loaded at its start; the daemon writes a heartbeat
every second; `dagster definitions validate` and `dagster asset list` load the code location and report
it. Every program prints "Started Dagster code server for module NAME" (the line real Dagster logs when
it starts a code location) so that tests can read the code location from each container's log.
Commands it does not emulate exit 2 saying so. STANDIN_CHECK_ONLY=1 stops after the argument, code
location and DAGSTER_HOME checks (no import, no serving): tests/scripts/stand-ins use that.
"""

import importlib
import importlib.util
import json
import os
import re
import signal
import sys
import time
import tomllib
from http.server import BaseHTTPRequestHandler, HTTPServer

VERSION = "1.11.16-standin"
# The one GraphQL query the webserver stand-in answers (words separated by single spaces).
ASSET_NODES_QUERY = "{ assetNodes { assetKey { path } } }"


class UsageError(Exception):
    """click.UsageError: printed after the usage line, exit status 2."""


class DagsterError(Exception):
    """An exception Dagster raises (printed as its class and message), exit status 1."""

    def __init__(self, kind, message):
        super().__init__(message)
        self.kind = kind


class LocationError(Exception):
    """A code location that does not load."""


def log(logger, level, message):
    # Dagster's console log format: "<time> +0000 - <logger> - <LEVEL> - <message>".
    stamp = time.strftime("%Y-%m-%d %H:%M:%S +0000", time.gmtime())
    print(f"{stamp} - {logger} - {level} - {message}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------------------------
# click-like options

class Option:
    def __init__(self, names, dest, value=True, multiple=False, envvar=None, choices=None, integer=False, path_exists=False):
        self.names, self.dest, self.value, self.multiple = names, dest, value, multiple
        self.envvar, self.choices, self.integer, self.path_exists = envvar, choices, integer, path_exists

    def label(self):
        return " / ".join(f"'{n}'" for n in self.names)


LEVELS = ["critical", "error", "warning", "info", "debug"]


def workspace_options():
    # _generate_workspace_options and _generate_python_pointer_options(allow_multiple=True) in cli_target.py.
    return [
        Option(["--empty-workspace"], "empty_workspace", value=False),
        Option(["--workspace", "-w"], "workspace", multiple=True, path_exists=True),
        Option(["--working-directory", "-d"], "working_directory", envvar="DAGSTER_WORKING_DIRECTORY"),
        Option(["--python-file", "-f"], "python_file", multiple=True, envvar="DAGSTER_PYTHON_FILE"),
        Option(["--module-name", "-m"], "module_name", multiple=True, envvar="DAGSTER_MODULE_NAME"),
        Option(["--package-name"], "package_name", multiple=True, envvar="DAGSTER_PACKAGE_NAME"),
        Option(["--attribute", "-a"], "attribute", envvar="DAGSTER_ATTRIBUTE"),
        Option(["--grpc-port"], "grpc_port", integer=True),
        Option(["--grpc-socket"], "grpc_socket"),
        Option(["--grpc-host"], "grpc_host"),
        Option(["--use-ssl"], "use_ssl", value=False),
    ]


def pointer_options():
    # _generate_python_pointer_options(allow_multiple=False): what `dagster asset ...` takes (no -w).
    return [
        Option(["--working-directory", "-d"], "working_directory", envvar="DAGSTER_WORKING_DIRECTORY"),
        Option(["--python-file", "-f"], "python_file", envvar="DAGSTER_PYTHON_FILE"),
        Option(["--module-name", "-m"], "module_name", envvar="DAGSTER_MODULE_NAME"),
        Option(["--package-name"], "package_name", envvar="DAGSTER_PACKAGE_NAME"),
        Option(["--attribute", "-a"], "attribute", envvar="DAGSTER_ATTRIBUTE"),
    ]


def parse(prog, argv, options, auto_envvar_prefix=None):
    """click's parsing as these commands use it: long and short options, '=' forms, env variables."""
    by_name = {name: o for o in options for name in o.names}
    values = {}
    i = 0
    while i < len(argv):
        arg = argv[i]
        i += 1
        if arg == "--help":
            print(f"Usage: {prog} [OPTIONS]\n\n  {prog} (stand-in for Dagster {VERSION}).\n\nOptions:")
            for o in options:
                print("  " + ", ".join(o.names))
            sys.exit(0)
        name, inline = (arg.split("=", 1) + [None])[:2] if arg.startswith("--") else (arg, None)
        if not arg.startswith("-") or arg == "-":
            raise UsageError(f"Got unexpected extra argument ({arg})")
        if name not in by_name and not arg.startswith("--") and len(arg) > 2 and arg[:2] in by_name:
            name, inline = arg[:2], arg[2:]  # -p3000
        option = by_name.get(name)
        if option is None:
            raise UsageError(f"No such option: {name}")
        if not option.value:
            values[option.dest] = True
            continue
        if inline is None:
            if i >= len(argv):
                raise UsageError(f"Option '{name}' requires an argument.")
            inline = argv[i]
            i += 1
        values.setdefault(option.dest, []).append(inline)
    result = {}
    for o in options:
        given = values.get(o.dest)
        envvar = o.envvar or (f"{auto_envvar_prefix}_{o.dest.upper()}" if auto_envvar_prefix else None)
        if given is None and envvar and os.environ.get(envvar):
            # click reads an option's environment variable only when the option is not given; an
            # empty value counts as unset; for multiple options the value splits on whitespace.
            env = os.environ[envvar]
            given = env.split() if o.multiple else [env]
        if given is None:
            result[o.dest] = False if not o.value else ((), None)[0 if o.multiple else 1]
            continue
        if given is True:
            result[o.dest] = True
            continue
        for value in given:
            if o.integer and not re.fullmatch(r"[+-]?\d+", value):
                raise UsageError(f"Invalid value for {o.label()}: '{value}' is not a valid integer.")
            if o.choices and value.lower() not in o.choices:
                raise UsageError(f"Invalid value for {o.label()}: '{value}' is not one of {', '.join(repr(c) for c in o.choices)}.")
            if o.path_exists and not os.path.exists(value):
                raise UsageError(f"Invalid value for {o.label()}: Path '{value}' does not exist.")
        converted = [int(v) for v in given] if o.integer else given
        result[o.dest] = tuple(converted) if o.multiple else converted[-1]
    return result


# ------------------------------------------------------------------------------------------------
# Code locations (cli_target.py)

TARGET_KEYS = ("workspace", "python_file", "working_directory", "package_name", "module_name", "attribute", "grpc_host", "grpc_port", "grpc_socket")
INVALID_SET = "Invalid set of CLI arguments for loading repository/job. See --help for details."


def has_pyproject_dagster_block(path):
    # _cli/utils.py has_pyproject_dagster_block: "dagster" in the [tool] table of ./pyproject.toml.
    if not os.path.exists(path):
        return False
    with open(path, "rb") as f:
        data = tomllib.load(f)
    return isinstance(data, dict) and "dagster" in data.get("tool", {})


def workspace_target(opts):
    """_get_workspace_load_target_from_cli_opts: a list of (kind, value, working_directory, attribute)."""
    if not any(opts.get(k) for k in TARGET_KEYS):
        if opts.get("empty_workspace"):
            return []
        if has_pyproject_dagster_block("pyproject.toml"):
            return pyproject_targets("pyproject.toml")
        if os.path.exists("workspace.yaml"):
            return workspace_file_targets(["workspace.yaml"])
        raise UsageError("No arguments given and no [tool.dagster] block in pyproject.toml found.")
    kinds = [k for k in ("workspace", "python_file", "module_name", "package_name") if opts.get(k)]
    grpc = opts.get("grpc_port") or opts.get("grpc_socket")
    if len(kinds) + (1 if grpc else 0) != 1:
        raise UsageError(INVALID_SET)
    if grpc:
        return [("grpc", opts.get("grpc_port") or opts.get("grpc_socket"), None, None)]
    kind = kinds[0]
    if kind == "workspace":
        if opts.get("working_directory") or opts.get("attribute"):
            raise UsageError(INVALID_SET)
        return workspace_file_targets(list(opts["workspace"]))
    names = list(opts[kind])
    if len(names) > 1 and opts.get("attribute"):
        raise UsageError(f"If you are specifying multiple {'files' if kind == 'python_file' else 'modules' if kind == 'module_name' else 'packages'} you cannot specify an attribute.")
    working = opts.get("working_directory") or os.getcwd()
    return [(kind, n, working, opts.get("attribute")) for n in names]


def pointer_target(opts):
    """get_repository_python_origin_from_cli_opts: exactly one of -f, -m, --package-name (no fallback)."""
    given = [k for k in ("python_file", "module_name", "package_name") if opts.get(k)]
    if len(given) != 1:
        raise UsageError(INVALID_SET)
    return [(given[0], opts[given[0]], opts.get("working_directory") or os.getcwd(), opts.get("attribute"))]


def pyproject_targets(path):
    # PyProjectFileTarget: [tool.dagster] module_name (or python_file / package_name), one or a list.
    with open(path, "rb") as f:
        block = tomllib.load(f)["tool"]["dagster"]
    working = block.get("working_directory") or os.path.dirname(os.path.abspath(path))
    for key, kind in (("module_name", "module_name"), ("python_file", "python_file"), ("package_name", "package_name")):
        if key in block:
            names = block[key] if isinstance(block[key], list) else [block[key]]
            return [(kind, n, working, block.get("attribute")) for n in names]
    raise UsageError(f"Invalid [tool.dagster] block in {path}: it names no module_name, python_file or package_name.")


def workspace_file_targets(paths):
    # workspace.yaml: load_from: - python_module: NAME | {module_name: NAME, working_directory: DIR}, python_file, python_package.
    targets = []
    for path in paths:
        base = os.path.dirname(os.path.abspath(path))
        entry, lines = None, open(path, encoding="utf-8").read().splitlines()
        if not any(re.match(r"^load_from\s*:", line) for line in lines):
            raise DagsterError("dagster._core.errors.DagsterInvalidConfigError", f"Errors while loading workspace config from {os.path.abspath(path)}: Missing required config entry \"load_from\" at the root.")
        for line in lines:
            m = re.match(r"^\s*-\s*(python_module|python_file|python_package)\s*:\s*(\S*)\s*$", line)
            if m:
                kind = {"python_module": "module_name", "python_file": "python_file", "python_package": "package_name"}[m.group(1)]
                entry = [kind, m.group(2) or None, base, None]
                targets.append(entry)
                continue
            m = re.match(r"^\s+(module_name|relative_path|package_name|working_directory|attribute)\s*:\s*(\S+)\s*$", line)
            if m and entry is not None:
                key, value = m.groups()
                if key == "working_directory":
                    entry[2] = os.path.join(base, value)
                elif key == "attribute":
                    entry[3] = value
                else:
                    entry[1] = os.path.join(base, value) if key == "relative_path" else value
    return [tuple(t) for t in targets]


def load(target):
    """Imports the code location; its Definitions (autodiscovery.py) or LocationError."""
    kind, name, working, attribute = target
    if kind == "grpc":
        raise LocationError(f"the stand-in cannot reach a gRPC code server ({name})")
    if working and working not in sys.path:
        sys.path.insert(0, working)  # ModuleTarget/PythonFileTarget add the working directory
    try:
        if kind == "python_file":
            spec = importlib.util.spec_from_file_location("__standin_location__", name)
            if spec is None:
                raise FileNotFoundError(f"No such file: {name}")
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
        else:
            module = importlib.import_module(name)
    except Exception as e:  # noqa: BLE001 - any import failure is the location's error
        raise LocationError(f"{type(e).__name__}: {e}") from e
    if attribute:
        if not hasattr(module, attribute):
            raise LocationError(f"DagsterInvariantViolationError: {attribute} not found in module {name}.")
        return [getattr(module, attribute)]
    found = [v for v in vars(module).values() if type(v).__name__ == "Definitions" and type(v).__module__.split(".")[0] == "dagster"]
    if not found:
        raise LocationError(f'DagsterInvariantViolationError: No Definitions, RepositoryDefinition, Job, Pipeline, Graph, or AssetsDefinition found in "{module.__name__}".')
    if len(found) > 1:
        raise LocationError("DagsterInvariantViolationError: Cannot have more than one Definitions object defined at module scope")
    return found


def asset_keys(definitions):
    keys = []
    for d in definitions:
        for a in getattr(d, "assets", []):
            key = getattr(a, "key", None)
            keys.append(key.to_user_string() if key is not None else getattr(a, "__name__", str(a)))
    return keys


def describe(target):
    kind, name, _, _ = target
    return {"module_name": "module", "python_file": "file", "package_name": "package", "grpc": "gRPC server"}[kind] + f" {name}"


def load_and_log(logger, targets, keep_going):
    """Loads each location, logging like Dagster; raises on failure unless keep_going (webserver, daemon)."""
    loaded = []
    for target in targets:
        try:
            definitions = load(target)
        except LocationError as e:
            if not keep_going:
                raise DagsterError("dagster._core.errors.DagsterUserCodeLoadError", f"Error loading {describe(target)}: {e}") from e
            log(logger, "ERROR", f"Error loading repository location {target[1]}: {e}")
            continue
        log(logger, "INFO", f"Started Dagster code server for {describe(target)} in process {os.getpid()}")
        loaded.append((target, definitions))
    return loaded


# ------------------------------------------------------------------------------------------------
# The instance (_core/instance, _cli/utils.py)

INSTANCE_KEYS = {
    # dagster_instance_config_schema (_core/instance/config.py, 1.11): the top level of dagster.yaml.
    "local_artifact_storage", "compute_logs", "storage", "run_queue", "run_storage", "event_log_storage",
    "schedule_storage", "scheduler", "run_coordinator", "run_launcher", "telemetry", "instance_class",
    "python_logs", "run_monitoring", "run_retries", "code_servers", "retention", "sensors", "schedules",
    "nux", "auto_materialize", "concurrency", "secrets", "backfills", "freshness",
}


def dagster_home(required, logger):
    home = os.environ.get("DAGSTER_HOME")
    if not home:
        if not required:
            # get_possibly_temporary_instance_for_cli: a temporary instance in the working directory.
            temp = os.path.join(os.getcwd(), f".tmp_dagster_home_{os.getpid()}")
            os.makedirs(temp, exist_ok=True)
            log(logger, "INFO", f"Using temporary directory {temp} for storage. This will be removed when {logger} exits.")
            return temp
        raise DagsterError("dagster._core.errors.DagsterHomeNotSetError", "The environment variable $DAGSTER_HOME is not set. Dagster requires this environment variable to be set to an existing directory in your filesystem. This directory is used to store metadata across sessions, or load the dagster.yaml file which can configure storing metadata in an external database.")
    home = os.path.expanduser(home)
    if not os.path.isabs(home):
        raise DagsterError("dagster._core.errors.DagsterInvariantViolationError", f'$DAGSTER_HOME "{home}" must be an absolute path. Dagster requires this environment variable to be set to an existing directory in your filesystem.')
    if not os.path.isdir(home):
        raise DagsterError("dagster._core.errors.DagsterInvariantViolationError", f'$DAGSTER_HOME "{home}" is not a directory or does not exist. Dagster requires this environment variable to be set to an existing directory in your filesystem')
    return home


def storage_dir(home):
    """The SQLite base_dir of dagster.yaml (storage.sqlite.base_dir, {env: VAR} allowed), else DAGSTER_HOME."""
    path = os.path.join(home, "dagster.yaml")
    if not os.path.exists(path):
        return home
    lines = open(path, encoding="utf-8").read().splitlines()
    for number, line in enumerate(lines, 1):
        m = re.match(r"^([A-Za-z_][A-Za-z0-9_]*)\s*:", line)
        if m and m.group(1) not in INSTANCE_KEYS:
            raise DagsterError("dagster._core.errors.DagsterInvalidConfigError", f'Errors whilst loading dagster instance config at dagster.yaml.\n    Error 1: Received unexpected config entry "{m.group(1)}" at the root. (line {number})')
    text = "\n".join(lines)
    if re.search(r"^storage:\s*\n\s+postgres:", text, re.M):
        raise DagsterError("standin.NotEmulated", "the stand-in does not emulate Postgres storage (storage.postgres in dagster.yaml)")
    m = re.search(r"^storage:\s*\n\s+sqlite:\s*\n\s+base_dir:\s*(.+)$", text, re.M)
    if not m:
        return home
    value = m.group(1).strip().strip("'\"")
    env = re.fullmatch(r"\{\s*env:\s*(\w+)\s*\}", value)
    return os.environ.get(env.group(1), "") if env else value


def instance(required, logger):
    home = dagster_home(required, logger)
    base = storage_dir(home)
    try:
        # DagsterSqliteStorage creates history/, history/runs/ and schedules/ under base_dir (mkdir_p).
        for sub in ("history/runs", "schedules"):
            os.makedirs(os.path.join(base, sub), exist_ok=True)
    except OSError as e:
        raise DagsterError(type(e).__name__, f"{e.strerror}: '{e.filename}'") from e
    return base


# ------------------------------------------------------------------------------------------------
# Programs

def webserver(argv):
    prog = "dagster-webserver"
    if argv[:1] == ["--version"]:
        print(f"{prog}, version {VERSION}")
        return 0
    # dagster_webserver/cli.py: the workspace options plus these; auto_envvar_prefix="DAGSTER_WEBSERVER".
    opts = parse(prog, argv, workspace_options() + [
        Option(["--host", "-h"], "host"),
        Option(["--port", "-p"], "port", integer=True),
        Option(["--path-prefix", "-l"], "path_prefix"),
        Option(["--db-statement-timeout"], "db_statement_timeout", integer=True),
        Option(["--db-pool-recycle"], "db_pool_recycle", integer=True),
        Option(["--read-only"], "read_only", value=False),
        Option(["--suppress-warnings"], "suppress_warnings", value=False),
        Option(["--log-level"], "log_level", choices=LEVELS + ["trace"]),
        Option(["--code-server-log-level"], "code_server_log_level", choices=LEVELS),
        Option(["--instance-ref"], "instance_ref"),
    ], auto_envvar_prefix="DAGSTER_WEBSERVER")
    instance(False, prog)
    targets = workspace_target(opts)
    if os.environ.get("STANDIN_CHECK_ONLY") == "1":
        return 0
    loaded = load_and_log(prog, targets, keep_going=True)
    # The asset keys of the locations that loaded: a location that failed contributes none (the UI shows its error).
    asset_paths = [key.split("/") for _, definitions in loaded for key in asset_keys(definitions)]
    host, port = opts.get("host") or "127.0.0.1", opts.get("port") or 3000

    class Handler(BaseHTTPRequestHandler):
        def answer(self, status, document):
            body = json.dumps(document).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):  # noqa: N802 - stdlib name
            if self.path != "/server_info":
                self.send_response(404)
                self.end_headers()
                return
            self.answer(200, {"dagster_webserver_version": VERSION, "dagster_version": VERSION})

        def do_POST(self):  # noqa: N802 - stdlib name
            # dagster_webserver's GraphQL endpoint (POST /graphql, {"query": ...}), for the one query the
            # tests send: the asset nodes of the loaded code locations (Query.assetNodes, AssetNode.assetKey,
            # AssetKey.path in dagster_graphql/schema). Any other query is refused as not emulated.
            if self.path != "/graphql":
                self.send_response(404)
                self.end_headers()
                return
            try:
                query = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))["query"]
            except (ValueError, KeyError, TypeError):
                self.answer(400, {"errors": [{"message": "Must provide query string."}]})
                return
            words = " ".join(str(query).replace("{", " { ").replace("}", " } ").split())
            if words.removeprefix("query ") != ASSET_NODES_QUERY:
                self.answer(400, {"errors": [{"message": f"the stand-in answers only '{ASSET_NODES_QUERY}'"}]})
                return
            self.answer(200, {"data": {"assetNodes": [{"assetKey": {"path": p}} for p in asset_paths]}})

        def log_message(self, *args):
            pass

    # Which secrets reached the process (names and lengths only), for the secret-loading test.
    loaded = sorted(n for n in os.environ if n.startswith("STANDIN_SECRET_"))
    print(json.dumps({"msg": "dagster-webserver stand-in serving", "port": port, "secrets": {n: len(os.environ[n]) for n in loaded}}), flush=True)
    log(prog, "INFO", f"Serving dagster-webserver on http://{host}:{port}{opts.get('path_prefix') or ''} in process {os.getpid()}")
    HTTPServer((host, port), Handler).serve_forever()
    return 0


HEARTBEAT = "standin-daemon-heartbeat"


def daemon(argv):
    prog = "dagster-daemon"
    command, rest = (argv[0], argv[1:]) if argv else (None, [])
    if command == "--version":
        print(f"{prog}, version {VERSION}")
        return 0
    if command in (None, "--help"):
        print(f"Usage: {prog} [OPTIONS] COMMAND [ARGS]...\n\nCommands:\n  debug\n  liveness-check\n  run\n  wipe")
        return 0 if command else 2
    if command == "run":
        # _daemon/cli: run takes the workspace options, --code-server-log-level, --log-level, --log-format.
        opts = parse(f"{prog} run", rest, workspace_options() + [
            Option(["--code-server-log-level"], "code_server_log_level", choices=LEVELS),
            Option(["--log-level"], "log_level", choices=LEVELS, envvar="DAGSTER_DAEMON_LOG_LEVEL"),
            Option(["--log-format"], "log_format", choices=["colored", "json", "rich"]),
            Option(["--instance-ref"], "instance_ref"),
        ])
        base = instance(True, "dagster.daemon")  # get_instance_for_cli: DAGSTER_HOME is required
        targets = workspace_target(opts)
        if os.environ.get("STANDIN_CHECK_ONLY") == "1":
            return 0
        load_and_log("dagster.daemon", targets, keep_going=True)
        log("dagster.daemon", "INFO", "Instance is configured with the following daemons: ['AssetDaemon', 'BackfillDaemon', 'SchedulerDaemon', 'SensorDaemon']")
        while True:
            with open(os.path.join(base, HEARTBEAT), "w") as f:
                f.write(str(time.time()))
            time.sleep(1)
    if command == "liveness-check":
        parse(f"{prog} liveness-check", rest, [])
        base = instance(True, "dagster.daemon")
        if os.environ.get("STANDIN_CHECK_ONLY") == "1":
            return 0
        tolerance = int(os.environ.get("DAGSTER_DAEMON_HEARTBEAT_TOLERANCE") or 300)
        try:
            beat = float(open(os.path.join(base, HEARTBEAT)).read())
        except (OSError, ValueError):
            beat = 0.0
        if time.time() - beat <= 30 + tolerance:  # heartbeat interval 30 s plus the tolerance
            print("Daemon live")
            return 0
        print("Daemon(s) not running")
        return 1
    if command in ("wipe", "debug"):
        raise DagsterError("standin.NotEmulated", f"the stand-in does not emulate 'dagster-daemon {command}'")
    raise UsageError(f"No such command '{command}'.")


def dagster(argv):
    prog = "dagster"
    if argv[:1] == ["--version"]:
        print(f"dagster, version {VERSION}")
        return 0
    if argv[:2] == ["definitions", "validate"]:
        # _cli/definitions.py: the workspace options; "Validation successful" or the load error, exit 1.
        opts = parse(f"{prog} definitions validate", argv[2:], workspace_options() + [
            Option(["--log-level"], "log_level", choices=LEVELS),
            Option(["--log-format"], "log_format", choices=["colored", "json", "rich"]),
            Option(["--load-with-grpc"], "load_with_grpc", value=False),
        ])
        instance(False, prog)
        targets = workspace_target(opts)
        if os.environ.get("STANDIN_CHECK_ONLY") == "1":
            return 0
        loaded = load_and_log(prog, targets, keep_going=False)
        for target, definitions in loaded:
            log(prog, "INFO", f"Validation successful for code location {target[1]}: assets {', '.join(asset_keys(definitions))}")
        log(prog, "INFO", "All code locations passed validation.")
        return 0
    if argv[:2] == ["asset", "list"]:
        # _cli/asset.py: the python pointer options (no workspace file, no pyproject fallback).
        opts = parse(f"{prog} asset list", argv[2:], pointer_options() + [Option(["--select"], "select")])
        targets = pointer_target(opts)
        if os.environ.get("STANDIN_CHECK_ONLY") == "1":
            return 0
        for _, definitions in load_and_log(prog, targets, keep_going=False):
            for key in asset_keys(definitions):
                print(key)
        return 0
    if argv[:1] in (["--help"], []):
        print(f"Usage: {prog} [OPTIONS] COMMAND [ARGS]...")
        return 0 if argv else 2
    raise DagsterError("standin.NotEmulated", f"the stand-in does not emulate 'dagster {' '.join(argv[:2])}'; it knows --version, definitions validate and asset list")


PROGRAMS = {"dagster-webserver": webserver, "dagster-daemon": daemon, "dagster": dagster}


def main(argv):
    name = os.path.basename(argv[0])
    args = argv[1:]
    if name not in PROGRAMS and args and args[0] in PROGRAMS:
        name, args = args[0], args[1:]
    if name not in PROGRAMS:
        print(f"usage: standin_dagster.py {{{','.join(PROGRAMS)}}} ARGS...", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        return PROGRAMS[name](args)
    except UsageError as e:
        print(f"Usage: {name} [OPTIONS]\nTry '{name} --help' for help.\n\nError: {e}", file=sys.stderr)
        return 2
    except DagsterError as e:
        print(f"{e.kind}: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
