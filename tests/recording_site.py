"""A test site whose answers come from a function, and which records every request it receives.

    with RecordingSite(lambda host, path: (200, {"Content-Type": "text/plain"}, b"hello")) as site:
        site.hits            # [(Host header, path)] in arrival order

A test asserts from `hits` what was asked for, or that nothing was: a second one on 127.0.0.2, or on another
port, stands in for an internal service that a hostile site tries to make the crawler read.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler
from typing import Callable

from tests.local_server import LocalServer

Answer = tuple[int, dict[str, str], bytes]


class RecordingSite(LocalServer):
    def __init__(self, respond: Callable[[str, str], Answer], host: str = "127.0.0.1", port: int = 0):
        self.hits: list[tuple[str, str]] = []
        lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                host = self.headers.get("Host", "")
                with lock:
                    site.hits.append((host, self.path))
                status, headers, body = respond(host, self.path)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        super().__init__(Handler, host, port)


def redirect(status: int, location: str) -> Answer:
    return status, {"Location": location}, b""


def html(body: str, status: int = 200) -> Answer:
    return status, {"Content-Type": "text/html; charset=utf-8"}, body.encode("utf-8")


def text(body: str, status: int = 200) -> Answer:
    return status, {"Content-Type": "text/plain"}, body.encode("utf-8")
