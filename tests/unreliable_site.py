"""A news site on 127.0.0.1 that misbehaves on purpose, for fault-tolerance and resume tests.

    with UnreliableSite(articles=30, hold_after=6) as site:
        site.base_url           # http://127.0.0.1:PORT, crawlable as a generic profile
        site.hits(path)         # how many times a path was requested
        site.gate               # answers the first 6 article requests, holds the rest until site.gate.release()

The home page links nothing; /robots.txt names /sitemap.xml, which lists the good articles
(/2024/05/NN/report-NN/, each with three comments, one a reply) and, with faults=True, one article per fault:
    /2024/06/01/flaky/         500 twice, then the page (retries with backoff recover it)
    /2024/06/02/broken/        500 every time
    /2024/06/03/slow/          answers only when the site stops, past any DOWNLOAD_TIMEOUT
    /2024/06/04/reset/         the connection is reset (TCP RST) before any response
    /2024/06/05/loop/          302 to /2024/06/05/loop-b/, which 302s back
    /2024/06/06/huge/          declares a 20 MB body
    /2024/06/07/huge-stream/   streams 3 MB without Content-Length
    /2024/06/08/gzip-bomb/     40 KB of gzip that inflates to 40 MB
    /2024/06/09/garbage/       random bytes served as text/html
    /2024/06/10/tag-soup/      invalid HTML with no article text in it
and robots.txt also names /sitemap-news.xml, which answers 500 every time.
"""

from __future__ import annotations

import gzip
import random
import socket
import struct
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler

from tests.local_server import Gate, LocalServer
from tests.wordpress_site import page, paragraphs, thread_html

FAULTS = {
    "flaky": "/2024/06/01/flaky/", "broken": "/2024/06/02/broken/", "slow": "/2024/06/03/slow/",
    "reset": "/2024/06/04/reset/", "loop": "/2024/06/05/loop/", "huge": "/2024/06/06/huge/",
    "huge-stream": "/2024/06/07/huge-stream/", "gzip-bomb": "/2024/06/08/gzip-bomb/",
    "garbage": "/2024/06/09/garbage/", "tag-soup": "/2024/06/10/tag-soup/",
}
BROKEN_SITEMAP = "/sitemap-news.xml"
GZIP_BOMB = gzip.compress(b"\0" * (40 * 1024 * 1024), compresslevel=9)


def article_path(number: int) -> str:
    return f"/2024/05/{number % 28 + 1:02d}/report-{number:02d}/"


class UnreliableSite(LocalServer):
    def __init__(self, articles: int = 3, faults: bool = False, hold_after: int | None = None):
        self.articles = [article_path(n) for n in range(articles)]
        self.faults = faults
        self.counts: Counter[str] = Counter()
        self.lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                with site.lock:
                    site.counts[self.path] += 1
                    hit = site.counts[self.path]
                try:
                    site.respond(self, hit)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the crawler gave up on this response (timeout, size limit): that is the point

            def log_message(self, *args):
                pass

        super().__init__(Handler)
        self.gate = Gate(hold_after)
        self.stalled = Gate(0)  # the slow fault: never answers while the site runs
        self.gates += [self.gate, self.stalled]

    def hits(self, path: str) -> int:
        with self.lock:
            return self.counts[path]

    def respond(self, handler: BaseHTTPRequestHandler, hit: int) -> None:
        path = handler.path
        if path == "/robots.txt":
            sitemaps = ["/sitemap.xml"] + ([BROKEN_SITEMAP] if self.faults else [])
            lines = "".join(f"Sitemap: {self.base_url}{p}\n" for p in sitemaps)
            return send(handler, 200, f"User-agent: *\n{lines}", "text/plain")
        if path == "/":
            return send(handler, 200, "<html><head><title>Frontline reports</title></head><body></body></html>",
                        "text/html; charset=utf-8")
        if path == "/sitemap.xml":
            paths = self.articles + (list(FAULTS.values()) if self.faults else [])
            urls = "".join(f"<url><loc>{self.base_url}{p}</loc></url>" for p in paths)
            return send(handler, 200, f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/'
                                      f'sitemap/0.9">{urls}</urlset>', "application/xml")
        if path in self.articles:
            self.gate.enter()
            return send(handler, 200, self.article(path), "text/html; charset=utf-8")
        if self.faults:
            return self.misbehave(handler, path, hit)
        return send(handler, 404, "not here", "text/plain")

    def article(self, path: str) -> str:
        slug = path.rstrip("/").rsplit("/", 1)[1]
        comments = [
            {"id": 1, "author": "analyst_one", "posted": "2024-05-02T08:00:00", "text": f"On {slug}: good report."},
            {"id": 2, "author": "Mira", "posted": "2024-05-02T09:00:00", "text": "Agreed, the maps help.",
             "parent": 0},
            {"id": 3, "author": "Tomas", "posted": "2024-05-02T10:00:00", "text": "Any word on the bridge?"},
        ]
        body = "".join(f"<p>{text}</p>" for text in paragraphs("Kharkiv", marker=f"[{slug}]"))
        return page(self.base_url, path, f"Frontline report {slug}", body, author="Ivan Petrenko",
                    date="2024-05-01", comments=f'<div id="comments" class="comments-area"><ol class="comment-list">'
                                                f'{thread_html(comments)}</ol></div>')

    def misbehave(self, handler, path: str, hit: int) -> None:
        if path == FAULTS["flaky"]:
            if hit <= 2:
                return send(handler, 500, "Internal Server Error", "text/plain")
            return send(handler, 200, self.article(path), "text/html; charset=utf-8")
        if path in (FAULTS["broken"], BROKEN_SITEMAP):
            return send(handler, 500, "Internal Server Error", "text/plain")
        if path == FAULTS["slow"]:
            self.stalled.enter()
            return send(handler, 200, self.article(path), "text/html; charset=utf-8")
        if path == FAULTS["reset"]:
            handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            handler.connection.close()  # linger 0: the peer gets a TCP RST
            handler.close_connection = True
            return None
        if path.startswith(FAULTS["loop"].rstrip("/")):
            target = "/2024/06/05/loop-b/" if path == FAULTS["loop"] else FAULTS["loop"]
            handler.send_response(302)
            handler.send_header("Location", self.base_url + target)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return None
        if path == FAULTS["huge"]:
            handler.send_response(200)
            handler.send_header("Content-Type", "text/html")
            handler.send_header("Content-Length", str(20 * 1024 * 1024))
            handler.end_headers()
            handler.wfile.write(b"<html>" + b" " * 65536)  # then stall: the crawler must not wait for the rest
            handler.close_connection = True
            return None
        if path == FAULTS["huge-stream"]:
            handler.send_response(200)
            handler.send_header("Content-Type", "text/html")
            handler.send_header("Connection", "close")
            handler.end_headers()
            for _ in range(48):
                handler.wfile.write(b"<p>" + b"x" * 65536 + b"</p>")
            handler.close_connection = True
            return None
        if path == FAULTS["gzip-bomb"]:
            handler.send_response(200)
            handler.send_header("Content-Type", "text/html")
            handler.send_header("Content-Encoding", "gzip")
            handler.send_header("Content-Length", str(len(GZIP_BOMB)))
            handler.end_headers()
            handler.wfile.write(GZIP_BOMB)
            return None
        if path == FAULTS["garbage"]:
            noise = random.Random(7).randbytes(20_000)
            return send(handler, 200, noise, "text/html")
        if path == FAULTS["tag-soup"]:
            return send(handler, 200, "<html><div><table><p><b><i></div></td><script>var x = 1;</p><<>>", "text/html")
        return send(handler, 404, "not here", "text/plain")


def send(handler: BaseHTTPRequestHandler, status: int, body: str | bytes, content_type: str) -> None:
    data = body.encode("utf-8") if isinstance(body, str) else body
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    handler.wfile.write(data)
