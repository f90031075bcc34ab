"""`frontline crawl` throughput against a local synthetic WordPress-like site (no network, no politeness delay).

    .venv/bin/python benchmarks/crawl_throughput.py --articles 1000 [--seed 1] [--concurrency 16]
        [--workers 2] [--compare-import]

A ThreadingHTTPServer on 127.0.0.1 (a free port) serves:
    /robots.txt                 with a `Sitemap:` line naming /sitemap_index.xml
    /sitemap_index.xml          -> /post-sitemap-K.xml, 1,000 article URLs each (with lastmod)
    /2019/04/07/slug-123/       article i, generated on the fly by synthetic.html_page(i) (60-150 KB)
    /  and /feed/               a home page and an RSS feed naming the 10 newest articles
Anything else (the category and tag links of the menus) answers 404.

Then `frontline crawl http://127.0.0.1:PORT/ --db TMP/frontline.db` runs as a child process with
AutoThrottle off, no delay and 16 concurrent requests, and we report pages/s (articles stored / wall time
of the child, including its start-up), the server's own time spent generating pages (it shares the CPU
with the crawler), the crawler's peak RSS (os.wait4 on its pid) and the articles stored, which must be N.

--compare-import first writes the very pages the server serves (same bytes, absolute links to it) into a
folder and runs `frontline import` on them, in the same run, with the same FRONTLINE_WORKERS (--workers;
default: the setting's own), and reports the crawl's rate as a ratio to the import's.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT)]

import synthetic  # noqa: E402
from import_throughput import FRONTLINE, db_counts, measure_tree, run_import  # noqa: E402

from tests.local_server import LocalServer, answering_handler  # noqa: E402  the test sites' server: same start and stop

CHUNK = 1000


class SyntheticSite(LocalServer):
    def __init__(self, n: int, seed: int = 1):
        self.n, self.seed = n, seed
        self.paths = {synthetic.article_path(i, seed): i for i in range(n)}
        self.ordered = list(self.paths)
        self.hits: Counter = Counter()
        self.generate_s = 0.0
        self.lock = threading.Lock()
        super().__init__(answering_handler(self.answer, http11=True))
        self.base = self.base_url

    def answer(self, request):
        status, content_type, body = self.respond(request.path.split("?", 1)[0].split("#", 1)[0])
        return status, {"Content-Type": content_type}, body

    def sitemap(self, paths, kind="urlset") -> str:
        tag = "url" if kind == "urlset" else "sitemap"
        entries = "".join(f"<{tag}><loc>{self.base}{p}</loc><lastmod>2024-03-20T12:00:00+00:00</lastmod></{tag}>"
                          for p in paths)
        return (f'<?xml version="1.0" encoding="UTF-8"?><{kind} '
                f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</{kind}>')

    def respond(self, path: str) -> tuple[int, str, bytes]:
        html = "text/html; charset=utf-8"
        if path in self.paths:
            start = time.perf_counter()
            body = synthetic.html_page(self.paths[path], self.seed, base=self.base).encode("utf-8")
            with self.lock:
                self.generate_s += time.perf_counter() - start
                self.hits["article"] += 1
            return 200, html, body
        with self.lock:
            self.hits[path if not path.startswith("/post-sitemap-") else "/post-sitemap-K.xml"] += 1
        if path == "/robots.txt":
            return 200, "text/plain", f"User-agent: *\nDisallow: /wp-admin/\nSitemap: {self.base}/sitemap_index.xml\n".encode()
        if path == "/sitemap_index.xml":
            chunks = [f"/post-sitemap-{k + 1}.xml" for k in range((self.n + CHUNK - 1) // CHUNK)]
            return 200, "application/xml", self.sitemap(chunks, "sitemapindex").encode()
        if path.startswith("/post-sitemap-") and path.endswith(".xml"):
            k = int(path[len("/post-sitemap-"):-4]) - 1
            return 200, "application/xml", self.sitemap(self.ordered[k * CHUNK:(k + 1) * CHUNK]).encode()
        newest = self.ordered[-10:]
        if path == "/feed/":
            items = "".join(f"<item><title>t</title><link>{self.base}{p}</link></item>" for p in newest)
            return 200, "application/rss+xml", (f'<?xml version="1.0"?><rss version="2.0"><channel><title>'
                                                f'{synthetic.SITE_NAME}</title>{items}</channel></rss>').encode()
        if path == "/":
            links = "".join(f'<li><a href="{self.base}{p}">{p}</a></li>' for p in newest)
            return 200, html, (f"<!DOCTYPE html><html><head><title>{synthetic.SITE_NAME}</title></head><body>"
                               f"<h1>{synthetic.SITE_NAME}</h1><ul>{links}</ul></body></html>").encode()
        return 404, html, b"<html><body><h1>Not found</h1></body></html>"


def import_served_pages(site: SyntheticSite, work: Path, workers: int | None) -> dict:
    """`frontline import` of the pages the site serves, byte for byte, written to disk first."""
    corpus = work / "served"
    corpus.mkdir()
    for i in range(site.n):
        page = synthetic.html_page(i, site.seed, base=site.base)
        (corpus / f"article-{i:06d}.html").write_text(page, encoding="utf-8")
    db = work / "imported.db"
    wall, rss, tree, _ = run_import(corpus, db, workers)
    articles = db_counts(db)[0]
    return {"wall": wall, "rss": rss, "tree": tree, "articles": articles, "rate": articles / wall}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, help="FRONTLINE_WORKERS of the crawl (and of the import)")
    parser.add_argument("--compare-import", action="store_true",
                        help="also import the same pages from disk, in the same run, and give the ratio")
    args = parser.parse_args(argv)
    n = args.articles
    env = {**os.environ, "FRONTLINE_WORKERS": str(args.workers)} if args.workers is not None else None
    work = Path(tempfile.mkdtemp(prefix="frontline-crawl-bench-"))
    try:
        db = work / "frontline.db"
        with SyntheticSite(n, args.seed) as site:
            offline = import_served_pages(site, work, args.workers) if args.compare_import else None
            c = str(args.concurrency)
            cmd = [FRONTLINE, "crawl", site.base + "/", "--db", str(db), "-s", "AUTOTHROTTLE_ENABLED=False",
                   "-s", "DOWNLOAD_DELAY=0", "-s", f"CONCURRENT_REQUESTS_PER_DOMAIN={c}", "-s", f"CONCURRENT_REQUESTS={c}"]
            print("$ " + " ".join(cmd[1:]).replace(str(db), "TMP/frontline.db"))
            status, wall, rss, out, err, tree = measure_tree(cmd, env=env)
            hits, generate_s = dict(site.hits), site.generate_s
        if status != 0:
            sys.exit(f"frontline crawl failed ({status}):\n{err[-3000:]}")
        with sqlite3.connect(db) as conn:
            stored = conn.execute("select count(*) from articles").fetchone()[0]
            comments = conn.execute("select count(*) from comments").fetchone()[0]
            rejects = conn.execute("select count(*) from rejects").fetchone()[0]
        fetched = hits.get("article", 0)
        print()
        print("| run | articles | seconds | pages/s | peak RSS MB | peak PSS MB (with workers) |")
        print("| --- | --- | --- | --- | --- | --- |")
        print(f"| frontline crawl, end to end | {stored} | {wall:.1f} | {stored / wall:,.1f} | {rss:.0f} | "
              f"{tree:.0f} |")
        if offline:
            print(f"| frontline import of the same pages from disk | {offline['articles']} | {offline['wall']:.1f} | "
                  f"{offline['rate']:,.1f} | {offline['rss']:.0f} | {offline['tree']:.0f} |")
        print()
        print(f"server: {fetched} article pages served (generating them took {generate_s:.1f} s of the "
              f"{wall:.1f} s, on the same CPUs), other requests: "
              + ", ".join(f"{k} {v}" for k, v in sorted(hits.items()) if k != "article"))
        print(f"stored: {stored} articles, {comments} comments, {rejects} rejects (expected {n} articles)")
        print(f"BENCH crawl articles={n} stored={stored} comments={comments} fetched={fetched} seconds={wall:.2f} "
              f"pages_per_s={stored / wall:.2f} peak_rss_mb={rss:.0f} server_generate_s={generate_s:.2f} "
              f"concurrency={args.concurrency} peak_tree_pss_mb={tree:.0f} "
              f"workers={'default' if args.workers is None else args.workers}"
              + (f" import_s={offline['wall']:.2f} import_stored={offline['articles']} "
                 f"import_pages_per_s={offline['rate']:.2f} ratio={stored / wall / offline['rate']:.3f}"
                 if offline else ""))
        if offline:
            print(f"ratio crawl/import: {stored / wall / offline['rate']:.3f} (end to end, start-up included; "
                  f"target >= 1.0)")
        if stored != n or (offline and offline["articles"] != n):
            print(f"ERROR: stored {stored} articles (crawl), {offline and offline['articles']} (import), "
                  f"expected {n}\n{err[-3000:]}", file=sys.stderr)
            sys.exit(1)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
