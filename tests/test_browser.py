"""End to end in a real headless Chromium: home page, full-text search, an article with its reply tree, entity
pages, the map's pop-ups and the timeline.

Uses Debian's chromium (installed by .ci/run) through Playwright; Playwright never downloads a browser.
Screenshots go to test-artifacts/.
"""

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import REPO, copy_database, system_program
from tests.local_server import free_port

ARTIFACTS = REPO / "test-artifacts"


@contextmanager
def serving(db_path: Path):
    """A real `frontline serve` of db_path on a free port, until the block ends."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "crawler.cli", "serve", "--db", str(db_path), "--port", str(port)],
                               cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(base + "/-/versions.json", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    else:
        process.terminate()
        pytest.fail(process.stderr.read1().decode())
    yield base
    process.terminate()
    process.wait(10)


@pytest.fixture(scope="module")
def server(tmp_path_factory, showcase_database):
    with serving(copy_database(showcase_database, tmp_path_factory.mktemp("browser") / "frontline.db")) as base:
        yield base


@pytest.fixture(scope="module")
def threaded_server(tmp_path_factory, threaded_database):
    """The showcase with a nested thread (tests/conftest.py::threaded_database)."""
    with serving(copy_database(threaded_database, tmp_path_factory.mktemp("threaded") / "frontline.db")) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=system_program("chromium"), args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run", "--disable-sync"])
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    yield page
    context.close()


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path


def readme_screenshot(page, name: str) -> Path:
    """A screenshot the docs show: FRONTLINE_SCREENSHOTS=docs/screenshots copies it there too."""
    path = screenshot(page, f"readme-{name}")
    docs = os.environ.get("FRONTLINE_SCREENSHOTS")
    if docs:
        (REPO / docs).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, REPO / docs / f"{name}.png")
    return path


def only_local(page, server) -> list[str]:
    """Requests that leave 127.0.0.1 are aborted (and listed): a view must work from bundled assets alone."""
    outside = []
    page.context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(server)
                       else (outside.append(route.request.url), route.abort()))
    page.set_viewport_size({"width": 1100, "height": 720})
    return outside


def test_home_search_article_and_comments(server, page):
    page.goto(server + "/")
    assert "frontline — war and conflict reporting" in page.title()
    page.click("text=frontline")  # the database
    page.goto(server + "/frontline/articles")
    page.fill("input#_search", "counteroffensive")
    page.press("input#_search", "Enter")
    page.wait_for_load_state()
    assert "_search=counteroffensive" in page.url
    links = page.locator("td.col-title a")
    assert links.count() == 1
    screenshot(page, "search")
    links.first.click()
    page.wait_for_selector("h1")
    assert page.inner_text("h1") == "With sudden advances in Aleppo, Islamic State provokes counteroffensive"
    comments = page.locator(".fl-comment")
    assert comments.count() == 12
    assert comments.nth(0).locator("strong").inner_text() == "Telh"
    reply = page.locator("#comment-11")
    assert "in reply to #9, found by an @name mention" in reply.inner_text()
    indent = page.evaluate("e => getComputedStyle(e).marginLeft", reply.element_handle())
    top_level = page.evaluate("e => getComputedStyle(e).marginLeft", comments.nth(0).element_handle())
    assert float(indent.rstrip("px")) > float(top_level.rstrip("px"))
    assert screenshot(page, "article").stat().st_size > 10_000
    assert page.dialogs == []


def test_hostile_markup_never_runs(server, page):
    page.goto(server + "/frontline/articles?_search=headline")
    page.locator("td.col-title a").first.click()
    page.wait_for_selector(".fl-comment")
    assert "<script>alert('comment')</script> Nice article!" in page.inner_text(".fl-article")
    assert page.locator(".fl-article script, .fl-article img").count() == 0
    page.goto(server + "/frontline/comments")
    assert page.dialogs == []


def test_map_of_places_shows_markers(server, page):
    page.goto(server + "/frontline/places_map")
    page.wait_for_selector(".leaflet-marker-icon, .marker-cluster", timeout=60_000)  # returns once shown
    assert page.locator(".leaflet-marker-icon, .marker-cluster").count() > 0
    screenshot(page, "map")


def row_id(server, sql, **params):
    query = urllib.parse.urlencode({"sql": sql, "_shape": "array", **params})
    with urllib.request.urlopen(f"{server}/frontline.json?{query}", timeout=30) as response:
        return json.loads(response.read())[0]["id"]


def contains(page, outer: str, inner: str) -> bool:
    return page.evaluate("([o, i]) => document.getElementById(o).contains(document.getElementById(i))", [outer, inner])


def test_reading_page_nests_replies_and_folds_long_threads(threaded_server, page):
    outside = only_local(page, threaded_server)
    article = row_id(threaded_server, "select id from articles where title like :t", t="Checkpoints close%")
    page.goto(f"{threaded_server}/frontline/-/article/{article}")
    assert contains(page, "comment-2", "comment-3") and contains(page, "comment-0", "comment-3")  # the DOM nests
    assert contains(page, "comment-6", "comment-7") and not contains(page, "comment-6", "comment-3")
    assert not page.locator("#comment-1").is_visible()  # Ana's five replies start folded
    assert page.locator("#comment-7").is_visible()  # Gus's one reply is open
    page.click("#comment-0 > details > summary")
    page.click("h1")  # Datasette closes every open <details> on a click (its menus): never the thread's folds
    assert page.locator("#comment-3").is_visible()
    indent = [page.locator(f"#comment-{n}").bounding_box()["x"] for n in (0, 1, 2, 3)]
    assert indent == sorted(indent) and len(set(indent)) == 4  # each level further right
    page.goto("about:blank")
    page.goto(f"{threaded_server}/frontline/-/article/{article}#comment-3")  # the browser opens the folds around a permalink's target
    assert page.locator("#comment-3").is_visible()
    assert "in reply to #2" in page.inner_text("#comment-3 > .fl-meta")
    page.locator("#comment-0").evaluate("comment => comment.scrollIntoView()")
    readme_screenshot(page, "comments")
    assert page.dialogs == [] and outside == []


def test_entity_page_draws_its_chart_and_links_onwards(threaded_server, page):
    outside = only_local(page, threaded_server)
    entity = row_id(threaded_server, "select id from entities where name = :n", n="Islamic State")
    page.goto(f"{threaded_server}/frontline/-/entity/{entity}")
    bars = page.locator(".fl-chart rect")
    assert bars.count() == 2 and all(bars.nth(n).bounding_box()["height"] > 10 for n in range(2))
    assert page.locator(".fl-legend li").all_inner_texts() == ["in articles", "in comments"]
    readme_screenshot(page, "entity")
    page.click(".fl-companions a:has-text('Aleppo Governorate')")
    page.wait_for_selector(".leaflet-interactive")  # a place has its small map, its marker drawn by Leaflet
    assert page.inner_text("h1") == "Aleppo Governorate"
    assert all(".tile." in url for url in outside) and page.dialogs == []


def test_map_popup_leads_to_the_place_page(threaded_server, page):
    outside = only_local(page, threaded_server)
    page.goto(threaded_server + "/frontline/places_map")
    marker = page.locator(".leaflet-marker-icon:not(.marker-cluster)").first
    marker.wait_for(timeout=60_000)
    page.locator(".leaflet-container").evaluate("map => map.scrollIntoView()")
    page.wait_for_timeout(500)  # fitBounds animates
    marker.click()
    link = page.locator(".leaflet-popup-content a")
    link.wait_for()
    page.wait_for_function("() => getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'")
    name = page.inner_text(".leaflet-popup-content strong")
    assert "times in comments" in page.inner_text(".leaflet-popup-content")
    readme_screenshot(page, "map")
    link.click()
    page.wait_for_url("**/frontline/-/entity/*")
    assert page.inner_text("h1") == name
    assert all(".tile." in url for url in outside)


def test_timeline_draws_sources_and_chosen_actors(threaded_server, page):
    outside = only_local(page, threaded_server)
    page.goto(threaded_server + "/frontline/-/timeline?actor=ISIS")
    page.fill("input[name=actor][type=search]", "Peshmerga")
    page.press("input[name=actor][type=search]", "Enter")
    page.wait_for_url("**actor=Peshmerga**")
    sources, actors = page.locator(".fl-chart").all()
    assert sources.locator("rect").count() == 3
    assert actors.locator(".fl-legend li").all_inner_texts() == ["Islamic State", "Peshmerga"]
    assert actors.locator("polyline").count() == 2
    page.evaluate("window.scrollTo(0, 0)")
    readme_screenshot(page, "timeline")
    assert outside == [] and page.dialogs == []


def test_home_search_box_finds_articles_and_comments_with_highlighted_passages(server, page):
    outside = only_local(page, server)
    page.goto(server + "/")
    home = page.locator(".fl-home")
    assert "3 articles, 17 comments from 2 sources" in " ".join(home.locator(".fl-counts").inner_text().split())
    assert home.locator(".fl-runs .fl-health-ok").count() == 1
    page.set_viewport_size({"width": 1100, "height": 720})
    assert readme_screenshot(page, "home").stat().st_size > 10_000
    page.fill(".fl-home input[name=q]", "Assad")
    page.press(".fl-home input[name=q]", "Enter")
    page.wait_for_selector(".fl-results-comments")
    assert page.url.endswith("/frontline/-/search?q=Assad")
    marks = page.locator(".fl-snippet mark")
    assert marks.count() >= 4 and {marks.nth(i).inner_text() for i in range(marks.count())} == {"Assad"}
    background = page.evaluate("m => getComputedStyle(m).backgroundColor", marks.first.element_handle())
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")  # the terms stand out
    readme_screenshot(page, "search-page")
    page.locator(".fl-results-comments a").first.click()
    page.wait_for_selector(".fl-article")
    anchor = page.url.split("#")[1]
    assert anchor.startswith("comment-") and page.locator(f"#{anchor}").is_visible()
    assert outside == [] and page.dialogs == []


def test_articles_search_shows_highlighted_snippets_and_folded_glossary(server, page):
    page.goto(server + "/frontline/articles?_search=counteroffensive")
    snippet = page.locator("td.col-title .fl-snippet")
    assert snippet.count() == 1 and snippet.locator("mark").inner_text() == "counteroffensive"
    glossary = page.locator("details.fl-glossary")
    assert not glossary.locator("dt").first.is_visible()
    page.set_viewport_size({"width": 1100, "height": 720})
    glossary.evaluate("glossary => glossary.scrollIntoView()")  # the count, the search box, facets and the list
    readme_screenshot(page, "search")
    glossary.locator("summary").click()
    assert glossary.locator("dt", has_text="content_hash").is_visible()
    assert page.locator("td.col-content_hash").count() == 0
    page.click("text=show every column")
    page.wait_for_selector("td.col-content_hash")
    assert page.locator("td.col-body").count() == 1


def test_feed_link_is_announced_and_parses_as_atom(server, page):
    import xml.etree.ElementTree as ET

    page.goto(server + "/frontline/articles?_search=drone")
    link = page.locator('head link[rel=alternate][type="application/atom+xml"]')
    assert link.count() == 1
    response = page.request.get(server + link.get_attribute("href"))
    assert response.ok and response.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.body())
    entries = feed.findall("{http://www.w3.org/2005/Atom}entry")
    assert [e.findtext("{http://www.w3.org/2005/Atom}title") for e in entries] == \
        ["Drone strikes test air defenses around Kharkiv"]
    page.goto(entries[0].find("{http://www.w3.org/2005/Atom}link").get("href"))
    assert page.inner_text("h1") == "Drone strikes test air defenses around Kharkiv"
