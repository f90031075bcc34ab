"""A test web site on a free port of 127.0.0.1 (or a given address and port), started and stopped with `with`,
and a Gate that holds chosen responses until the test releases them."""

from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable

GATE_DEADLINE = 120  # seconds: generous on a loaded machine, but a broken test fails instead of hanging


Answer = tuple[int, dict[str, str], bytes]  # status, headers, body


def answering_handler(answer: Callable[[BaseHTTPRequestHandler], Answer], http11: bool = False) -> type:
    """A request handler that answers every GET with answer(request): the shape of most test sites here."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1" if http11 else "HTTP/1.0"

        def do_GET(self):
            status, headers, body = answer(self)
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    return Handler


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LocalServer:
    """host: another loopback address (127.0.0.2) stands in for an internal service."""

    def __init__(self, handler, host: str = "127.0.0.1", port: int = 0):
        self.server = ThreadingHTTPServer((host, port), handler)
        self.server.daemon_threads = True
        self.base_url = f"http://{host}:{self.server.server_address[1]}"
        self.gates: list[Gate] = []  # opened on exit, so that no handler thread outlives the test

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        for gate in self.gates:
            gate.release()
        self.server.shutdown()
        self.server.server_close()


class Gate:
    """Lets the first `let_through` requests pass, then holds every further one until release().

    A test waits until the crawler is held at a known point (`wait_until_held(n)`), acts (kills it, starts
    another process), then releases: no test depends on one process being slower than another.
    `Gate(None)` is open: nothing is held.
    """

    def __init__(self, let_through: int | None = None):
        self.let_through = let_through
        self.passed = 0
        self.held = 0
        self.is_open = let_through is None
        self.condition = threading.Condition()

    def enter(self) -> None:
        """Called by a request handler before it answers; returns when the response may go."""
        with self.condition:
            if self.is_open or self.passed < self.let_through:
                self.passed += 1
                return
            self.held += 1
            self.condition.notify_all()
            self.condition.wait_for(lambda: self.is_open, GATE_DEADLINE)
            self.held -= 1

    def wait_until_held(self, count: int, timeout: float = GATE_DEADLINE) -> None:
        """Block until `count` requests wait at the gate: the crawler cannot get further on its own."""
        with self.condition:
            if not self.condition.wait_for(lambda: self.held >= count, timeout):
                raise AssertionError(f"{self.held} request(s) held after {timeout} s, expected {count}")

    def release(self) -> None:
        with self.condition:
            self.is_open = True
            self.condition.notify_all()
