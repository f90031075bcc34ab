"""A hostile site tries every way out of its scope: a 301, 302, 307 or meta refresh from an article, from a
continuation page and from a comment page, to another host (127.0.0.2, same port) and to another port of its
own host. Two recording servers stand in for the internal services it aims at: neither may see a request,
and nothing of theirs may reach the database. A redirect within the site still works."""

import gzip
import itertools
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
import sqlite_utils

from crawler.sites import generic_profile, load_profile
from tests.conftest import frontline
from tests.local_server import free_port
from tests.recording_site import RecordingSite, html, redirect, text
from tests.wordpress_site import page, paras, paragraphs

SECRET = "INTERNAL-SERVICE-DATA"
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "FRONTLINE_RETRY_BACKOFF=0",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8", "-s", "FRONTLINE_ENRICH=False", "-s", "FRONTLINE_MAX_ERROR_RATE=1"]
WHERE = ("article", "continuation", "comments")  # which page of the article answers with the escape
HOW = ("301", "302", "307", "refresh")
TARGETS = ("other-host", "other-port")
ESCAPES = list(itertools.product(WHERE, HOW, TARGETS))
MOVED, MOVED_HERE = "/2024/02/01/moved/", "/2024/02/01/moved-here/"
LISTED_ELSEWHERE = "/2024/02/02/listed-elsewhere/"
CANONICAL_ELSEWHERE = "/2024/02/03/canonical-elsewhere/"


def article_path(where: str, how: str, target: str) -> str:
    return f"/2024/01/15/{where}-{how}-{target}/"


def escape(how: str, url: str):
    if how == "refresh":
        return html(f'<html><head><meta http-equiv="refresh" content="0; url={url}"></head><body></body></html>')
    return redirect(int(how), url)


class HostileSite:
    """The site's answers; `internal` maps each target to the base URL of the internal server it aims at."""

    def __init__(self, port: int, internal: dict[str, str]):
        self.base = f"http://127.0.0.1:{port}"
        self.internal = internal
        self.escapes = {article_path(*e): e for e in ESCAPES}

    def respond(self, host: str, path: str):
        base = self.base
        if path == "/robots.txt":
            return text(f"User-agent: *\nDisallow: /private/\nSitemap: {base}/sitemap.xml\n")
        if path == "/sitemap.xml":
            locs = [base + p for p in [*self.escapes, MOVED, CANONICAL_ELSEWHERE]]
            locs.append(self.internal["other-host"] + LISTED_ELSEWHERE)
            urls = "".join(f"<url><loc>{loc}</loc></url>" for loc in locs)
            return 200, {"Content-Type": "application/xml"}, (
                f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}'
                f'</urlset>').encode()
        if path == MOVED:
            return redirect(302, base + MOVED_HERE)
        if path in (MOVED_HERE, CANONICAL_ELSEWHERE):
            canonical = self.internal["other-port"] + path if path == CANONICAL_ELSEWHERE else None
            return html(self.article(path, canonical=canonical))
        for start, (where, how, target) in self.escapes.items():
            if path == start:
                return escape(how, self.secret(target)) if where == "article" else html(self.article(path, where))
            if path == start + part_suffix(where):
                return escape(how, self.secret(target))
        return html("<html><body>Not found</body></html>", status=404)

    def secret(self, target: str) -> str:
        return self.internal[target] + "/secret/"

    def article(self, path: str, next_part: str | None = None, canonical: str | None = None) -> str:
        head = comments = ""
        if next_part == "continuation":
            head = f'<link rel="next" href="{self.base}{path}2/">'
        if next_part == "comments":
            comments = (f'<nav class="navigation comment-navigation"><a class="next page-numbers" '
                        f'href="{self.base}{path}comment-page-2/">Newer Comments</a></nav>')
        return page(self.base, path, f"Report {path}", paras(paragraphs("Bakhmut", marker=f"[{path}]")),
                    author="Olena Kovalenko", date="2024-01-15", head=head, comments=comments, canonical=canonical)


def part_suffix(where: str) -> str:
    return {"continuation": "2/", "comments": "comment-page-2/"}.get(where, "")


def internal(host: str, port: int = 0) -> RecordingSite:
    return RecordingSite(lambda h, p: html(f"<html><body><p>{SECRET} {p}</p></body></html>"), host, port)


@pytest.fixture(scope="module")
def hostile_crawl(tmp_path_factory):
    db_path = tmp_path_factory.mktemp("scope") / "frontline.db"
    port = free_port()
    with internal("127.0.0.2", port) as other_host, internal("127.0.0.1") as other_port:
        targets = {"other-host": other_host.base_url, "other-port": other_port.base_url}
        with RecordingSite(HostileSite(port, targets).respond, port=port) as site:
            result = frontline("crawl", "--db", db_path, site.base_url + "/", *FAST)
            internal_hits = other_host.hits + other_port.hits
    log = (db_path.parent / "logs" / f"crawl-127.0.0.1-{port}.log").read_text()
    return SimpleNamespace(result=result, db=sqlite_utils.Database(db_path), base=site.base_url, log=log,
                           internal_hits=internal_hits, netlocs={n: urlsplit(u).netloc for n, u in targets.items()},
                           site_hits=site.hits)


def test_no_request_reaches_the_internal_servers(hostile_crawl):
    assert "Traceback" not in hostile_crawl.result.stderr, hostile_crawl.result.stderr[-3000:]
    assert hostile_crawl.result.returncode == 0, hostile_crawl.result.stderr[-3000:]
    assert hostile_crawl.internal_hits == []


@pytest.mark.parametrize("how,target", list(itertools.product(HOW, TARGETS)))
def test_an_article_redirected_off_site_is_a_reject_with_its_reason(hostile_crawl, how, target):
    url = hostile_crawl.base + article_path("article", how, target)
    reason = f"redirect off-site to {hostile_crawl.netlocs[target]}"
    assert [r["reason"] for r in hostile_crawl.db["rejects"].rows_where("input = ?", [url])] == [reason]
    assert f"Rejected {url}: {reason}" in hostile_crawl.log


@pytest.mark.parametrize("where,how,target", list(itertools.product(("continuation", "comments"), HOW, TARGETS)))
def test_a_part_redirected_off_site_is_left_out_and_the_article_kept(hostile_crawl, where, how, target):
    db, url = hostile_crawl.db, hostile_crawl.base + article_path(where, how, target)
    article = next(db["articles"].rows_where("url = ?", [url]))
    assert "Bakhmut" in article["body"] and SECRET not in article["body"]
    raw = list(db["raw_pages"].rows_where("article_id = ?", [article["id"]]))
    assert [(r["part"], r["url"]) for r in raw] == [(0, url)]
    assert SECRET.encode() not in gzip.decompress(raw[0]["content"])
    assert (f"WARNING: Part of {url} not fetched ({url}{part_suffix(where)}): "
            f"redirect off-site to {hostile_crawl.netlocs[target]}") in hostile_crawl.log


def test_nothing_of_the_internal_servers_in_the_database(hostile_crawl):
    db = hostile_crawl.db
    assert not [line for line in db.conn.iterdump() if SECRET in line]
    assert all(SECRET.encode() not in gzip.decompress(r["content"]) for r in db["raw_pages"].rows)
    assert all(r["url"].startswith(hostile_crawl.base + "/") for r in db["raw_pages"].rows)


def test_a_url_out_of_scope_is_skipped_not_requested(hostile_crawl):
    """Listed in the sitemap on the other host: skipped. Named as the canonical URL on the other port: the
    canonical is ignored (a warning) and the page kept under its own URL."""
    skipped = {r["input"]: r["reason"] for r in hostile_crawl.db["skipped"].rows}
    other_host, other_port = hostile_crawl.netlocs["other-host"], hostile_crawl.netlocs["other-port"]
    assert skipped[f"http://{other_host}{LISTED_ELSEWHERE}"] == f"out of scope: {other_host}"
    assert hostile_crawl.base + CANONICAL_ELSEWHERE in {r["url"] for r in hostile_crawl.db["articles"].rows}
    assert f"(off-site ({other_port}): http://{other_port}{CANONICAL_ELSEWHERE})" in hostile_crawl.result.stderr


def test_a_redirect_within_the_site_still_works(hostile_crawl):
    assert (urlsplit(hostile_crawl.base).netloc, MOVED_HERE) in hostile_crawl.site_hits
    urls = {r["url"] for r in hostile_crawl.db["articles"].rows}
    assert hostile_crawl.base + MOVED_HERE in urls


@pytest.mark.parametrize("url,allowed", [
    ("https://www.longwarjournal.org/archives/2024/03/x.php", True),
    ("http://longwarjournal.org/", True),  # the standard ports: http and https are one site
    ("https://static.longwarjournal.org/a.jpg", True),  # a subdomain of an allowed domain
    ("https://www.longwarjournal.org:8443/", False),  # another port of the same host
    ("https://longwarjournal.org.example.net/", False),
    ("https://notlongwarjournal.org/", False),
    ("https://www.longwarjournal.org@127.0.0.2/", False),  # user info: the host is 127.0.0.2
    ("ftp://www.longwarjournal.org/", False),
    ("https://www.longwarjournal.org:99999/", False),  # not a port
])
def test_a_profile_scope_is_its_domains_and_their_subdomains_on_its_ports(url, allowed):
    assert load_profile("lwj").scope.allows(url) is allowed


@pytest.mark.parametrize("start,url,allowed", [
    ("https://www.example.org/news/", "https://example.org/2024/01/01/a/", True),  # the apex twin
    ("https://www.example.org/news/", "https://api.example.org/", False),  # the twin exactly, not its subdomains
    ("https://example.org/", "https://www.example.org/", True),
    ("http://127.0.0.1:8080/", "http://127.0.0.1:8080/a/", True),
    ("http://127.0.0.1:8080/", "http://127.0.0.1:8081/a/", False),
    ("http://127.0.0.1:8080/", "http://127.0.0.1/a/", False),  # an IP address has no www twin, nor port 80
    ("http://127.0.0.1:8080/", "http://www.127.0.0.1:8080/", False),
])
def test_a_generic_scope_is_the_start_host_and_its_www_twin_on_the_start_port(start, url, allowed):
    assert generic_profile(start).scope.allows(url) is allowed
