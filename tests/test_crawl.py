"""Scrapy crawls a WordPress-like fixture site served on 127.0.0.1, end to end into a SQLite file.

The site (tests/wordpress_site.py) has nested and paginated comment threads, sitemaps, a feed,
listing, tag and about pages, a robots-disallowed page, a 404 in the sitemap, a redirect, a Latin-1
page, a page with a wrong charset, an AMP copy, tracking-parameter links, off-site and file:// links,
a multi-page article and a page that answers conditional GETs.
"""

import json
import sqlite3

import pytest
import sqlite_utils

from tests.conftest import copy_database, frontline
from tests.wordpress_site import FixtureSite

A = "/2024/03/12/aleppo-offensive/"
B = "/2024/03/14/long-read-siege/"
EXPECTED = {
    "articles": {
        A: {"title": "Rebels push into Aleppo's northern villages", "author": "Olena Kovalenko",
            "published": "2024-03-12", "tags": ["Aleppo", "Syria"],
            "comments": [
                {"author": "steppe_watcher", "posted": "2024-03-12T09:15:00", "parent": None},
                {"author": "Marta", "posted": "2024-03-12T10:02:00", "parent": 0},
                {"author": "J. Reyes", "posted": "2024-03-12T11:30:00", "parent": None},
                {"author": "Amira", "posted": "2024-03-12T12:45:00", "parent": 2},
                {"author": "Leo", "posted": "2024-03-13T08:00:00", "parent": None},
                {"author": "Hana", "posted": "2024-03-13T09:20:00", "parent": 4},
                {"author": "Karim", "posted": "2024-03-13T14:05:00", "parent": 0,
                 "text_starts": "@steppe_watcher the villages"}],
            "media": [{"src_ends": "/wp-content/uploads/2024/03/aleppo-1.jpg",
                       "caption_contains": "Smoke rises over the old market district", "credit": "AFP"},
                      {"src_ends": "/wp-content/uploads/2024/03/aleppo-2.jpg",
                       "caption_contains": "A convoy of aid trucks waits at the checkpoint", "credit": "Reuters"}],
            "body_contains": ["Aleppo offensive. Rebel units pushed", "could not reach the pumping station"],
            "body_excludes": ["Newer Comments", "Share this", "Recent posts", "northern villages fell first",
                              "All rights reserved"]},
        B: {"title": "The siege, a long read", "author": "Daniel Reyes", "published": "2024-03-14", "tags": ["Homs"],
            "comments": [{"author": "historian_k", "parent": None}, {"author": "Nadia", "parent": 0},
                         {"author": "Ivo", "parent": None}],
            "body_contains": ["Part one.", "Part two.", "Part three."], "body_excludes": ["Pages:"]},
        "/2024/03/15/hama-frontline/": {
            "title": "On the Hama front line", "author": "Hélène Dubois", "published": "2024-03-15",
            "comments": [{"author": "Zoë", "parent": None, "text_starts": "Très bien écrit."},
                         {"author": "Jürgen", "parent": None, "text_starts": "Grüße aus Köln."}],
            "body_contains": ["Hélène Dubois reached Hama on Tuesday, déjà vu", "A señor from Köln"]},
        "/2024/03/16/idlib-displacement/": {
            "title": "Idlib: the road north", "published": "2024-03-16",
            "body_contains": ["“We left with nothing” — families from إدلب describe the road north"]},
        "/2024/03/18/drone-war-notes/": {"title": "Notes on the drone war", "published": "2024-03-18", "tags": [],
                                         "body_excludes": ["Raqqa"]},  # its rel=next is another post
        "/2024/03/19/conditional-get/": {"title": "The bridge at Raqqa", "author": "Daniel Reyes"},
    },
    "never_requested": ["/private/draft-report/", "/etc/passwd", "http://elsewhere.invalid/story"],
    "expected_rejects": ["/2024/03/20/missing-report/"],
}
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=false", "-s", "FRONTLINE_RETRY_BACKOFF=0",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=4"]
NO_ENRICHMENT = ["-s", "FRONTLINE_ENRICH=False"]  # for the re-crawls: 3 s a run, and not what they test


def crawl(site, db_path, *settings):
    result = frontline("crawl", "--db", db_path, f"{site.base_url}/category/syria/", *FAST, *settings)
    assert "Traceback" not in result.stderr, result.stderr
    return result


@pytest.fixture(scope="module")
def site():
    """One site for the module: each crawl costs seconds, so the re-crawl tests continue from `crawled`."""
    with FixtureSite() as site:
        yield site


@pytest.fixture(scope="module")
def crawled(site, tmp_path_factory):
    db_path = tmp_path_factory.mktemp("crawl") / "frontline.db"
    result = crawl(site, db_path)
    requests = list(site.requests)
    site.reset_log()
    return site, sqlite_utils.Database(db_path), result, requests


@pytest.fixture(scope="module")
def recrawled(crawled, tmp_path_factory):
    """A copy of the first crawl's database, crawled a second time with nothing changed on the site."""
    site, db, _, _ = crawled
    db_path = tmp_path_factory.mktemp("recrawl") / "frontline.db"
    with sqlite3.connect(db_path) as target:
        db.conn.backup(target)
    result = crawl(site, db_path, *NO_ENRICHMENT)
    requests = list(site.requests)
    site.reset_log()
    return db_path, result, requests


def stored(crawled):
    site, db, _, _ = crawled
    return {row["url"].removeprefix(site.base_url): row for row in db["articles"].rows}


def test_every_article_stored_once_and_nothing_else(crawled):
    """No listing, tag, about, AMP, comment or continuation page, no redirect or tracking duplicate."""
    assert sorted(stored(crawled)) == sorted(EXPECTED["articles"])


def test_multi_page_article_in_page_order(crawled):
    body = stored(crawled)[B]["body"]
    assert body.index("Part one.") < body.index("Part two.") < body.index("Part three.")


@pytest.mark.parametrize("path", sorted(EXPECTED["articles"]))
def test_article_fields(crawled, path):
    row, expected = stored(crawled)[path], EXPECTED["articles"][path]
    for key in ("title", "author", "published"):
        if key in expected:
            assert row[key] == expected[key], key
    if "tags" in expected:
        assert sorted(json.loads(row["tags"])) == sorted(expected["tags"])
    for phrase in expected.get("body_contains", []):
        assert phrase in row["body"], phrase
    for phrase in expected.get("body_excludes", []):
        assert phrase not in row["body"], phrase


@pytest.mark.parametrize("path", sorted(p for p, a in EXPECTED["articles"].items() if "comments" in a))
def test_comments_with_authors_dates_and_parents(crawled, path):
    site, db, _, _ = crawled
    article_id = stored(crawled)[path]["id"]
    rows = list(db["comments"].rows_where("article_id = ?", [article_id], order_by="position"))
    index = {row["id"]: i for i, row in enumerate(rows)}
    expected = EXPECTED["articles"][path]["comments"]
    assert [r["author"] for r in rows] == [c["author"] for c in expected]
    assert [index.get(r["parent_id"]) for r in rows] == [c.get("parent") for c in expected]
    for row, comment in zip(rows, expected):
        if "posted" in comment:
            assert row["posted"] == comment["posted"], row["author"]
        if "text_starts" in comment:
            assert row["body"].startswith(comment["text_starts"]), row["body"][:80]


@pytest.mark.parametrize("path", sorted(p for p, a in EXPECTED["articles"].items() if a.get("media")))
def test_figures_go_to_media(crawled, path):
    site, db, _, _ = crawled
    rows = list(db["media"].rows_where("article_id = ?", [stored(crawled)[path]["id"]], order_by="position"))
    expected = EXPECTED["articles"][path]["media"]
    assert len(rows) == len(expected)
    for row, media in zip(rows, expected):
        assert row["src"].endswith(media["src_ends"])
        assert media["caption_contains"] in (row["caption"] or "")
        assert row["credit"] == media["credit"]
        assert media["caption_contains"] not in stored(crawled)[path]["body"]


def test_never_requested(crawled):
    """robots.txt is obeyed; off-site and file:// links are never followed (the latter would read the disk)."""
    site, _, result, requests = crawled
    paths = {r[1] for r in requests}
    for url in EXPECTED["never_requested"]:
        assert url not in paths
    assert "/robots.txt" in paths and "/feed/" in paths and "/post-sitemap.xml" in paths
    assert "elsewhere.invalid" not in result.stderr


def test_polite_identified_requests_and_retries(crawled):
    site, _, _, requests = crawled
    assert all(r[2].get("User-Agent", "").startswith("frontline/") for r in requests)
    drone = [r for r in requests if r[1] == "/2024/03/18/drone-war-notes/"]
    assert len(drone) == 2  # a 503, then the retry that succeeded


def test_http_errors_recorded_as_rejects(crawled):
    site, db, _, _ = crawled
    rejected = {row["input"].removeprefix(site.base_url): row["reason"] for row in db["rejects"].rows}
    for path in EXPECTED["expected_rejects"]:
        assert rejected[path] == "HTTP 404"


def test_raw_pages_kept_for_every_page_of_every_article(crawled):
    site, db, _, _ = crawled
    parts = {r["url"].removeprefix(site.base_url): r for r in db["raw_pages"].rows}
    assert set(stored(crawled)) <= set(parts)
    assert all(p["compression"] == "gzip" and p["size"] > 0 for p in parts.values())


def test_crawl_run_recorded(crawled):
    _, db, result, _ = crawled
    run = next(db["crawl_runs"].rows)
    assert (run["spider"], run["finish_reason"], run["imported"]) == ("site", "finished", len(EXPECTED["articles"]))
    assert result.stdout.startswith(f"imported {len(EXPECTED['articles'])}, updated 0, unchanged 0")


def test_recrawl_is_incremental_and_keeps_versions(site, recrawled, tmp_path):
    recrawl_db, second, requests = recrawled
    conditional = [r for r in requests if "If-None-Match" in r[2] or "If-Modified-Since" in r[2]]
    assert conditional, "a re-crawl sends the stored validators"
    assert "imported 0, updated 0" in second.stdout
    db_path = copy_database(recrawl_db, tmp_path / "frontline.db")
    site.set_version("k", 2)
    try:
        third = crawl(site, db_path, *NO_ENRICHMENT)
    finally:
        site.set_version("k", 1)
        site.reset_log()
    assert "updated 1" in third.stdout, third.stdout
    db = sqlite_utils.Database(db_path)
    assert db["article_versions"].count == 1
    assert db["articles"].count == len(EXPECTED["articles"])


def test_comment_window_refetches_articles_the_sitemap_calls_unchanged(site, recrawled, tmp_path):
    """Which articles the sitemap's lastmod settles depends on whether a listing led to them first; either
    way each article is counted once. (tests/test_traps.py pins the lastmod skip on a sitemap-only site.)"""
    def last_run(db_path):
        db = sqlite_utils.Database(db_path)
        return json.loads(list(db["crawl_runs"].rows_where(order_by="id desc", limit=1))[0]["stats"])

    recrawl_db, _, _ = recrawled
    stats = last_run(recrawl_db)  # 2024 articles are far outside the default 14-day window
    assert stats["frontline/unchanged"] == len(EXPECTED["articles"])
    assert stats.get("frontline/skipped_by_lastmod", 0) <= 5  # the five sitemap articles at most
    db_path = copy_database(recrawl_db, tmp_path / "frontline.db")
    crawl(site, db_path, *NO_ENRICHMENT, "-s", "FRONTLINE_COMMENT_WINDOW_DAYS=100000")
    site.reset_log()
    stats = last_run(db_path)
    assert stats.get("frontline/skipped_by_lastmod", 0) == 0
    assert stats["frontline/unchanged"] == len(EXPECTED["articles"])


def test_reextract_and_export_without_network(crawled, tmp_path):
    site, db, _, _ = crawled
    copy = tmp_path / "copy.db"
    with sqlite3.connect(copy) as target:
        db.conn.backup(target)  # a consistent copy, WAL included
    result = frontline("reextract", "--db", copy)
    assert result.returncode == 0 and result.stdout.startswith(f"updated 0, unchanged {len(EXPECTED['articles'])}")
    lines = [json.loads(line) for line in frontline("export", "--db", copy).stdout.splitlines()]
    assert sorted(line["url"].removeprefix(site.base_url) for line in lines) == sorted(EXPECTED["articles"])
    for line in lines:
        assert all(c["parent_index"] is None or c["parent_index"] < i for i, c in enumerate(line["comments"]))


def test_an_article_page_is_read_whole_in_the_writer_only_when_its_part_links_need_it():
    """crawler/spiders/head.py: rel=canonical and rel=next are read from the head; the body only when it has
    the class names of page or comment-page links."""
    from scrapy.http import HtmlResponse

    from crawler.spiders.head import page_selector
    from crawler.spiders.site import NEXT_ARTICLE_PAGE, NEXT_COMMENT_PAGE, PART_LINK_MARKERS

    head = '<html><head><link rel="canonical" href="/a/"><link rel="next" href="/a/2/"></head>'
    plain = HtmlResponse("https://news.example/a/", encoding="utf-8",
                         body=(head + '<body><article><a href="/elsewhere/">x</a></article></body></html>').encode())
    page = page_selector(plain, PART_LINK_MARKERS)
    assert page.xpath("//link[@rel='canonical']/@href").get() == "/a/"
    assert page.xpath(NEXT_ARTICLE_PAGE).getall() == ["/a/2/"]
    assert page.xpath("//body").get() is None  # the body was not parsed
    paged = HtmlResponse("https://news.example/a/", encoding="utf-8", body=(
        head + '<body><article><div class="page-links"><a href="/a/3/">3</a></div></article>'
        '<nav class="comment-navigation"><a class="next" href="/a/comment-page-2/">Newer</a></nav>'
        '</body></html>').encode())
    page = page_selector(paged, PART_LINK_MARKERS)
    assert page.xpath(NEXT_ARTICLE_PAGE).getall() == ["/a/2/", "/a/3/"]  # document order
    assert page.xpath(NEXT_COMMENT_PAGE).getall() == ["/a/comment-page-2/"]
