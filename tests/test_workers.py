"""The worker pool (pipelines/work.py): real imports and crawls in child processes with FRONTLINE_WORKERS=2.
A worker that dies or hangs costs only its page, workers that cannot start stop the run, a handful of files is
imported without the pool, and the pool stores the same rows as in-process work."""

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys

import sqlite_utils

from pipelines.work import CRASH_ON, HANG_ON, START_FAILS
from tests.conftest import FIXTURES, REPO, SEED
from tests.unreliable_site import UnreliableSite

sys.path.insert(0, str(REPO / "benchmarks"))
import synthetic  # noqa: E402

FAST_CRAWL = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8"]


def frontline(*args, workers: int = 2, **env) -> subprocess.CompletedProcess:
    """The real CLI in a child process, with FRONTLINE_WORKERS and the test hooks in its environment; an import
    of a handful of files uses the pool too (FRONTLINE_POOL_MIN_FILES=0) unless the test says."""
    return subprocess.run([sys.executable, "-m", "crawler.cli", *map(str, args)], capture_output=True, text=True,
                          cwd=REPO, timeout=300, env={**os.environ, "FRONTLINE_WORKERS": str(workers),
                                                      "FRONTLINE_POOL_MIN_FILES": "0", **env})


def rejects(db_path) -> dict[str, str]:
    return {url.rsplit("/", 2)[-2] if url.endswith("/") else url.rsplit("/", 1)[1]: reason
            for url, reason in sqlite3.connect(db_path).execute("select input, reason from rejects")}


def test_a_worker_that_dies_costs_only_its_page_and_is_replaced(tmp_path):
    """Two pages, read first, each kill their worker: two processes died, so a replacement worked at least once,
    and every other page is stored after them."""
    corpus = tmp_path / "corpus"
    pages = synthetic.write_corpus(corpus, 10, "text", seed=3)
    for n, page in enumerate(pages[:2]):
        page.rename(corpus / f"0-crash-me-{n}.txt")
    db_path = tmp_path / "frontline.db"
    result = frontline("import", "--db", db_path, corpus, **{CRASH_ON: "crash-me"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("imported 8, updated 0, unchanged 0, rejected 2"), result.stdout
    assert rejects(db_path) == {f"0-crash-me-{n}.txt": "worker process died (exit code 70)" for n in (0, 1)}
    stored = {url for url, in sqlite3.connect(db_path).execute("select url from articles")}
    assert stored == {page.as_uri() for page in sorted(corpus.iterdir()) if "crash-me" not in page.name}


def run_stats(db_path) -> dict:
    (stats,), = sqlite3.connect(db_path).execute("select stats from crawl_runs")
    return json.loads(stats)


def test_a_handful_of_files_is_imported_without_the_pool(tmp_path):
    """Below FRONTLINE_POOL_MIN_FILES (16) the pages are done in the import process: no worker answered."""
    corpus = tmp_path / "corpus"
    pages = synthetic.write_corpus(corpus, 16, "text", seed=7)
    for paths, processes in ((pages[:15], {0}), (pages, {1, 2})):
        db_path = tmp_path / f"{len(paths)}.db"
        result = frontline("import", "--db", db_path, *paths, FRONTLINE_POOL_MIN_FILES="")  # "": the default
        assert result.returncode == 0 and result.stdout.startswith(f"imported {len(paths)},"), result.stderr
        assert run_stats(db_path)["frontline/worker_processes"] in processes, len(paths)


def test_workers_that_cannot_start_stop_the_run_naming_the_cause(tmp_path):
    """Every worker's start fails (as with an unreadable matcher cache): the import stops at once, names the
    cause and every file it did not attempt, records no reject; run again once fixed, it stores them all."""
    corpus = tmp_path / "corpus"
    pages = synthetic.write_corpus(corpus, 12, "text", seed=9)
    db_path = tmp_path / "frontline.db"
    result = frontline("import", "--db", db_path, corpus, **{START_FAILS: "matcher cache unreadable"})
    assert result.returncode == 1, result.stderr
    assert "frontline import: the worker processes could not start (RuntimeError: matcher cache unreadable); " \
           "12 file(s) not attempted, listed in " in result.stderr, result.stderr
    listed = re.search(r"listed in (.+):$", result.stderr, re.MULTILINE).group(1)
    assert sorted(open(listed).read().split()) == sorted(map(str, pages))
    db = sqlite3.connect(db_path)
    assert db.execute("select count(*) from articles").fetchone() == (0,)
    assert db.execute("select count(*) from rejects").fetchone() == (0,)
    assert db.execute("select finish_reason from crawl_runs").fetchall() == [("worker_start_failed",)]

    again = frontline("import", "--db", db_path, corpus)
    assert again.returncode == 0 and again.stdout.startswith("imported 12, updated 0, unchanged 0, rejected 0"), \
        again.stderr


def test_a_worker_that_hangs_is_stopped_at_the_timeout_in_a_crawl(tmp_path):
    """A short FRONTLINE_WORKER_TIMEOUT (normal pages take well under a second, even on a loaded machine)."""
    db_path = tmp_path / "frontline.db"
    with UnreliableSite(articles=6) as site:
        hanging = site.articles[2]
        result = frontline("crawl", "--db", db_path, site.base_url + "/", *FAST_CRAWL,
                           "-s", "FRONTLINE_ENRICH=False", "-s", "FRONTLINE_WORKER_TIMEOUT=10",
                           **{HANG_ON: hanging})
    assert result.returncode == 0, result.stderr
    urls = {url for url, in sqlite3.connect(db_path).execute("select url from articles")}
    assert urls == {site.base_url + path for path in site.articles if path != hanging}
    assert rejects(db_path) == {hanging.strip("/").rsplit("/", 1)[1]:
                                "worker timed out: no result after 10 s (FRONTLINE_WORKER_TIMEOUT)"}


def snapshot(db_path) -> dict:
    """Everything an import stores that does not depend on the order pages were written in (ids, times)."""
    db = sqlite_utils.Database(db_path)
    url = {row["id"]: row["url"] for row in db["articles"].rows}
    drop = {"id", "fts_rowid", "article_id", "source_id", "fetched_at", "updated_at", "parent_id"}  # fts_rowid: the id
    position = {row["id"]: row["position"] for row in db["comments"].rows}
    comment = {row["id"]: (url[row["article_id"]], row["position"]) for row in db["comments"].rows}
    clusters: dict[int, set] = {}
    for row in db["duplicate_clusters"].rows:
        clusters.setdefault(row["cluster_id"], set()).add((url[row["article_id"]], row["similarity"]))
    return {
        "articles": {row["url"]: {k: v for k, v in row.items() if k not in drop} for row in db["articles"].rows},
        "comments": {comment[row["id"]]: {**{k: v for k, v in row.items() if k not in drop},
                                          "parent": position.get(row["parent_id"])} for row in db["comments"].rows},
        "article_entities": sorted((url[r["article_id"]], db["entities"].get(r["entity_id"])["name"],
                                    r["surface"], r["count"]) for r in db["article_entities"].rows),
        "comment_entities": sorted((comment[r["comment_id"]], db["entities"].get(r["entity_id"])["name"],
                                    r["surface"], r["count"]) for r in db["comment_entities"].rows),
        "signatures": sorted((url[r["article_id"]], r["signature"]) for r in db["article_signatures"].rows),
        "clusters": sorted(sorted(members) for members in clusters.values()),
        "rejects": sorted((r["input"], r["reason"]) for r in db["rejects"].rows),
    }


def test_workers_store_what_in_process_work_stores(tmp_path):
    """HTML and text pages, a syndicated copy (a near-duplicate cluster) and a reject, imported with the work in
    this process and in two workers; then re-extracted and re-enriched by workers, each run in crawl_runs."""
    corpus = tmp_path / "corpus"
    synthetic.write_corpus(corpus, 6, "both", seed=5)
    shutil.copy(SEED, corpus / "seed.txt")
    (corpus / "syndicated.txt").write_text(SEED.read_text(encoding="utf-8").replace(
        "With sudden advances in Aleppo", "Aleppo: sudden advances"), encoding="utf-8")
    shutil.copy(FIXTURES / "pages" / "wordpress-article.html", corpus / "wordpress.html")
    (corpus / "empty.txt").write_text("", encoding="utf-8")
    snapshots = []
    for workers in (1, 2):
        db_path = tmp_path / f"{workers}.db"
        result = frontline("import", "--db", db_path, corpus, workers=workers)
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("imported 15, updated 0, unchanged 0, rejected 1"), result.stdout
        snapshots.append(snapshot(db_path))
    assert snapshots[0] == snapshots[1]
    assert snapshots[1]["clusters"] and snapshots[1]["comment_entities"]

    result = frontline("reextract", "--db", db_path)
    assert (result.returncode, result.stdout) == (0, "updated 0, unchanged 15, failed 0, no_raw_page 0\n"), \
        result.stderr
    result = frontline("enrich", "--db", db_path)
    assert result.returncode == 0 and result.stdout.startswith("enriched 15 article(s): "), result.stderr
    assert snapshot(db_path) == snapshots[1]
    runs = [(row["spider"], row["finish_reason"]) for row in sqlite_utils.Database(db_path)["crawl_runs"].rows]
    assert runs == [("seeds", "finished"), ("reextract", "finished"), ("enrich", "finished")]
