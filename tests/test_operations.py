"""Running frontline from cron: one run per target at a time, runs that resume after a kill or a stop,
a rotating log, a crawl_runs row per run and exit codes a scheduler can act on. Real crawls of a local
server, real signals, real SQLite files."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import sqlite_utils

from tests.conftest import REPO, frontline
from tests.unreliable_site import UnreliableSite, article_path

ARTICLES = 12
BEFORE_STOP = 6  # the site answers this many article requests, then holds the rest until the test releases them
# Enrichment (a gazetteer of 3 s per process) is not what these tests are about.
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "FRONTLINE_ENRICH=False"]
CRAWL = [*FAST, "-s", "CONCURRENT_REQUESTS=2", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2"]  # 2 in flight, the rest queued


def start_crawl(db_path, url) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "crawler.cli", "crawl", "--db", str(db_path), url, *CRAWL],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def stop_at_the_gate(site, db_path, process: subprocess.Popen) -> None:
    """Wait until the crawl has stored BEFORE_STOP articles and both its request slots wait at the site's gate:
    from then on it cannot move, however fast or slow each process is."""
    site.gate.wait_until_held(2)
    wait_for_articles(db_path, BEFORE_STOP, process)


def wait_for_articles(db_path, count: int, process: subprocess.Popen, timeout: float = 120) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "the crawl ended before it could be interrupted"
        try:
            with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as conn:
                stored = conn.execute("select count(*) from articles").fetchone()[0]
        except sqlite3.OperationalError:
            stored = 0
        if stored >= count:
            return stored
        time.sleep(0.05)
    raise AssertionError(f"fewer than {count} articles stored after {timeout} s")


def wait_for_line(log_file, text: str, process: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "the crawl ended before it logged " + text
        if log_file.exists() and text in log_file.read_text(encoding="utf-8"):
            return
        time.sleep(0.05)
    raise AssertionError(f"{text!r} not in {log_file} after {timeout} s")


def assert_consistent(db_path):
    """Integrity check passes, no orphan rows, every article has exactly the comments it says."""
    db = sqlite_utils.Database(db_path)
    assert db.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert db.execute("pragma foreign_key_check").fetchall() == []
    assert db.execute("select count(*) from comments where article_id not in (select id from articles)").fetchone()[0] == 0
    assert db.execute("select count(*) from raw_pages where article_id not in (select id from articles)").fetchone()[0] == 0
    mismatched = db.execute("select a.url from articles a where a.comment_count != "
                            "(select count(*) from comments c where c.article_id = a.id)").fetchall()
    assert mismatched == []


def stored_paths(db_path, base) -> set[str]:
    return {row[0].removeprefix(base) for row in sqlite_utils.Database(db_path).execute("select url from articles")}


def test_a_crawl_killed_with_sigkill_resumes_without_refetching_what_it_stored(tmp_path):
    db_path = tmp_path / "frontline.db"
    with UnreliableSite(articles=ARTICLES, hold_after=BEFORE_STOP) as site:
        url = site.base_url + "/"
        first = start_crawl(db_path, url)
        stop_at_the_gate(site, db_path, first)

        overlapping = frontline("crawl", "--db", db_path, url)  # cron fires again while the first still runs
        assert overlapping.returncode == 75
        assert f"frontline crawl {url}: another run is in progress (pid {first.pid}, started " in overlapping.stderr

        first.send_signal(signal.SIGKILL)
        first.wait(10)
        assert_consistent(db_path)
        before = stored_paths(db_path, site.base_url)
        assert len(before) == BEFORE_STOP
        job = json.loads((tmp_path / "jobs" / job_name(url) / "job.json").read_text())
        assert job["running"] is True and job["pid"] == first.pid

        site.gate.release()
        second = frontline("crawl", "--db", db_path, url, *CRAWL)
        assert second.returncode == 0, second.stderr[-2000:]
        assert f"Resuming the crawl started {job['started_at']} (previous run killed)." in second.stderr
        assert stored_paths(db_path, site.base_url) == {article_path(n) for n in range(ARTICLES)}
        assert all(site.hits(path) == 1 for path in before), {p: site.hits(p) for p in before}
    assert_consistent(db_path)
    runs = list(sqlite_utils.Database(db_path)["crawl_runs"].rows_where(order_by="id"))
    assert [run["finish_reason"] for run in runs] == ["killed", "finished"]
    assert runs[1]["unchanged"] == len(before) and runs[1]["imported"] == ARTICLES - len(before)
    assert not (tmp_path / "jobs" / job_name(url)).exists()  # a finished job is cleared: the next run starts afresh
    status = frontline("status", "--db", db_path).stdout
    assert f"#1 site {url} {runs[0]['started_at']}: killed; imported 0" in status
    assert "FLAGGED: the process ended without closing the run (killed, crashed or the machine stopped)" in status
    assert f"#2 site {url} {runs[1]['started_at']}: finished; imported {ARTICLES - len(before)}" in status


def test_a_stopped_crawl_resumes_its_scrapy_queue(tmp_path):
    db_path = tmp_path / "frontline.db"
    with UnreliableSite(articles=ARTICLES, hold_after=BEFORE_STOP) as site:
        url = site.base_url + "/"
        first = start_crawl(db_path, url)
        stop_at_the_gate(site, db_path, first)
        first.send_signal(signal.SIGTERM)  # graceful: Scrapy finishes what is in flight and saves its queue
        log_file = tmp_path / "logs" / f"crawl-{job_name(url)}.log"
        wait_for_line(log_file, "Received SIGTERM, shutting down gracefully", first)
        site.gate.release()  # the two requests in flight are answered; the rest stays in the saved queue
        _, stderr = first.communicate(timeout=60)
        assert first.returncode == 1
        assert "the run ended early (shutdown); the next run resumes it." in stderr
        assert_consistent(db_path)
        assert json.loads((tmp_path / "jobs" / job_name(url) / "job.json").read_text())["running"] is False

        second = frontline("crawl", "--db", db_path, url, *CRAWL)
        assert second.returncode == 0, second.stderr[-2000:]
        assert "(previous run paused)" in second.stderr
        assert stored_paths(db_path, site.base_url) == {article_path(n) for n in range(ARTICLES)}
        assert all(site.hits(article_path(n)) == 1 for n in range(ARTICLES))  # the saved queue, not a re-crawl
        assert site.hits("/sitemap.xml") == 1

        third = frontline("crawl", "--db", db_path, url, *CRAWL)  # a new job: discovers again
        assert third.returncode == 0 and site.hits("/sitemap.xml") == 2
    assert_consistent(db_path)


def job_name(url: str) -> str:
    return "127.0.0.1-" + url.rsplit(":", 1)[1].strip("/")


def test_the_crontab_line_runs_quietly_and_logs_to_a_rotating_file(tmp_path):
    with UnreliableSite(articles=3) as site:
        url = site.base_url + "/"
        line = frontline("cron", url, "--every", "30m", "--db", "data/frontline.db", cwd=tmp_path).stdout.strip()
        schedule, command = line[:len("*/30 * * * *")], line[len("*/30 * * * * "):]
        assert schedule == "*/30 * * * *"
        command = command.replace(" crawl --quiet", " crawl --quiet -s FRONTLINE_LOG_MAX_BYTES=3000 "
                                  "-s FRONTLINE_LOG_BACKUPS=2 " + " ".join(FAST))
        env = {**os.environ, "PATH": f"{REPO / '.venv' / 'bin'}:{os.environ['PATH']}"}
        for _ in range(3):
            run = subprocess.run(["sh", "-c", command], capture_output=True, text=True, env=env, timeout=120)
            assert (run.returncode, run.stdout, run.stderr) == (0, "", "")  # cron mails nothing when all is well
    logs = sorted(path.name for path in (tmp_path / "data" / "logs").iterdir())
    name = f"crawl-{job_name(url)}.log"
    assert logs == [name, name + ".1", name + ".2"]  # rotated, and no more than FRONTLINE_LOG_BACKUPS kept
    assert "Spider closed (finished)" in (tmp_path / "data" / "logs" / name).read_text()
    assert sqlite_utils.Database(tmp_path / "data" / "frontline.db")["crawl_runs"].count == 3


def test_a_run_that_stores_nothing_is_flagged_and_exits_3(tmp_path):
    with UnreliableSite(articles=0) as site:
        result = frontline("crawl", "--db", tmp_path / "frontline.db", site.base_url + "/", *FAST)
    assert result.returncode == 3
    assert "run flagged: 0 article(s), fewer than FRONTLINE_MIN_ARTICLES=1" in result.stderr
    run = next(sqlite_utils.Database(tmp_path / "frontline.db")["crawl_runs"].rows)
    assert (run["finish_reason"], run["flags"]) == ("finished", "0 article(s), fewer than FRONTLINE_MIN_ARTICLES=1")
