"""STAND-IN for the Neo4j 5 image (neo4j:5.26): NOT Neo4j.

The image's entrypoint contract, then HTTP on 7474 (the discovery document), Bolt on 7687 (the
version handshake, then a stand-in authentication line that the stand-in cypher-shell sends). It
accepts what the real image accepts and refuses what it refuses; each rule names its source:

  docker-entrypoint.sh  github.com/neo4j/docker-neo4j, docker-image-src/5/coredb/docker-entrypoint.sh
  manual                neo4j.com/docs/operations-manual/current/configuration/neo4j-conf/

Rules:
  - The command: 'neo4j' starts the server; anything else runs as given (entrypoint: ${exec_cmd} "$@").
  - Mounted folders: /data and /logs writable by neo4j, /var/lib/neo4j/import (and /import) readable;
    as root the entrypoint chowns /data and /logs to neo4j, as another user a folder it cannot write
    and that neo4j does not own stops the start (check_mounted_folder_writable_with_chown).
  - NEO4J_* variables become settings: drop the prefix, '_' is '.', '__' is '_'; empty values and the
    entrypoint's own variables (NEO4J_AUTH, NEO4J_EDITION, ...) are skipped; names starting with a
    digit are skipped with a warning.
  - Strict validation (server.config.strict_validation.enabled, default true; the manual: "prevents
    Neo4j from starting if the neo4j.conf file contains typos, incorrect information, or duplicates"):
    an unknown setting or a bad value stops the start; with the setting false, a warning. Settings
    renamed in 5.0 are migrated with a warning. The list of known settings below is the stand-in's:
    a real setting missing from it is refused here though Neo4j accepts it: add it, with its source.
  - NEO4J_*_FILE (5.24+): the file's content is the value of the variable without _FILE (load_secret_files).
  - NEO4J_AUTH (set_initial_password): 'none' disables authentication; otherwise it must match
    ^([^/]+)/([^/]+)/?([tT][rR][uU][eE])?$ with user 'neo4j' ("Invalid admin username, it must be
    neo4j.") and a password other than 'neo4j'; a password shorter than
    dbms.security.auth_minimum_password_length (8) makes neo4j-admin dbms set-initial-password fail
    ("A password must be at least 8 characters.", exit code 70; neo4j/docker-neo4j#408); any other
    value is "Invalid value for NEO4J_AUTH". The initial password is stored in /data/dbms on the first
    start and kept on later ones: a new NEO4J_AUTH does not change it (set-initial-password only sets
    a password for a database that has none).

STANDIN_STARTUP_DELAY delays the listeners, as Neo4j's boot does; STANDIN_AUTH_BROKEN=1 refuses every
authentication (a Neo4j that never turns healthy).
"""
import hashlib
import json
import os
import pwd
import re
import shutil
import socketserver
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

BOLT_MAGIC = b"\x60\x60\xb0\x17"
NEO4J_HOME = "/var/lib/neo4j"
AUTH_FILE = "/data/dbms/auth.ini"

# The entrypoint's own variables, never settings (docker-entrypoint.sh, not_configs).
NOT_CONFIGS = {"NEO4J_ACCEPT_LICENSE_AGREEMENT", "NEO4J_AUTH", "NEO4J_AUTH_PATH", "NEO4J_DEBUG", "NEO4J_EDITION",
               "NEO4J_HOME", "NEO4J_PLUGINS", "NEO4J_SHA256", "NEO4J_TARBALL"}

# Settings of Neo4j 5 Community the stand-in knows, with the kind of value (operations manual,
# "Configuration settings"). Memory sizes: a number with an optional k, m, g (any case) suffix.
KNOWN = {
    "server.memory.heap.initial_size": "memory", "server.memory.heap.max_size": "memory",
    "server.memory.pagecache.size": "memory", "server.memory.off_heap.transaction_max_size": "memory",
    "dbms.memory.transaction.total.max": "memory", "db.memory.transaction.max": "memory",
    "server.default_listen_address": "text", "server.default_advertised_address": "text",
    "server.bolt.enabled": "bool", "server.bolt.listen_address": "text", "server.bolt.advertised_address": "text",
    "server.bolt.tls_level": "text", "server.http.enabled": "bool", "server.http.listen_address": "text",
    "server.http.advertised_address": "text", "server.https.enabled": "bool", "server.https.listen_address": "text",
    "server.directories.data": "text", "server.directories.logs": "text", "server.directories.import": "text",
    "server.directories.plugins": "text", "server.directories.run": "text", "server.directories.lib": "text",
    "server.directories.licenses": "text", "server.directories.metrics": "text", "server.directories.transaction.logs.root": "text",
    "server.config.strict_validation.enabled": "bool", "server.jvm.additional": "text",
    "server.logs.debug.enabled": "bool", "server.logs.gc.enabled": "bool", "server.logs.user.stdout_enabled": "bool",
    "dbms.security.auth_enabled": "bool", "dbms.security.auth_minimum_password_length": "int",
    "dbms.security.procedures.unrestricted": "text", "dbms.security.procedures.allowlist": "text",
    "dbms.security.allow_csv_import_from_file_urls": "bool", "dbms.usage_report.enabled": "bool",
    "db.tx_log.rotation.retention_policy": "text", "db.tx_log.rotation.size": "memory",
    "db.transaction.timeout": "text", "db.logs.query.enabled": "text", "db.checkpoint.interval.time": "text",
    "initial.dbms.default_database": "text", "dbms.default_listen_address": "text",
    "browser.allow_outgoing_connections": "bool", "browser.remote_content_hostname_whitelist": "text",
}

# Renamed in 5.0: Neo4j migrates the old name with a warning (upgrade guide, "Changes to configuration settings").
RENAMED = {
    "dbms.memory.heap.initial_size": "server.memory.heap.initial_size",
    "dbms.memory.heap.max_size": "server.memory.heap.max_size",
    "dbms.memory.pagecache.size": "server.memory.pagecache.size",
    "dbms.default_database": "initial.dbms.default_database",
    "dbms.tx_log.rotation.retention_policy": "db.tx_log.rotation.retention_policy",
    "dbms.connector.bolt.listen_address": "server.bolt.listen_address",
    "dbms.connector.http.listen_address": "server.http.listen_address",
}


def fail(message, code=1):
    print(message, file=sys.stderr, flush=True)
    sys.exit(code)


def settings_from_environment():
    """docker-entrypoint.sh: 'for i in $( set | grep ^NEO4J_ ...)' with its renames and skips."""
    settings = {}
    for name in sorted(os.environ, reverse=True):
        if not name.startswith("NEO4J_") or name in NOT_CONFIGS:
            continue
        setting = name[len("NEO4J_"):].replace("_", ".").replace("..", "_")
        value = os.environ[name]
        if not value:
            continue
        if re.match(r"^[0-9]", setting):
            print(f"WARNING: {setting} not written to conf file because settings that start with a number are not permitted", file=sys.stderr)
            continue
        settings[setting] = value
    return settings


def validate(settings):
    """Strict validation of neo4j.conf as Neo4j 5 does it at start-up."""
    strict = settings.get("server.config.strict_validation.enabled", "true").lower() != "false"
    for setting, value in sorted(settings.items()):
        if setting.startswith("apoc."):
            continue  # the entrypoint writes apoc.* to apoc.conf, which Neo4j does not validate
        if setting in RENAMED:
            print(f"WARN  Use of deprecated setting '{setting}'. It is replaced by '{RENAMED[setting]}'.", flush=True)
            setting = RENAMED[setting]
        kind = KNOWN.get(setting)
        if kind is None:
            message = f"Unrecognized setting. No declared setting with name: {setting}."
            if strict:
                fail(f"Failed to read config: {message} Cleanup the config or disable 'server.config.strict_validation.enabled' to continue.")
            print(f"WARN  {message}", flush=True)
            continue
        bad = (kind == "memory" and not re.fullmatch(r"\d+[kKmMgG]?[bB]?", value)) \
            or (kind == "bool" and value.lower() not in ("true", "false")) \
            or (kind == "int" and not re.fullmatch(r"-?\d+", value))
        if bad:
            fail(f"Failed to read config: Bad value '{value}' for setting '{setting}'")


def check_folders():
    """check_mounted_folder_writable_with_chown and check_mounted_folder_readable."""
    neo4j = pwd.getpwnam("neo4j")
    for folder in ("/data", "/logs"):
        if not os.path.isdir(folder):
            continue
        if os.getuid() == 0:
            if os.stat(folder).st_uid != neo4j.pw_uid:
                print(f"Warning: Folder mounted to \"{folder}\" is not writable from inside container. Changing folder owner to neo4j.")
                for root, dirs, files in os.walk(folder):
                    for entry in [root] + [os.path.join(root, n) for n in dirs + files]:
                        os.chown(entry, neo4j.pw_uid, neo4j.pw_gid)
        elif not os.access(folder, os.W_OK) and os.stat(folder).st_uid != neo4j.pw_uid:
            fail(f"Folder {folder} is not accessible for user: {os.getuid()} or group {os.getgid()}. "
                 "Hints to solve the issue: Make sure the folder exists before mounting it, and that it is writable by that user.")
    for folder in ("/import", NEO4J_HOME + "/import"):
        if os.path.isdir(folder) and not os.access(folder, os.R_OK):
            fail(f"Folder {folder} is not accessible for user: {os.getuid()} or group {os.getgid()}.")


def set_initial_password(auth, settings):
    """set_initial_password: returns the password to check, or None when authentication is off."""
    if auth == "none" or settings.get("dbms.security.auth_enabled", "true").lower() == "false":
        return None
    if not auth:
        return hashlib.sha256(b"neo4j").hexdigest()  # the default password, to be changed on first login
    m = re.fullmatch(r"([^/]+)/([^/]+)/?([tT][rR][uU][eE])?", auth)
    if not m:
        print(f"{auth.split('/')[0]}/... is invalid")
        fail(f"Invalid value for NEO4J_AUTH: '{auth.split('/')[0]}/...'")
    user, password = m.group(1), m.group(2)
    if password == "neo4j":
        fail("Invalid value for password. It cannot be 'neo4j', which is the default.")
    if user != "neo4j":
        fail("Invalid admin username, it must be neo4j.")
    minimum = int(settings.get("dbms.security.auth_minimum_password_length", "8"))
    if len(password) < minimum:
        print("Invalid value for password. The minimum password length is 8 characters.\n"
              "If Neo4j fails to start, you can:\n  1) Use a stronger password.\n"
              "  2) Set configuration dbms.security.auth_minimum_password_length to override the minimum password length requirement.\n"
              "  3) Set environment variable NEO4J_dbms_security_auth__minimum__password__length to override the minimum password length requirement.", file=sys.stderr)
        fail(f"org.neo4j.commandline.admin.security.exception.InvalidPasswordException: A password must be at least {minimum} characters.", 70)
    digest = hashlib.sha256(password.encode()).hexdigest()
    if os.path.isdir("/data"):
        os.makedirs(os.path.dirname(AUTH_FILE), exist_ok=True)
        if os.path.exists(AUTH_FILE):
            print("Changed password for user 'neo4j'. IMPORTANT: this change will only take effect if performed before the database is started for the first time.")
            return open(AUTH_FILE).read().strip()
        with open(AUTH_FILE, "w") as f:
            f.write(digest)
    return digest


class Discovery(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - stdlib name
        body = json.dumps({"bolt_direct": "bolt://localhost:7687", "neo4j_version": "5.26.0-standin", "neo4j_edition": "community"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def bolt_handler(password_digest):
    class Bolt(socketserver.StreamRequestHandler):
        def handle(self):
            data = self.rfile.read(20)
            if len(data) != 20 or data[:4] != BOLT_MAGIC:
                return
            self.wfile.write(b"\x00\x00\x04\x05")  # agree to Bolt 5.4, whatever was proposed
            self.wfile.flush()
            line = self.rfile.readline(4096).decode("utf-8", "replace").rstrip("\n")
            if not line.startswith("STANDIN-AUTH "):
                return  # a handshake probe: nothing more
            user, _, password = line[len("STANDIN-AUTH "):].partition("\t")
            ok = os.environ.get("STANDIN_AUTH_BROKEN") != "1" and (
                password_digest is None or (user == "neo4j" and hashlib.sha256(password.encode()).hexdigest() == password_digest))
            self.wfile.write(b"OK\n" if ok else b"UNAUTHORIZED\n")
    return Bolt


class ThreadingTCP(socketserver.ThreadingMixIn, socketserver.TCPServer):
    allow_reuse_address = True
    daemon_threads = True


def load_secret_files():
    """Neo4j 5.24+ reads Docker secrets through NEO4J_*_FILE variables: the content of the file that
    NEO4J_X_FILE names is the value of NEO4J_X, and the _FILE variable is no setting (operations manual,
    "Deploy a Neo4j server with Docker secrets", introduced in 5.24: "Secrets only support environment
    variables starting with NEO4J_ and ending with _FILE"; neo4j/docs-operations#1879: with 5.22 the same
    variable stops the start as the unknown setting AUTH.FILE, with 5.24 a file holding 'neo4j:password'
    is "Invalid value for NEO4J_AUTH", so the content is checked exactly as NEO4J_AUTH is). StackDeploy
    passes the password that way in a swarm. The content is taken as the shell's $(cat FILE) gives it:
    without trailing newlines. An unreadable file stops the start (the stand-in's wording)."""
    for name in sorted(n for n in os.environ if n.startswith("NEO4J_") and n.endswith("_FILE")):
        path = os.environ.pop(name)
        try:
            with open(path, encoding="utf-8") as secret:
                os.environ[name[:-len("_FILE")]] = secret.read().rstrip("\n")
        except OSError as error:
            fail(f"The file '{path}' that {name} names cannot be read: {error.strerror}")


def drop_privileges():
    if os.getuid() == 0:
        neo4j = pwd.getpwnam("neo4j")
        os.setgid(neo4j.pw_gid)
        os.setuid(neo4j.pw_uid)


def main(argv):
    if not argv or argv[0] != "neo4j":
        # ${exec_cmd} "$@": any other command runs as given.
        path = shutil.which(argv[0]) if argv else None
        if path is None:
            fail(f"{argv[0] if argv else '(no command)'}: command not found", 127)
        os.execv(path, argv)
    check_folders()
    load_secret_files()
    settings = settings_from_environment()
    validate(settings)
    digest = set_initial_password(os.environ.get("NEO4J_AUTH", ""), settings)
    drop_privileges()
    with open("/logs/debug.log" if os.access("/logs", os.W_OK) else os.devnull, "a") as debug:
        debug.write(f"{time.strftime('%Y-%m-%d %H:%M:%S')} INFO  stand-in starting\n")
    time.sleep(float(os.environ.get("STANDIN_STARTUP_DELAY", "0")))
    http = HTTPServer(("0.0.0.0", 7474), Discovery)
    bolt = ThreadingTCP(("0.0.0.0", 7687), bolt_handler(digest))
    threading.Thread(target=bolt.serve_forever, daemon=True).start()
    print("Started. (neo4j stand-in: HTTP 7474, Bolt 7687)", flush=True)
    http.serve_forever()


if __name__ == "__main__":
    import signal
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    main(sys.argv[1:])
