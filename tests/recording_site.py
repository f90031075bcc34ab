"""A test site whose answers come from a function, and which records every request it receives.

    with RecordingSite(lambda host, path: (200, {"Content-Type": "text/plain"}, b"hello")) as site:
        site.hits            # [(Host header, path)] in arrival order

A test asserts from `hits` what was asked for, or that nothing was: a second one on 127.0.0.2, or on another
port, stands in for an internal service that a hostile site tries to make the crawler read.
"""

from __future__ import annotations

import threading
from typing import Callable

from tests.local_server import Answer, LocalServer, answering_handler


class RecordingSite(LocalServer):
    def __init__(self, respond: Callable[[str, str], Answer], host: str = "127.0.0.1", port: int = 0):
        self.hits: list[tuple[str, str]] = []
        lock = threading.Lock()

        def answer(request):
            host = request.headers.get("Host", "")
            with lock:
                self.hits.append((host, request.path))
            return respond(host, request.path)

        super().__init__(answering_handler(answer), host, port)


def redirect(status: int, location: str) -> Answer:
    return status, {"Location": location}, b""


def html(body: str, status: int = 200) -> Answer:
    return status, {"Content-Type": "text/html; charset=utf-8"}, body.encode("utf-8")


def text(body: str, status: int = 200) -> Answer:
    return status, {"Content-Type": "text/plain"}, body.encode("utf-8")
