"""Datasette latency over HTTP: full-text search, the actor query and the article page, against `frontline serve`.

    .venv/bin/python benchmarks/datasette_latency.py --db path/to/frontline.db [--requests 50]
    .venv/bin/python benchmarks/datasette_latency.py --articles 1000      # imports a synthetic corpus first

Starts `frontline serve --db PATH --port P` as a child process (Datasette serves the database under its
file stem, so with --articles the database is TMP/frontline.db; with --db any name works, the stem is
read from it), waits until it answers, then times each kind of request with urllib, one at a time
(--requests per kind, after 3 warm-up requests that are not counted), and prints median and p95 in ms:
  - FTS search of articles, HTML page:  /DB/articles?_search=TERM
  - FTS search of articles, JSON:       /DB/articles.json?_search=TERM
  - FTS search of comments, HTML page:  /DB/comments?_search=TERM
  - the canned query actor_articles (db/metadata.yml; there is no canned full-text search query):
                                        /DB/actor_articles?actor=NAME
  - the article page (plugin route):    /DB/-/article/ID   for random article ids
  - the entity page (plugin route):     /DB/-/entity/ID    for random entities mentioned in an article
  - the timeline (plugin route):        /DB/-/timeline, and with two of the actors below
  - the canned query places_map:        /DB/places_map
Search terms cycle through names of places and armed groups and common words of the corpus.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT)]

import synthetic  # noqa: E402
from datasette.utils import escape_fts  # noqa: E402
from import_throughput import FRONTLINE, run_measured  # noqa: E402

from tests.local_server import free_port  # noqa: E402

TERMS = ["Aleppo", "Islamic State", "Idlib", "Hezbollah", "offensive", "Mosul", "Wagner", "civilians",
         "Raqqa", "Taliban", "drone", "Houthis", "ceasefire", "Kharkiv", "Al Shabaab", "reinforcements"]
ACTORS = ["ISIS", "Islamic State", "Hezbollah", "Taliban", "Aleppo", "Wagner Group", "Houthis", "Al Shabaab"]


def get(url: str) -> tuple[float, int, int]:
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            body = response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        body, status = exc.read(), exc.code
    return (time.perf_counter() - start) * 1000, status, len(body)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def build_db(n: int, work: Path, seed: int) -> Path:
    corpus = work / "corpus"
    for _ in synthetic.iter_corpus(corpus, n, "html", seed):
        pass
    db = work / "frontline.db"
    start = time.perf_counter()
    status, wall, rss, _, err = run_measured([FRONTLINE, "import", "--db", str(db), str(corpus)])
    if status != 0:
        sys.exit(f"frontline import failed:\n{err[-3000:]}")
    print(f"built {db.name} from {n} synthetic HTML pages in {time.perf_counter() - start:.1f} s")
    shutil.rmtree(corpus, ignore_errors=True)
    return db


def sqlite_fts_times(db: Path, requests: int) -> list[float]:
    """The search Datasette runs for ?_search= (its first page of matching rows), straight in sqlite3."""
    sql = ("select rowid, title from articles where rowid in (select rowid from articles_fts "
           "where articles_fts match ?) order by rowid limit 101")
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        times = []
        for i in range(requests + 3):
            term = escape_fts(TERMS[i % len(TERMS)])  # as Datasette quotes ?_search=
            start = time.perf_counter()
            conn.execute(sql, [term]).fetchall()
            if i >= 3:  # the same 3 warm-up requests as over HTTP
                times.append((time.perf_counter() - start) * 1000)
    return times


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--db", help="an existing frontline database")
    source.add_argument("--articles", type=int, help="import this many synthetic HTML articles into a new one first")
    parser.add_argument("--requests", type=int, default=50, help="timed requests per kind")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="frontline-datasette-bench-"))
    server = None
    try:
        db = Path(args.db).resolve() if args.db else build_db(args.articles, work, args.seed)
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            ids = [row[0] for row in conn.execute("select id from articles")]
            entities = [row[0] for row in conn.execute("select distinct entity_id from article_entities")] or [1]
            comments = conn.execute("select count(*) from comments").fetchone()[0]
        if not ids:
            sys.exit(f"{db} holds no article")
        print(f"database: {db.name}, {len(ids)} articles, {comments} comments, {db.stat().st_size / 1e6:.1f} MB")
        port = free_port()
        server = subprocess.Popen([FRONTLINE, "serve", "--db", str(db), "--port", str(port)], cwd=ROOT,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        base = f"http://127.0.0.1:{port}"
        name = urllib.parse.quote(db.stem)
        deadline = time.time() + 60
        while True:
            try:
                if get(f"{base}/-/versions.json")[1] == 200:
                    break
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            if server.poll() is not None or time.time() > deadline:
                sys.exit("frontline serve did not start:\n" + server.stderr.read().decode()[-3000:])
            time.sleep(0.2)

        rng = random.Random(args.seed)
        q = urllib.parse.quote
        kinds = {
            "FTS articles (HTML)": lambda i: f"/{name}/articles?_search={q(TERMS[i % len(TERMS)])}",
            "FTS articles (JSON)": lambda i: f"/{name}/articles.json?_search={q(TERMS[i % len(TERMS)])}",
            "FTS comments (HTML)": lambda i: f"/{name}/comments?_search={q(TERMS[i % len(TERMS)])}",
            "canned actor_articles": lambda i: f"/{name}/actor_articles?actor={q(ACTORS[i % len(ACTORS)])}",
            "article page /-/article/ID": lambda i: f"/{name}/-/article/{rng.choice(ids)}",
            "home page /DATABASE": lambda i: f"/{name}",
            "search page /-/search (articles and comments)": lambda i: f"/{name}/-/search?q={q(TERMS[i % len(TERMS)])}",
            "Atom feed of a search": lambda i: f"/{name}/-/feed.atom?q={q(TERMS[i % len(TERMS)])}",
            "entity page /-/entity/ID": lambda i: f"/{name}/-/entity/{rng.choice(entities)}",
            "timeline, the actors mentioned most": lambda i: f"/{name}/-/timeline",
            "timeline of two actors": lambda i: f"/{name}/-/timeline?actor={q(ACTORS[i % len(ACTORS)])}"
                                                f"&actor={q(ACTORS[(i + 1) % len(ACTORS)])}",
            "canned places_map": lambda i: f"/{name}/places_map",
        }
        print()
        print("| request | n | median ms | p95 ms | max ms | bytes (median) |")
        print("| --- | --- | --- | --- | --- | --- |")
        results = {}
        for label, make in kinds.items():
            for i in range(3):
                get(base + make(i))
            times, sizes = [], []
            for i in range(args.requests):
                ms, status, size = get(base + make(i))
                if status != 200:
                    sys.exit(f"{label}: HTTP {status} for {make(i)}")
                times.append(ms)
                sizes.append(size)
            med, p95 = statistics.median(times), percentile(times, 0.95)
            results[label] = (med, p95)
            print(f"| {label} | {len(times)} | {med:.1f} | {p95:.1f} | {max(times):.1f} | "
                  f"{statistics.median(sizes):,.0f} |")
        baseline = sqlite_fts_times(db, args.requests)
        print(f"| baseline: the same article search in sqlite3, no Datasette | {len(baseline)} | "
              f"{statistics.median(baseline):.1f} | {percentile(baseline, 0.95):.1f} | {max(baseline):.1f} | |")
        fts = results["FTS articles (HTML)"]
        print()
        print(f"FTS search median {fts[0]:.1f} ms, p95 {fts[1]:.1f} ms (target < 100 ms: "
              f"{'met' if fts[1] < 100 else 'median met, p95 not' if fts[0] < 100 else 'not met'})")
        print(f"BENCH datasette articles={len(ids)} sqlite_fts_median_ms={statistics.median(baseline):.2f} " + " ".join(
            f"{key}_median_ms={med:.1f} {key}_p95_ms={p95:.1f}" for key, (med, p95) in zip(
                ["fts_html", "fts_json", "fts_comments", "actor_query", "article_page", "entity_page",
                 "timeline", "timeline_actors", "places_map"], results.values())))
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
