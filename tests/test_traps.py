"""Crawler traps end and every candidate page is accounted for: real crawls of tests/trap_site.py.

Each trap has a bound (crawler/bounds.py); a bound ends its branch, is logged, flags the run (exit 3) and
the job ends, so the next run starts afresh instead of resuming the trap. Canonicals that point off-site,
to file:, to a non-article or round a loop are ignored and the page kept under its own URL; an internal
server on 127.0.0.2 proves nothing was requested there.
"""

import json
import signal
import subprocess
import sys
import time

import pytest
import sqlite_utils

from tests.conftest import REPO, frontline
from tests.recording_site import RecordingSite
from tests.trap_site import CANONICAL_ARTICLES, NOT_ARTICLES, UNDATED, TrapSite, sitemap_story

FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=false", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=4",
        "-s", "FRONTLINE_ENRICH=False"]  # enrichment: 2 s of gazetteer per crawl, and not what these test
BOUNDED = [*FAST, "-s", "FRONTLINE_MAX_LISTING_DEPTH=5"]


def internal_service() -> RecordingSite:
    """Stands in for a service on the internal network: it only counts who came."""
    return RecordingSite(lambda host, path: (200, {}, b"internal secret"), host="127.0.0.2")


def rows(db_path, table):
    return list(sqlite_utils.Database(db_path)[table].rows)


def by_input(db_path, table, base):
    return {row["input"].removeprefix(base): row["reason"] for row in rows(db_path, table)}


@pytest.fixture(scope="module")
def trapped(tmp_path_factory):
    """Two runs of one generic crawl into one database: the traps, the canonicals, the undated articles."""
    db_path = tmp_path_factory.mktemp("traps") / "frontline.db"
    with internal_service() as internal, TrapSite(sitemap_articles=3, internal=internal.base_url) as site:
        first = frontline("crawl", "--db", db_path, f"{site.base_url}/archive/page/1/", *BOUNDED)
        first_hits = dict(site.counts)
        after_first = {"stored": {row["url"].removeprefix(site.base_url) for row in rows(db_path, "articles")},
                       "skipped": set(by_input(db_path, "skipped", site.base_url))}
        second = frontline("crawl", "--db", db_path, f"{site.base_url}/archive/page/1/", *BOUNDED)
        second_hits = {path: count - first_hits.get(path, 0) for path, count in site.counts.items()}
        status = frontline("status", "--db", db_path)
        yield {"internal_netloc": internal.base_url.removeprefix("http://"), "db": db_path, "site": site, "base": site.base_url, "first": first, "second": second,
               "first_hits": first_hits, "second_hits": second_hits, "internal": list(internal.hits),
               "status": status, "after_first": after_first}


def test_endless_pagination_and_sitemap_chain_end_at_their_bounds(trapped):
    hits, base = trapped["first_hits"], trapped["base"]
    assert [hits.get(f"/archive/page/{n}/", 0) for n in range(1, 9)] == [1] * 6 + [0, 0]
    assert [hits.get(f"/sitemap.xml?n={n}", 0) for n in range(1, 7)] == [1] * 4 + [0, 0]
    skipped = by_input(trapped["db"], "skipped", base)
    assert skipped["/archive/page/7/"] == "over a bound: FRONTLINE_MAX_LISTING_DEPTH=5"
    assert skipped["/sitemap.xml?n=5"] == "over a bound: FRONTLINE_MAX_SITEMAP_DEPTH=3"
    assert "Bound reached: FRONTLINE_MAX_LISTING_DEPTH=5" in trapped["first"].stderr


def test_a_bounded_run_is_flagged_finished_and_not_resumed(trapped):
    for result in (trapped["first"], trapped["second"]):
        assert result.returncode == 3, result.stderr[-2000:]
        assert "Traceback" not in result.stderr
    assert "Resuming" not in trapped["second"].stderr
    runs = list(sqlite_utils.Database(trapped["db"])["crawl_runs"].rows_where(order_by="id"))
    assert [run["finish_reason"] for run in runs] == ["finished", "finished"]
    for run in runs:
        assert "FRONTLINE_MAX_LISTING_DEPTH=5" in run["flags"] and "FRONTLINE_MAX_SITEMAP_DEPTH=3" in run["flags"]
    assert "FLAGGED" in trapped["status"].stdout and "FRONTLINE_MAX_LISTING_DEPTH" in trapped["status"].stdout
    assert not (trapped["db"].parent / "jobs" / "127.0.0.1").exists()
    assert not any(p.is_dir() for p in (trapped["db"].parent / "jobs").iterdir())  # no JOBDIR left to resume


def test_canonicals_are_followed_only_inside_the_site(trapped):
    base, db_path = trapped["base"], trapped["db"]
    stored = {row["url"].removeprefix(base) for row in rows(db_path, "articles")}
    skipped = by_input(db_path, "skipped", base)
    assert "/2024/01/01/original/" in stored
    assert skipped["/2024/01/01/copy/"] == f"canonical of {base}/2024/01/01/original/"
    for path in ("/2024/01/02/off-site/", "/2024/01/03/file/", "/2024/01/04/to-listing/"):
        assert path in stored, path  # the bad canonical ignored, the page kept under its own URL
    loop, first = {"/2024/01/05/loop-a/", "/2024/01/05/loop-b/"}, trapped["after_first"]
    assert len(loop & first["stored"]) == 1 and len(loop & first["skipped"]) == 1  # whichever came first is kept
    assert loop & stored == loop & first["stored"] and loop & set(skipped) == loop & first["skipped"]  # on every run
    stderr = trapped["first"].stderr
    internal = trapped["internal_netloc"]
    for problem in (f"off-site ({internal})", "not a web address", "not an article URL", "a loop of canonicals"):
        assert f"({problem}:" in stderr, problem
    assert trapped["internal"] == []  # nothing was ever requested from the internal host


def test_a_generic_crawl_asks_each_page_whether_it_is_an_article(trapped):
    base, db_path = trapped["base"], trapped["db"]
    stored = {row["url"].removeprefix(base) for row in rows(db_path, "articles")}
    skipped = by_input(db_path, "skipped", base)
    for path in UNDATED:
        if path in NOT_ARTICLES:
            assert path not in stored and skipped[path].startswith("not an article ("), path
        else:
            assert path in stored, path
    assert skipped["/about-us"].startswith("not an article (page type website")


def test_every_candidate_ends_stored_skipped_or_rejected_once(trapped):
    base, db_path = trapped["base"], trapped["db"]
    stored = {row["url"].removeprefix(base) for row in rows(db_path, "articles")}
    skipped, rejected = by_input(db_path, "skipped", base), by_input(db_path, "rejects", base)
    candidates = [*CANONICAL_ARTICLES, *UNDATED, *(sitemap_story(n) for n in range(3))]
    for path in candidates:
        assert (path in stored) + (path in skipped) + (path in rejected) == 1, path
    assert rejected == {}


def test_the_gzip_sitemap_is_read_and_its_lastmod_settles_the_second_run(trapped):
    base, db_path = trapped["base"], trapped["db"]
    stored = {row["url"].removeprefix(base) for row in rows(db_path, "articles")}
    assert {sitemap_story(n) for n in range(3)} <= stored
    assert [trapped["second_hits"].get(sitemap_story(n), 0) for n in range(3)] == [0, 0, 0]
    stats = json.loads(list(sqlite_utils.Database(db_path)["crawl_runs"].rows_where(order_by="id desc"))[0]["stats"])
    assert stats["frontline/skipped_by_lastmod"] == 3


def test_query_string_explosions_are_normalised_then_bounded(tmp_path):
    db_path = tmp_path / "frontline.db"
    with TrapSite(sitemap_articles=0) as site:
        result = frontline("crawl", "--db", db_path, f"{site.base_url}/search/?q=1", *FAST,
                           "-s", "FRONTLINE_MAX_QUERY_VARIANTS=4")
        paths = site.requested_paths()
    searches = sorted(p for p in paths if p.startswith("/search/"))
    assert searches == [f"/search/?q={n}" for n in range(1, 5)]  # sort, view and utm_ never sent
    skipped = by_input(db_path, "skipped", site.base_url)
    assert skipped["/search/?q=5"] == "over a bound: FRONTLINE_MAX_QUERY_VARIANTS=4"
    assert result.returncode == 3 and "FRONTLINE_MAX_QUERY_VARIANTS=4" in result.stderr


def test_the_request_bound_ends_the_run_and_names_what_it_left(tmp_path):
    db_path = tmp_path / "frontline.db"
    with TrapSite(sitemap_articles=30) as site:
        result = frontline("crawl", "--db", db_path, f"{site.base_url}/news-sitemap.xml.gz", *FAST,
                           "-s", "FRONTLINE_MAX_REQUESTS=10", "-s", "FRONTLINE_MAX_SITEMAP_DEPTH=0")
        fetched = [n for n in range(30) if site.hits(sitemap_story(n))]
    stored = {row["url"].removeprefix(site.base_url) for row in rows(db_path, "articles")}
    over = {path for path, reason in by_input(db_path, "skipped", site.base_url).items()
            if reason == "over a bound: FRONTLINE_MAX_REQUESTS=10"}
    stories = {sitemap_story(n) for n in range(30)}
    assert 0 < len(fetched) <= 10
    assert stories & stored & over == set() and stories <= stored | over  # each story stored or skipped
    assert result.returncode == 3, result.stderr[-2000:]


def test_unreadable_sitemaps_are_rejects_with_their_reason(tmp_path):
    with TrapSite(sitemap_articles=5) as site:
        for path in ("/not-a-sitemap.xml", "/truncated-sitemap.xml.gz"):
            frontline("crawl", "--db", tmp_path / "frontline.db", site.base_url + path, *FAST,
                      "-s", "FRONTLINE_MAX_SITEMAP_DEPTH=0")
    rejected = by_input(tmp_path / "frontline.db", "rejects", site.base_url)
    assert rejected["/not-a-sitemap.xml"] == "unreadable sitemap: not a sitemap (root element <html>) (discovery page)"
    assert rejected["/truncated-sitemap.xml.gz"].startswith("unreadable sitemap: ")


def start_crawl(db_path, url, *args) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "crawler.cli", "crawl", "--db", str(db_path), url, *FAST, *args],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def stop_when(crawl: subprocess.Popen, condition) -> tuple[float, str]:
    """Wait (generously) until condition() holds, then SIGTERM the crawl; returns how long it took to stop,
    and its stderr."""
    deadline = time.monotonic() + 120
    while not condition():
        assert crawl.poll() is None and time.monotonic() < deadline, "the crawl ended, or never got there"
        time.sleep(0.05)
    crawl.send_signal(signal.SIGTERM)
    stopped = time.monotonic()
    _, stderr = crawl.communicate(timeout=90)
    return time.monotonic() - stopped, stderr


def test_a_huge_sitemap_streams_sigterm_stops_the_crawl_soon_and_the_next_run_reads_the_rest(tmp_path):
    """200,000 URLs in one gzip sitemap: articles are fetched while it is still being read, SIGTERM is
    honoured at once rather than after the whole sitemap, and the resumed run reads the sitemap again, so
    the entries the stopped run never reached are not lost."""
    db_path = tmp_path / "frontline.db"
    url_args = ("-s", "FRONTLINE_MAX_SITEMAP_DEPTH=0")
    with TrapSite(sitemap_articles=200_000) as site:
        sitemap = f"{site.base_url}/news-sitemap.xml.gz"
        site.news_sitemap()  # built before the clock starts
        started = time.monotonic()
        crawl = start_crawl(db_path, sitemap, *url_args)
        try:
            stop_time, stderr = stop_when(crawl, lambda: any("sitemap-story-" in p for p in site.requested_paths()))
            first_article = time.monotonic() - started - stop_time
            assert crawl.returncode == 1, stderr[-2000:]
            assert "ended early (shutdown)" in stderr
            resumed = start_crawl(db_path, sitemap, *url_args)
            _, resumed_stderr = stop_when(resumed, lambda: site.hits("/news-sitemap.xml.gz") == 2)
        finally:
            crawl.kill()
            resumed.kill()
        assert "(previous run paused)" in resumed_stderr  # and it read the unfinished sitemap again
    print(f"first article request after {first_article:.1f} s; stopped {stop_time:.1f} s after SIGTERM")
    assert stop_time < 60  # generous: reading the whole sitemap first took minutes
