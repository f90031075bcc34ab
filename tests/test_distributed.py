"""Two crawler processes share one crawl through a real redis-server on 127.0.0.1 (scrapy-redis queue and
seen-set); one `frontline ingest` stores what they fetched. No page is fetched twice, none is lost."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest
import redis
import sqlite_utils

from crawler.distributed import CONSUMERS_KEY, PAGES_KEY, alive_key, page_message, processing_key
from crawler.items import RawPage, utc_now
from pipelines.work import HANG_ON
from tests.conftest import REPO, frontline, system_program
from tests.local_server import free_port
from tests.test_operations import assert_consistent
from tests.unreliable_site import BROKEN_SITEMAP, FAULTS, UnreliableSite, article_path

sys.path.insert(0, str(REPO / "benchmarks"))
import synthetic  # noqa: E402

ARTICLES = 12
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "FRONTLINE_REDIS_IDLE_WAIT=3",
        "-s", "FRONTLINE_ENRICH=False"]  # enrichment (3 s a process) is not what these tests are about


@pytest.fixture
def redis_url(tmp_path):
    server = system_program("redis-server")
    port = free_port()
    process = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                                "--dir", str(tmp_path)], stdout=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    deadline = time.monotonic() + 60
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            assert time.monotonic() < deadline and process.poll() is None, "redis-server did not start"
            time.sleep(0.05)
    yield url
    process.terminate()
    process.wait(10)


def crawler_process(db_path, site_url, redis_url) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "crawler.cli", "crawl", "--db", str(db_path), site_url,
                             "--redis", redis_url, *FAST], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def test_two_crawlers_share_one_crawl_and_one_writer_stores_it(tmp_path, redis_url):
    db_path = tmp_path / "frontline.db"
    # The site holds every article until both workers wait for one (each fetches one page at a time), so
    # both take part however fast or slow each one starts.
    with UnreliableSite(articles=ARTICLES, hold_after=0) as site:
        url = site.base_url + "/"
        workers = [crawler_process(tmp_path / "worker1" / "frontline.db", url, redis_url)]
        site.gate.wait_until_held(1)  # the first worker queued the whole site in Redis and waits for an article
        workers.append(crawler_process(tmp_path / "worker2" / "frontline.db", url, redis_url))
        site.gate.wait_until_held(2)
        site.gate.release()
        outputs = [worker.communicate(timeout=180) for worker in workers]
        for worker, (stdout, stderr) in zip(workers, outputs):
            assert worker.returncode == 0, stdout + stderr[-3000:]
            assert stdout.startswith("queued ") and "for `frontline ingest`" in stdout
        queued = [int(stdout.split()[1]) for stdout, _ in outputs]
        assert sum(queued) == ARTICLES and min(queued) > 0  # both did part of the work
        assert all(site.hits(article_path(n)) == 1 for n in range(ARTICLES))  # no page fetched twice
        assert site.hits("/sitemap.xml") == 1
        assert not (tmp_path / "frontline.db").exists()  # crawlers never write SQLite

        ingest = frontline("ingest", "--db", db_path, "--redis", redis_url, *FAST)
        assert ingest.returncode == 0, ingest.stderr[-3000:]
        assert ingest.stdout.startswith(f"imported {ARTICLES}, updated 0, unchanged 0, rejected 0")
        assert_consistent(db_path)
        db = sqlite_utils.Database(db_path)
        assert db["articles"].count == ARTICLES and db["comments"].count == 3 * ARTICLES
        runs = list(db["crawl_runs"].rows_where(order_by="id"))
        assert sorted(run["spider"] for run in runs) == ["ingest", "site", "site"]
        worker_runs = [json.loads(run["stats"]) for run in runs if run["spider"] == "site"]
        assert sorted(stats["frontline/queued"] for stats in worker_runs) == sorted(queued)

        again = crawler_process(tmp_path / "worker1" / "frontline.db", url, redis_url)  # the next scheduled round
        stdout, stderr = again.communicate(timeout=180)
        assert again.returncode == 0, stderr[-3000:]
        assert site.hits("/sitemap.xml") == 2 and stdout.startswith(f"queued {ARTICLES} ")


def test_ingest_rejects_what_the_crawlers_could_not_fetch_and_unreadable_messages(tmp_path, redis_url):
    db_path = tmp_path / "frontline.db"
    redis.Redis.from_url(redis_url).lpush("frontline:pages", b"\\x00not json")
    with UnreliableSite(articles=2, faults=True) as site:
        worker = frontline("crawl", "--db", tmp_path / "w.db", site.base_url + "/", "--redis", redis_url, *FAST,
                           "-s", "DOWNLOAD_TIMEOUT=5", "-s", "RETRY_TIMES=0", "-s", "DOWNLOAD_MAXSIZE=1048576")
    assert worker.returncode == 3, worker.stderr[-3000:]  # 9 of 13 pages failed to download (no retries): flagged
    ingest = frontline("ingest", "--db", db_path, "--redis", redis_url, *FAST)
    db = sqlite_utils.Database(db_path)
    reasons = {row["input"].removeprefix(site.base_url): row["reason"] for row in db["rejects"].rows}
    assert reasons[FAULTS["broken"]] == "HTTP 500" and reasons[FAULTS["loop"]].startswith("redirect loop: ")
    assert reasons[FAULTS["garbage"]].startswith("binary data")
    assert reasons[FAULTS["tag-soup"]].startswith("no article body found")
    assert reasons["redis:frontline:pages"].startswith("unreadable queue message: ")
    assert "Unreadable message on frontline:pages" in ingest.stderr
    assert reasons[BROKEN_SITEMAP] == "HTTP 500 (discovery page)"
    assert db["articles"].count == 2 and db["rejects"].count == 12  # 10 faults, the sitemap, the unreadable message
    worker_run = next(db["crawl_runs"].rows_where("spider = 'site'"))
    assert worker_run["flags"] == "9 of 13 pages rejected (69%), above FRONTLINE_MAX_ERROR_RATE=0.25"


def test_a_killed_ingest_loses_no_page(tmp_path, redis_url):
    """The first ingest's two workers hang on the first two pages, so it holds CONCURRENT_ITEMS (8) pages in its
    pipelines and a ninth waiting for room when it is killed, workers and all. The next ingest puts them back
    on the queue once the first one's key has expired, and stores every page once."""
    client = redis.Redis.from_url(redis_url)
    urls = [f"https://news.example/{'hang-' if n < 2 else ''}story-{n}/" for n in range(12)]
    for n, url in enumerate(urls):
        client.lpush(PAGES_KEY, page_message(RawPage(url=url, source="example", body=synthetic.html_page(n).encode(),
                                                     content_type="text/html; charset=utf-8", status=200,
                                                     fetched_at=utc_now())))
    db_path = tmp_path / "frontline.db"
    first = subprocess.Popen([sys.executable, "-m", "crawler.cli", "ingest", "--db", str(db_path), "--redis", redis_url,
                              *FAST, "-s", "FRONTLINE_INGEST_TIMEOUT=2"], cwd=REPO, start_new_session=True,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             env={**os.environ, "FRONTLINE_WORKERS": "2", HANG_ON: "hang-"})
    deadline = time.monotonic() + 120
    while client.llen(PAGES_KEY) > 3:
        assert time.monotonic() < deadline and first.poll() is None, "the ingest did not take 9 pages"
        time.sleep(0.1)
    (consumer,) = [member.decode() for member in client.smembers(CONSUMERS_KEY)]
    assert client.llen(processing_key(consumer)) == 9
    os.killpg(first.pid, signal.SIGKILL)
    first.wait(10)
    while client.exists(alive_key(consumer)):
        assert time.monotonic() < deadline, "the killed ingest's key did not expire"
        time.sleep(0.1)

    second = frontline("ingest", "--db", db_path, "--redis", redis_url, *FAST)
    assert second.returncode == 0, second.stderr[-3000:]
    assert second.stdout.startswith("imported 12, updated 0, unchanged 0, rejected 0"), second.stdout
    assert "Put 9 page(s) back on frontline:pages" in second.stderr
    db = sqlite_utils.Database(db_path)
    assert sorted(row["url"] for row in db["articles"].rows) == sorted(urls)
    assert client.keys("frontline:pages*") == []  # the queue, processing lists and consumers all gone
