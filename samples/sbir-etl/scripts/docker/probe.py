#!/usr/bin/env python3
"""Readiness probes for the sbir-etl container scripts (Python standard library only).

    probe.py tcp HOST PORT [--timeout S]   TCP connect succeeds
    probe.py http URL [--timeout S]        GET answers 2xx or 3xx (redirects not followed, proxies bypassed)
    probe.py bolt HOST PORT [--timeout S]  Bolt handshake agrees on a non-zero protocol version
    probe.py module [NAME]                 the Python module NAME (default: $DAGSTER_MODULE_NAME) imports

Exit status: 0 up, 1 down, 2 usage error. When down, one line on stderr says why (the reason only,
without the target); nothing on stdout unless --verbose.
The image has no curl, nc or ps; lib.sh calls this with an argv list, never through a shell string.
"""

import argparse
import importlib
import os
import socket
import sys
import urllib.error
import urllib.request

BOLT_MAGIC = bytes.fromhex("6060B017")
# Four version proposals, newest first: [reserved, range, minor, major], big-endian.
# 5.8 down to 5.0, 4.4 down to 4.2, 4.1, 3.0: covers Neo4j 3.5 to 5.x and 2025.x.
BOLT_PROPOSALS = (
    bytes((0, 8, 8, 5)),
    bytes((0, 2, 4, 4)),
    bytes((0, 0, 1, 4)),
    bytes((0, 0, 0, 3)),
)


class Down(Exception):
    """The probed service is not (yet) up; the message says why."""


def _port(text):
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"invalid port {text!r}: use a number from 1 to 65535")
    return value


def _connect(host, port, timeout):
    try:
        return socket.create_connection((host, port), timeout=timeout)
    except socket.gaierror as e:
        raise Down(f"cannot resolve host {host!r}: {e.strerror}") from e
    except socket.timeout as e:
        raise Down(f"connect timed out after {timeout:g}s") from e
    except OSError as e:
        raise Down(f"connect failed: {e.strerror or e}") from e


def probe_tcp(args):
    _connect(args.host, args.port, args.timeout).close()


def probe_bolt(args):
    with _connect(args.host, args.port, args.timeout) as sock:
        try:
            sock.sendall(BOLT_MAGIC + b"".join(BOLT_PROPOSALS))
            reply = b""
            while len(reply) < 4:
                chunk = sock.recv(4 - len(reply))
                if not chunk:
                    raise Down(f"connection closed after {len(reply)} of 4 handshake bytes (not a Bolt server yet)")
                reply += chunk
        except socket.timeout as e:
            raise Down(f"no Bolt handshake reply within {args.timeout:g}s") from e
        except OSError as e:
            raise Down(f"Bolt handshake failed: {e.strerror or e}") from e
    if reply == b"\x00\x00\x00\x00":
        raise Down("server answered the Bolt handshake but supports none of the proposed versions")
    major, minor = reply[3], reply[2]
    if args.verbose:
        print(f"bolt {major}.{minor}")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: D102 - stdlib override
        return None  # a 3xx already means "up": surface it as HTTPError instead of following it


def probe_http(args):
    if not args.url.startswith(("http://", "https://")):
        raise Down(f"unsupported URL {args.url!r}: use http:// or https://")
    # ProxyHandler({}) ignores http_proxy/HTTP_PROXY: a service name must never go through a proxy.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect)
    try:
        with opener.open(args.url, timeout=args.timeout) as response:
            status = response.status
    except urllib.error.HTTPError as e:
        status = e.code
    except urllib.error.URLError as e:
        reason = e.reason
        if isinstance(reason, OSError):
            reason = reason.strerror or reason
        raise Down(f"request failed: {reason}") from e
    except (socket.timeout, TimeoutError) as e:
        raise Down(f"no HTTP answer within {args.timeout:g}s") from e
    except OSError as e:
        raise Down(f"request failed: {e.strerror or e}") from e
    if not 200 <= status < 400:
        raise Down(f"HTTP status {status}")
    if args.verbose:
        print(f"http {status}")


def probe_module(args):
    name = args.name or os.environ.get("DAGSTER_MODULE_NAME", "")
    if not name:
        raise Down("no module given and DAGSTER_MODULE_NAME is empty")
    # As Dagster's ModuleTarget does, the working directory is importable too.
    sys.path.insert(0, os.getcwd())
    try:
        importlib.import_module(name)
    except BaseException as e:  # noqa: BLE001 - any failure to import is the answer, SystemExit included
        raise Down(f"{type(e).__name__}: {e}".splitlines()[0] if str(e) else type(e).__name__) from e
    if args.verbose:
        print(f"module {name}")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="probe.py", description="Readiness probes: exit 0 up, 1 down.")
    sub = parser.add_subparsers(dest="kind", required=True)
    for name, func, url in (("tcp", probe_tcp, False), ("http", probe_http, True), ("bolt", probe_bolt, False)):
        p = sub.add_parser(name)
        if url:
            p.add_argument("url")
        else:
            p.add_argument("host")
            p.add_argument("port", type=_port)
        p.add_argument("--timeout", type=float, default=3.0, help="seconds for this one attempt (default 3)")
        p.add_argument("--verbose", action="store_true", help="print what answered on success")
        p.set_defaults(func=func)
    p = sub.add_parser("module")
    p.add_argument("name", nargs="?", help="the module (default: $DAGSTER_MODULE_NAME)")
    p.add_argument("--timeout", type=float, default=3.0, help="ignored; accepted like the other probes")
    p.add_argument("--verbose", action="store_true", help="print the module on success")
    p.set_defaults(func=probe_module)
    args = parser.parse_args(argv)
    try:
        args.func(args)
    except Down as e:
        print(e, file=sys.stderr)  # the reason only: callers already name the target
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
