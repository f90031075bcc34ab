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
    outside = []
    page.context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(server)
                       else (outside.append(route.request.url), route.abort()))
    page.set_viewport_size({"width": 1100, "height": 720})
    docs = os.environ.get("FRONTLINE_SCREENSHOTS")

    def shoot(name):
        path = screenshot(page, f"readme-{name}")
        if docs:
            (REPO / docs).mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, REPO / docs / f"{name}.png")

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
