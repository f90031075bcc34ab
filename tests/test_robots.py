"""robots.txt as RFC 9309 says, against a local site reached by two host names (tests/resolver.py):
up to 5 redirects followed, the www/apex twin included; 4xx allows all; 5xx, too many redirects or a
redirect off-site disallow all for the run, and what robots.txt forbids ends as skipped rows, not rejects."""

from types import SimpleNamespace

import pytest
import sqlite_utils

from tests.conftest import frontline
from tests.local_server import free_port
from tests.recording_site import RecordingSite, html, redirect, text
from tests.wordpress_site import page, paras, paragraphs

APEX, WWW = "frontline.test", "www.frontline.test"
ARTICLE = "/2024/03/01/report/"
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "FRONTLINE_RETRY_BACKOFF=0",
        "-s", "FRONTLINE_ENRICH=False", "-s", "TWISTED_DNS_RESOLVER=tests.resolver.LoopbackResolver"]
DISALLOW_ALL = "User-agent: *\nDisallow: /\n"
ALLOW_ALL_BUT_PRIVATE = "User-agent: *\nDisallow: /private/\n"


def crawl(tmp_path, robots, host: str = APEX) -> SimpleNamespace:
    """Crawl http://HOST:PORT/, a home page linking to one article; robots(host, path, base) answers for
    /robots.txt and any other path the test redirects it to."""
    db_path, port = tmp_path / "frontline.db", free_port()

    def respond(host_header: str, path: str):
        if path == "/":
            return html(page(f"http://{host_header}", "/", "Home", f'<p><a href="{ARTICLE}">Report</a></p>'))
        if path == ARTICLE:
            return html(page(f"http://{host_header}", ARTICLE, "Report", paras(paragraphs("Avdiivka")),
                             author="Olena Kovalenko", date="2024-03-01"))
        return robots(host_header.split(":")[0], path, port) or html("<p>Not found</p>", status=404)

    with RecordingSite(respond, port=port) as site:
        result = frontline("crawl", "--db", db_path, f"http://{host}:{port}/", *FAST)
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    log = (db_path.parent / "logs" / f"crawl-{host}-{port}.log").read_text()
    db = sqlite_utils.Database(db_path)
    return SimpleNamespace(result=result, db=db, log=log, port=port, paths=[path for _, path in site.hits],
                           articles=[r["url"] for r in db["articles"].rows],
                           skipped={r["input"]: r["reason"] for r in db["skipped"].rows})


def assert_disallowed_all(run, host: str = APEX):
    """Only robots.txt was asked for. The start page and the guessed feed, requested at once and both waiting
    for robots.txt (Scrapy's middleware let all but the first of such waiters through), are skipped."""
    assert {p for p in run.paths if p != "/robots.txt"} <= {f"/r{n}" for n in range(10)}, run.paths
    base = f"http://{host}:{run.port}"
    assert run.skipped[f"{base}/"] == run.skipped[f"{base}/feed/"] == "forbidden by robots.txt"
    assert run.articles == [] and run.db["rejects"].count == 0


@pytest.mark.parametrize("start,twin", [(WWW, APEX), (APEX, WWW)])
def test_robots_txt_redirected_to_the_www_or_apex_twin_is_obeyed(tmp_path, start, twin):
    def robots(host, path, port):
        if path == "/robots.txt":
            return redirect(302, f"http://{twin}:{port}/robots.txt") if host == start else text(DISALLOW_ALL)

    run = crawl(tmp_path, robots, host=start)
    assert_disallowed_all(run, start)
    assert f"robots.txt of {start}:{run.port} read from http://{twin}:{run.port}/robots.txt" in run.log


def test_robots_txt_answering_503_disallows_all(tmp_path):
    run = crawl(tmp_path, lambda host, path, port: text("busy", status=503) if path == "/robots.txt" else None)
    assert_disallowed_all(run)
    assert f"robots.txt of {APEX}:{run.port} answered 503: disallowing all for this run" in run.log


def test_robots_txt_answering_404_allows_all(tmp_path):
    run = crawl(tmp_path, lambda host, path, port: None)
    assert run.articles == [f"http://{APEX}:{run.port}{ARTICLE}"]
    assert list(run.skipped.values()) == ["not an article (no article page type, longest block of running text 0 words)"]
    assert f"robots.txt of {APEX}:{run.port} answered 404: allowing all" in run.log


def redirect_chain(length: int, rules: str):
    """/robots.txt -> /r1 -> ... -> /rLENGTH, which holds the rules: LENGTH redirects."""
    def robots(host, path, port):
        hop = 0 if path == "/robots.txt" else int(path[2:]) if path.startswith("/r") else None
        if hop is None:
            return None
        return redirect(302, f"/r{hop + 1}") if hop < length else text(rules)
    return robots


def test_robots_txt_after_5_redirects_is_obeyed(tmp_path):
    run = crawl(tmp_path, redirect_chain(5, ALLOW_ALL_BUT_PRIVATE))
    assert run.articles == [f"http://{APEX}:{run.port}{ARTICLE}"]
    assert f"robots.txt of {APEX}:{run.port} read from http://{APEX}:{run.port}/r5" in run.log


def test_robots_txt_after_6_redirects_disallows_all(tmp_path):
    run = crawl(tmp_path, redirect_chain(6, ALLOW_ALL_BUT_PRIVATE))
    assert_disallowed_all(run)
    assert "/r6" not in run.paths
    assert (f"robots.txt of {APEX}:{run.port} unreachable (max redirections reached): "
            f"disallowing all for this run") in run.log


def test_robots_txt_redirected_off_site_disallows_all_and_is_not_fetched(tmp_path):
    port = free_port()
    with RecordingSite(lambda host, path: text(""), "127.0.0.2", port) as internal:
        run = crawl(tmp_path, lambda host, path, _: redirect(302, f"{internal.base_url}/robots.txt")
                    if path == "/robots.txt" else None)
    assert internal.hits == []
    assert_disallowed_all(run)
    assert (f"robots.txt of {APEX}:{run.port} unreachable (redirect off-site to 127.0.0.2:{port}): "
            f"disallowing all for this run") in run.log
