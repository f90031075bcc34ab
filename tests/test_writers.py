"""Many frontline processes writing one database at once: real imports and real crawls in child processes,
started so that they truly overlap, and every input stored exactly once."""

import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import sqlite_utils

from db.schema import open_database
from tests.conftest import REPO
from tests.test_operations import assert_consistent
from tests.unreliable_site import UnreliableSite

sys.path.insert(0, str(REPO / "benchmarks"))
import synthetic  # noqa: E402

FAST_CRAWL = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8"]


def start(*args) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "crawler.cli", *map(str, args)], cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_until(condition, what: str, processes=(), timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        for process in processes:
            assert process.poll() is None, f"a process ended before {what}: {process.communicate()}"
        assert time.monotonic() < deadline, f"not {what} after {timeout} s"
        time.sleep(0.02)


def has_open(process: subprocess.Popen, path: Path) -> bool:
    """The process holds the database file open (Linux /proc): it reached its first write."""
    try:
        return any(os.readlink(f"/proc/{process.pid}/fd/{fd}") == str(path)
                   for fd in os.listdir(f"/proc/{process.pid}/fd"))
    except OSError:
        return False


def finish(process: subprocess.Popen) -> tuple[int, str]:
    out, err = process.communicate(timeout=300)
    return process.returncode, out + err


def assert_interleaved(db_path, first: str, second: str) -> None:
    """Articles of both runs were committed alternately: the writes really overlapped."""
    order = [url.startswith(first) for url, in sqlite3.connect(db_path).execute("select url from articles order by id")]
    switches = sum(a != b for a, b in zip(order, order[1:]))
    assert switches >= 2, f"the two runs did not write at the same time ({switches} switch(es))"


def start_together(db_path: Path, *commands) -> list[subprocess.Popen]:
    """Every command blocks on its first write while the test holds the write lock, until all have started."""
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("begin immediate")
    try:
        processes = [start(*command) for command in commands]
        wait_until(lambda: all(has_open(p, db_path) for p in processes), "every process had the database open",
                   processes)
    finally:
        holder.execute("commit")
        holder.close()
    return processes


def test_two_imports_at_once_store_every_file_exactly_once(tmp_path):
    db_path = tmp_path / "frontline.db"
    first = synthetic.write_corpus(tmp_path / "first", 150, "text", seed=1)
    second = synthetic.write_corpus(tmp_path / "second", 150, "text", seed=2)
    open_database(db_path).close()
    imports = start_together(db_path, ["import", "--db", db_path, tmp_path / "first"],
                             ["import", "--db", db_path, tmp_path / "second"])
    results = [finish(p) for p in imports]
    assert [code for code, _ in results] == [0, 0], results
    for code, output in results:
        assert "imported 150, updated 0, unchanged 0, rejected 0" in output and "locked" not in output, output
    db = sqlite_utils.Database(db_path)
    urls = [row[0] for row in db.execute("select url from articles")]
    assert sorted(urls) == sorted(p.as_uri() for p in first + second)
    assert db["rejects"].count == 0
    runs = list(db.query("select finish_reason, imported, rejected from crawl_runs"))
    assert runs == [{"finish_reason": "finished", "imported": 150, "rejected": 0}] * 2
    assert_interleaved(db_path, (tmp_path / "first").as_uri(), (tmp_path / "second").as_uri())
    assert_consistent(db_path)


def test_enrich_while_an_import_writes(tmp_path):
    db_path = tmp_path / "frontline.db"
    synthetic.write_corpus(tmp_path / "stored", 40, "text", seed=1)
    new = synthetic.write_corpus(tmp_path / "new", 80, "text", seed=2)
    assert finish(start("import", "--db", db_path, tmp_path / "stored"))[0] == 0
    enrich, importing = start_together(db_path, ["enrich", "--db", db_path],
                                       ["import", "--db", db_path, tmp_path / "new"])
    (enrich_code, enrich_output), (import_code, import_output) = finish(enrich), finish(importing)
    assert (enrich_code, import_code) == (0, 0), (enrich_output, import_output)
    assert "enriched" in enrich_output and "imported 80, updated 0, unchanged 0, rejected 0" in import_output
    assert {p.as_uri() for p in new} <= {url for url, in sqlite3.connect(db_path).execute("select url from articles")}
    assert_consistent(db_path)


class HeldSite(UnreliableSite):
    """Articles are answered only once `release` is set: the test holds both sites until both crawls run."""

    def __init__(self, articles: int, release: threading.Event):
        super().__init__(articles=articles)
        self.release = release

    def respond(self, handler, hit):
        if handler.path in self.articles:
            self.release.wait(120)
        return super().respond(handler, hit)


def test_two_crawls_of_different_sites_at_once_store_every_article_exactly_once(tmp_path):
    db_path, release = tmp_path / "frontline.db", threading.Event()
    with HeldSite(60, release) as one, HeldSite(60, release) as two:
        crawls = [start("crawl", "--db", db_path, site.base_url + "/", *FAST_CRAWL) for site in (one, two)]
        try:
            wait_until(lambda: one.hits("/sitemap.xml") and two.hits("/sitemap.xml"), "both crawls had started",
                       crawls)
        finally:
            release.set()
        results = [finish(p) for p in crawls]
    assert [code for code, _ in results] == [0, 0], results
    db = sqlite_utils.Database(db_path)
    urls = sorted(row[0] for row in db.execute("select url from articles"))
    assert urls == sorted(site.base_url + path for site in (one, two) for path in site.articles)
    assert db["rejects"].count == 0
    assert [(r["finish_reason"], r["imported"]) for r in db["crawl_runs"].rows] == [("finished", 60)] * 2
    assert_interleaved(db_path, one.base_url, two.base_url)
    assert_consistent(db_path)
