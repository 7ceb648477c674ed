#!/usr/bin/env python3
"""Stand-in network services for tests/scripts/run.sh (stdlib only, 127.0.0.1, ephemeral ports).

Not Neo4j and not Dagster: each listener speaks only the part of a protocol that the entrypoint
scripts touch. Writes shell assignments NAME_PORT=<n> to the file given as argv[1], then serves
until killed.

    TCP_PORT     accepts and closes (plain TCP readiness)
    HTTP_PORT    /server_info -> 200 JSON, /redirect -> 302, /fail -> 500, else 404
    BOLT_PORT    Bolt handshake: reads magic + 4 proposals, answers version 5.4
    BOLT0_PORT   Bolt handshake answered with 0 (no common version)
    SILENT_PORT  accepts and never answers (probe timeouts)
    CLOSED_PORT  nothing listens there (a port that was free a moment ago)
"""
import http.server
import os
import socket
import sys
import threading

HOST = "127.0.0.1"


def listener():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((HOST, 0))
    s.listen(16)
    return s


def serve(sock, handle):
    def loop():
        held = []
        while True:
            conn, _ = sock.accept()
            try:
                if handle(conn):
                    held.append(conn)  # keep it open (silent listener)
                    continue
            except OSError:
                pass
            conn.close()

    threading.Thread(target=loop, daemon=True).start()


def recv_exact(conn, n):
    data = b""
    conn.settimeout(5)
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            break
        data += chunk
    return data


def bolt(version):
    def handle(conn):
        hello = recv_exact(conn, 20)
        if hello[:4] == bytes.fromhex("6060B017"):
            conn.sendall(version)
        return False

    return handle


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - stdlib name
        if self.path == "/server_info":
            body = b'{"dagster_webserver_version": "stand-in"}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "http://127.0.0.1:9/nowhere")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path == "/fail":
            self.send_error(500)
        else:
            self.send_error(404)

    def log_message(self, *args):
        pass


def main():
    ports = {}
    tcp = listener()
    serve(tcp, lambda conn: False)
    ports["TCP"] = tcp.getsockname()[1]

    b = listener()
    serve(b, bolt(bytes((0, 0, 4, 5))))
    ports["BOLT"] = b.getsockname()[1]

    b0 = listener()
    serve(b0, bolt(bytes(4)))
    ports["BOLT0"] = b0.getsockname()[1]

    silent = listener()
    serve(silent, lambda conn: True)
    ports["SILENT"] = silent.getsockname()[1]

    free = listener()
    ports["CLOSED"] = free.getsockname()[1]
    free.close()

    httpd = http.server.ThreadingHTTPServer((HOST, 0), Handler)
    ports["HTTP"] = httpd.server_address[1]

    tmp = sys.argv[1] + ".tmp"
    with open(tmp, "w") as f:
        for name, port in ports.items():
            f.write(f"{name}_PORT={port}\n")
    os.replace(tmp, sys.argv[1])
    httpd.serve_forever()


if __name__ == "__main__":
    main()
