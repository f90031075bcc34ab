"""A crawl against a server that misbehaves on purpose: every fault ends as a log line and a reject with its
reason, the good pages are stored, and the run finishes (flagged for its error rate) instead of crashing."""

import re
from types import SimpleNamespace

import pytest
import sqlite_utils

from tests.conftest import frontline
from tests.unreliable_site import BROKEN_SITEMAP, FAULTS, UnreliableSite

# The slow page never answers; 5 s leaves the other pages a wide margin on a loaded machine.
FAST_FAILURE = ["-s", "DOWNLOAD_TIMEOUT=5", "-s", "RETRY_TIMES=2", "-s", "FRONTLINE_RETRY_BACKOFF=0.2",
                "-s", f"DOWNLOAD_MAXSIZE={1024 * 1024}", "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
                "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8", "-s", "FRONTLINE_ENRICH=False"]  # enrichment costs 3 s a run
EXPECTED_REASONS = {
    "broken": r"^HTTP 500$",
    "slow": r"^timeout: .*took longer than 5\.0 seconds",
    "reset": r"^ConnectionLost: Connection to the other side was lost",
    "loop": r"^redirect loop: \S+/2024/06/05/loop/ -> \S+/loop-b/ -> \S+/2024/06/05/loop/$",
    "huge": r"^too large: Expected to receive 20971520 bytes which is larger than download max size \(1048576\)",
    "huge-stream": r"^too large: the body grew past DOWNLOAD_MAXSIZE \(1048576 bytes\)",
    "gzip-bomb": r"^too large: .*exceeded the specified maximum \(1048576 B\)",
    "garbage": r"^binary data \(\d+ control characters in 20000\), not a text or HTML page$",
    "tag-soup": r"^no article body found \(html, \d+ characters\)$",
}


@pytest.fixture(scope="module")
def faulty_crawl(tmp_path_factory):
    db_path = tmp_path_factory.mktemp("faults") / "frontline.db"
    with UnreliableSite(articles=2, faults=True) as site:
        result = frontline("crawl", "--db", db_path, site.base_url + "/", *FAST_FAILURE)
        hits = {name: site.hits(path) for name, path in FAULTS.items()}
    log_file = db_path.parent / "logs" / f"crawl-127.0.0.1-{site.base_url.rsplit(':', 1)[1]}.log"
    return SimpleNamespace(result=result, db=sqlite_utils.Database(db_path), base=site.base_url, hits=hits,
                           log=log_file.read_text())


@pytest.mark.parametrize("fault", sorted(EXPECTED_REASONS))
def test_each_fault_is_a_reject_with_its_reason_and_a_log_line(faulty_crawl, fault):
    url = faulty_crawl.base + FAULTS[fault]
    rows = list(faulty_crawl.db["rejects"].rows_where("input = ?", [url]))
    assert len(rows) == 1, [r["input"] for r in faulty_crawl.db["rejects"].rows]
    assert re.search(EXPECTED_REASONS[fault], rows[0]["reason"]), rows[0]["reason"]
    line = f"Rejected {url}: {rows[0]['reason']}"  # the same words on the console and in the log file
    assert line in faulty_crawl.result.stderr and line in faulty_crawl.log


def test_a_discovery_page_that_fails_is_a_reject_too(faulty_crawl):
    url = faulty_crawl.base + BROKEN_SITEMAP
    assert [r["reason"] for r in faulty_crawl.db["rejects"].rows_where("input = ?", [url])] == [
        "HTTP 500 (discovery page)"]
    assert f"Discovery request failed: {url} (HTTP 500)" in faulty_crawl.log


def test_a_server_that_recovers_is_retried_with_backoff_and_stored(faulty_crawl):
    url = faulty_crawl.base + FAULTS["flaky"]
    assert faulty_crawl.hits["flaky"] == 3  # 500, 500, 200
    assert next(faulty_crawl.db["articles"].rows_where("url = ?", [url]))["comment_count"] == 3
    assert f"Retrying {url} in 0.2 s (retry 1 of 2)" in faulty_crawl.log
    assert f"Retrying {url} in 0.4 s (retry 2 of 2)" in faulty_crawl.log
    assert faulty_crawl.hits["broken"] == faulty_crawl.hits["slow"] == 3  # given up after RETRY_TIMES=2 retries


def test_the_run_finishes_flagged_for_its_error_rate(faulty_crawl):
    result, db = faulty_crawl.result, faulty_crawl.db
    assert "Traceback" not in result.stderr
    assert result.returncode == 3, result.stderr[-2000:]
    assert db["articles"].count == 3 and db["rejects"].count == len(EXPECTED_REASONS) + 1
    run = next(db["crawl_runs"].rows_where(order_by="id desc"))
    assert run["finish_reason"] == "finished" and run["errors"] == 0
    assert run["flags"] == "10 of 13 pages rejected (77%), above FRONTLINE_MAX_ERROR_RATE=0.25"
    assert run["requests"] >= 20 and run["retries"] >= 6 and run["duration_seconds"] > 0

