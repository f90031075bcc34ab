"""End to end in a real headless Chromium: home page, full-text search, an article with its comments.

Uses Debian's chromium (installed by .ci/run) through Playwright; Playwright never downloads a browser.
Screenshots go to test-artifacts/.
"""

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import REPO, copy_database, system_program
from tests.local_server import free_port

ARTIFACTS = REPO / "test-artifacts"


@pytest.fixture(scope="module")
def server(tmp_path_factory, showcase_database):
    db_path = copy_database(showcase_database, tmp_path_factory.mktemp("browser") / "frontline.db")
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
    assert "in reply to #9 (mention)" in reply.inner_text()
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


def test_screenshots_of_the_main_views(server, page):
    """The README's screenshots, framed on what each view is for: FRONTLINE_SCREENSHOTS=docs/screenshots refreshes them.

    Requests that leave 127.0.0.1 (map tiles) are aborted: the markers must show from bundled assets alone.
    """
    outside = only_local(page, server)
    page.set_viewport_size({"width": 1100, "height": 720})

    def shoot(name):
        readme_screenshot(page, name)

    page.goto(server + "/frontline/articles?_search=counteroffensive")
    page.locator("form.filters").evaluate("form => form.scrollIntoView()")  # past the column descriptions
    shoot("search")
    page.locator("td.col-title a").first.click()
    page.locator("[data-depth='1']").first.evaluate("reply => reply.scrollIntoView({block: 'center'})")
    shoot("comments")
    page.goto(server + "/frontline/places_map")
    page.wait_for_selector(".leaflet-marker-icon", timeout=60_000)  # returns once shown
    page.locator(".leaflet-container").evaluate("map => map.scrollIntoView()")
    page.wait_for_timeout(500)  # fitBounds animates
    shoot("map")
    assert all(".tile." in url for url in outside), outside  # only map tiles come from outside


def test_home_search_box_finds_articles_and_comments_with_highlighted_passages(server, page):
    outside = only_local(page, server)
    page.goto(server + "/")
    home = page.locator(".fl-home")
    assert "3 articles, 17 comments from 1 source" in " ".join(home.locator(".fl-counts").inner_text().split())
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
