"""STAND-IN for Neo4j: HTTP discovery on 7474 and the Bolt version handshake on 7687.

Reads NEO4J_AUTH like the real image (neo4j/<password> or none) only to reject a malformed value,
and STANDIN_STARTUP_DELAY (seconds) to open its ports late, as Neo4j does while it boots.
"""
import json
import os
import signal
import socketserver
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

BOLT_MAGIC = b"\x60\x60\xb0\x17"


class Discovery(BaseHTTPRequestHandler):
    def do_GET(self):
        body = json.dumps({"bolt_direct": "bolt://localhost:7687", "neo4j_version": "5.26.0-standin", "neo4j_edition": "community"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Bolt(socketserver.BaseRequestHandler):
    def handle(self):
        data = self.request.recv(20)
        if len(data) == 20 and data[:4] == BOLT_MAGIC:
            # Agree to Bolt 5.4, whatever was proposed: enough for a handshake probe.
            self.request.sendall(b"\x00\x00\x04\x05")


class ThreadingTCP(socketserver.ThreadingMixIn, socketserver.TCPServer):
    allow_reuse_address = True
    daemon_threads = True


def neo4j_auth():
    """NEO4J_AUTH, or the content of the file NEO4J_AUTH_FILE names: Neo4j 5.24+ reads NEO4J_*_FILE
    variables as Docker secrets ("Deploy a Neo4j server with Docker secrets",
    https://neo4j.com/docs/operations-manual/current/docker/docker-compose-standalone/)."""
    path = os.environ.get("NEO4J_AUTH_FILE")
    if path:
        with open(path, encoding="utf-8") as secret:
            return secret.read().strip()
    return os.environ.get("NEO4J_AUTH", "")


def main():
    auth = neo4j_auth()
    if auth and auth != "none" and not auth.startswith("neo4j/"):
        print(f"Invalid value for NEO4J_AUTH: '{auth.split('/')[0]}/...'", file=sys.stderr)
        sys.exit(1)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    time.sleep(float(os.environ.get("STANDIN_STARTUP_DELAY", "0")))
    http = HTTPServer(("0.0.0.0", 7474), Discovery)
    bolt = ThreadingTCP(("0.0.0.0", 7687), Bolt)
    threading.Thread(target=bolt.serve_forever, daemon=True).start()
    print("Started. (neo4j stand-in: HTTP 7474, Bolt 7687)", flush=True)
    http.serve_forever()


if __name__ == "__main__":
    main()
