"""Datasette with frontline's metadata, through Datasette's own ASGI test client."""

import asyncio
import re
import subprocess
import sys
import time
import urllib.request

import pytest
from datasette.app import Datasette

from db import TEMPLATES
from db.datasette import SETTINGS, datasette_command, metadata_for
from tests.conftest import REPO, copy_database
from tests.local_server import free_port
from tests.unreliable_site import UnreliableSite


@pytest.fixture(scope="module")
def db_path(tmp_path_factory, showcase_database):
    return copy_database(showcase_database, tmp_path_factory.mktemp("datasette") / "frontline.db")


@pytest.fixture
def datasette(db_path):
    return Datasette([str(db_path)], metadata=metadata_for(db_path), settings=SETTINGS, template_dir=str(TEMPLATES))


def article_id(datasette, title_start):
    rows = get(datasette, "/frontline/articles.json?_shape=array&_col=title").json()
    return next(r["id"] for r in rows if r["title"].startswith(title_start))


def get(datasette, path):
    return asyncio.run(datasette.client.get(path))


def test_home_page_titles_and_describes(datasette):
    response = get(datasette, "/")
    assert response.status_code == 200
    assert "frontline — war and conflict reporting" in response.text


def test_search_articles_and_comments(datasette):
    articles = get(datasette, "/frontline/articles.json?_search=counteroffensive&_shape=array").json()
    assert [a["author"] for a in get(datasette, "/frontline/articles.json?_search=Saltivka&_shape=array").json()] \
        == ["Olena Kovalenko"]
    assert [a["author"] for a in articles] == ["Thomas Joscelyn"]
    comments = get(datasette, "/frontline/comments.json?_search=Khawarij&_shape=array").json()
    assert [c["author"] for c in comments] == ["Hispanic", "James"]


def test_facets_on_source_author_month_language_and_tags_on_demand(datasette):
    """None by default: over a search's matches they took 370 ms of each search at 100,000 articles."""
    assert get(datasette, "/frontline/articles.json").json()["facet_results"] == {}
    assert get(datasette, "/frontline/comments.json?_search=Khawarij").json()["facet_results"] == {}
    facets = get(datasette, "/frontline/articles.json?_facet=source_id&_facet=author&_facet=published_month"
                            "&_facet=language&_facet_array=tags").json()["facet_results"]
    assert set(facets) == {"source_id", "author", "tags", "published_month", "language"}
    assert [r["label"] for r in facets["source_id"]["results"]] == ["seeds", "fixture-journal.example"]  # the
    # saved page's source is the host of the address it names (rel=canonical)
    assert sorted(r["value"] for r in facets["author"]["results"]) == ["Olena Kovalenko", "Thomas Joscelyn"]
    assert sorted(r["value"] for r in facets["published_month"]["results"]) == ["2015-06", "2023-03"]
    assert sorted(r["value"] for r in facets["tags"]["results"]) == ["Air defense", "Drones", "Kharkiv"]


def test_internal_tables_hidden(datasette):
    tables = {t["name"]: t["hidden"] for t in get(datasette, "/frontline.json").json()["tables"]}
    assert tables["raw_pages"] and tables["articles_fts"]
    assert not tables["articles"] and not tables["comments"] and not tables["rejects"]


def test_metadata_follows_the_database_file_name(tmp_path):
    metadata = metadata_for(tmp_path / "conflict.db")
    assert list(metadata["databases"]) == ["conflict"]
    assert "/conflict/articles" in metadata["description_html"]


def test_served_read_write_never_immutable_and_local(db_path):
    command = datasette_command(db_path, "m.json", "127.0.0.1", 8001)
    assert "-i" not in command and "--immutable" not in command
    assert command[command.index("--host") + 1] == "127.0.0.1"
    assert command[command.index("sql_time_limit_ms") + 1] == "3000"
    assert command[command.index("suggest_facets") + 1] == "off"


def test_foreign_keys_show_names(datasette):
    rows = get(datasette, "/frontline/comments.json?_labels=on&_shape=array&_size=1").json()
    assert rows[0]["article_id"]["label"] and rows[0]["article_id"]["label"] != str(rows[0]["article_id"]["value"])


def test_every_visible_table_and_column_is_described(datasette, db_path):
    import sqlite_utils

    metadata = metadata_for(db_path)["databases"]["frontline"]["tables"]
    db = sqlite_utils.Database(db_path)
    visible = [t["name"] for t in get(datasette, "/frontline.json").json()["tables"] if not t["hidden"]]
    for table in visible:
        assert metadata.get(table, {}).get("description"), f"{table} has no description"
    for table in visible:
        if table.endswith(("_fts", "_fts_data", "_fts_idx", "_fts_docsize", "_fts_config")):
            continue
        undescribed = set(db[table].columns_dict) - set(metadata[table].get("columns", {})) - {"id"}
        assert not undescribed, f"{table}: {undescribed}"


def test_article_page_with_threaded_comments(datasette):
    seed = article_id(datasette, "With sudden advances")
    response = get(datasette, f"/frontline/-/article/{seed}")
    assert response.status_code == 200
    html = response.text
    assert "<h1>With sudden advances in Aleppo, Islamic State provokes counteroffensive</h1>" in html
    assert 'href="/frontline/articles?author=Thomas%20Joscelyn"' in html
    assert 'href="/frontline/articles?published_month=2015-06"' in html
    assert html.count('class="fl-comment"') == 12
    order = [(int(n), int(d)) for n, d in re.findall(r'id="comment-(\d+)" data-depth="(\d+)"', html)]
    assert order[:6] == [(0, 0), (1, 0), (10, 1), (2, 0), (3, 0), (5, 1)]  # James answers Hispanic, under her
    assert 'in reply to <a href="#comment-9">#9</a>' in html
    assert '>Islamic State <span class="fl-count">19</span></a>' in html  # actors and places link to their pages
    assert get(datasette, "/frontline/-/article/9999").status_code == 404


@pytest.mark.parametrize("article", [str(2**63), str(2**63 - 1), "-1", "0", "99999999999999999999", "abc", "1.5"])
def test_article_page_of_a_malformed_or_out_of_range_id_is_not_found(datasette, article):
    response = get(datasette, f"/frontline/-/article/{article}")
    assert response.status_code == 404, response.text[:300]


def test_titles_in_the_table_link_to_the_article_page(datasette):
    seed = article_id(datasette, "With sudden advances")
    assert f'<a href="/frontline/-/article/{seed}">With sudden advances' in get(datasette, "/frontline/articles").text


def test_scraped_markup_is_escaped_never_rendered(datasette):
    hostile = article_id(datasette, "<img src=x")
    for path in (f"/frontline/-/article/{hostile}", "/frontline/articles", "/frontline/comments",
                 f"/frontline/comment_thread?article_id={hostile}"):
        html = get(datasette, path).text
        assert "<script>alert" not in html and "<img src=x" not in html and "<b>aid convoys</b>" not in html, path
        assert 'href="javascript:' not in html, path
    page = get(datasette, f"/frontline/-/article/{hostile}").text
    assert "&lt;script&gt;alert(&#39;comment&#39;)&lt;/script&gt; Nice article!" in page
    assert "&lt;img src=x onerror=" in page


@pytest.mark.parametrize("query, params, check", [
    ("actor_articles", "actor=ISIS", lambda rows: [(r["entity"], r["mentions"]) for r in rows] == [("Islamic State", 19)]),
    ("actor_articles", "actor=Aleppo&since=2016-01-01", lambda rows: rows == []),
    ("most_discussed", "", lambda rows: [r["comment_count"] for r in rows] == [12, 3, 2]),
    ("newest_per_source", "", lambda rows: {r["source"] for r in rows} == {"seeds", "fixture-journal.example"}
     and len(rows) == 3),
    ("top_actors", "", lambda rows: rows[0]["name"] == "Islamic State"),
    ("places_map", "", lambda rows: all(r["latitude"] is not None for r in rows)
        and {"Aleppo", "Sarwan", "Kharkiv"} <= {r["name"] for r in rows}),
    ("crawl_health", "", lambda rows: [(r["imported"], r["rejected"], r["skipped"], r["rejected_by_reason"])
                                       for r in rows] == [(3, 0, 0, "{}")]),
    ("rejects_by_reason", "", lambda rows: rows == []),
    ("near_duplicates", "", lambda rows: rows == []),
])
def test_canned_queries(datasette, query, params, check):
    response = get(datasette, f"/frontline/{query}.json?_shape=array&{params}")
    assert response.status_code == 200, response.text
    assert check(response.json()), response.json()


def test_comment_thread_in_reply_order(datasette):
    seed = article_id(datasette, "With sudden advances")
    rows = get(datasette, f"/frontline/comment_thread.json?_shape=array&article_id={seed}").json()
    order = [(r["position"], r["depth"]) for r in rows]
    assert order[:6] == [(0, 0), (1, 0), (10, 1), (2, 0), (3, 0), (5, 1)]  # James answers Hispanic right after her
    assert len(rows) == 12


def test_map_of_places_renders_with_bundled_leaflet(datasette):
    html = get(datasette, "/frontline/places_map").text
    assert "datasette-cluster-map.js" in html and "/-/static-plugins/datasette-leaflet/" in html
    assert "unpkg.com" not in html and "cdn" not in html.lower()


def test_read_only(datasette, db_path):
    import sqlite_utils

    before = sqlite_utils.Database(db_path)["articles"].count
    response = get(datasette, "/frontline.json?sql=delete+from+articles")
    assert response.status_code >= 400
    for path in ("/frontline/articles", "/frontline/-/insert", "/frontline/articles/-/insert", "/frontline/actor_articles"):
        response = asyncio.run(datasette.client.post(path, json={"row": {"title": "x"}}))
        assert (response.status_code, response.headers["allow"]) == (405, "GET, HEAD, OPTIONS"), path
    assert sqlite_utils.Database(db_path)["articles"].count == before


def test_scraped_urls_become_links_only_when_http(datasette):
    seed = article_id(datasette, "With sudden advances")
    page = get(datasette, f"/frontline/-/article/{seed}").text
    assert "file:///" in page and 'href="file:' not in page  # a seed's path is shown, not linked
    from db.reading_page import web_link

    assert web_link("https://example.org/a/") == "https://example.org/a/"
    assert [web_link(u) for u in ("javascript:alert(1)", "JAVASCRIPT:x", "data:text/html,x", "file:///etc", None)] \
        == [None] * 5


def test_serving_while_a_crawl_writes(datasette, db_path):
    """A writer commits 300 small transactions while Datasette reads: neither side sees 'database is locked'."""
    import sqlite3
    import threading
    import time

    from db.articles import record_reject
    from db.schema import open_database

    errors, done = [], threading.Event()

    def write():
        try:
            db = open_database(db_path)
            for i in range(300):
                try:
                    record_reject(db, f"file:///concurrent/{i}.txt", "concurrency test", "test", None)
                except sqlite3.OperationalError as exc:
                    errors.append(f"writer: {exc}")
            db.close()
        except Exception as exc:  # noqa: BLE001 - reported below, never a hang
            errors.append(f"writer died: {exc!r}")
        finally:
            done.set()

    async def read():
        reads, deadline = 0, time.monotonic() + 120
        while (not done.is_set() or reads < 5) and time.monotonic() < deadline:
            response = await datasette.client.get("/frontline/rejects.json?_shape=array&_size=5&reason=concurrency+test")
            if response.status_code != 200:
                errors.append(f"reader: {response.status_code} {response.text[:200]}")
            reads += 1
            await asyncio.sleep(0)
        return reads

    writer = threading.Thread(target=write)
    writer.start()
    reads = asyncio.run(read())
    writer.join()
    assert errors == []
    assert reads >= 5
    final = get(datasette, "/frontline/rejects.json?reason=concurrency+test&_size=0").json()
    assert final["filtered_table_rows_count"] == 300


def test_serving_while_a_crawler_process_writes(tmp_path):
    """A real `frontline crawl` stores 20 articles while the real `frontline serve` is read in a loop over HTTP.
    The site holds the second half until the reader has seen the first: the reader sees the crawl in progress
    whichever process runs faster."""
    import json

    from db.schema import open_database

    db_path = tmp_path / "frontline.db"
    open_database(db_path).close()
    port, log = free_port(), tmp_path / "serve.log"
    with log.open("w") as output:  # a file, not a pipe: a full pipe would stall the server
        server = subprocess.Popen([sys.executable, "-m", "crawler.cli", "serve", "--db", str(db_path), "--port", str(port)],
                                  cwd=REPO, stdout=output, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"

    def read(path):
        with urllib.request.urlopen(base + path, timeout=30) as response:
            return json.loads(response.read())

    def count():
        return read("/frontline/articles.json?_size=0")["filtered_table_rows_count"]

    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                seen = [count()]  # before the crawl starts
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, log.read_text()
                time.sleep(0.2)
        with UnreliableSite(articles=20, hold_after=10) as site:
            writer = subprocess.Popen([sys.executable, "-m", "crawler.cli", "crawl", "--db", str(db_path),
                                       site.base_url + "/", "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
                                       "-s", "FRONTLINE_ENRICH=False", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=4"],
                                      cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            reads, failures, deadline = 0, [], time.monotonic() + 240
            while time.monotonic() < deadline:
                writing = writer.poll() is None
                try:
                    seen.append(count())
                    read("/frontline/comments.json?_search=bridge&_size=5")
                    read("/frontline.json?sql=select+count(*)+from+comments")
                    reads += 3
                except (OSError, ValueError, KeyError) as error:
                    failures.append(repr(error))
                if seen[-1] == 10:
                    site.gate.release()  # the reader saw the first half: let the crawl finish
                if not writing:
                    break
            out, err = writer.communicate(timeout=60)
    finally:
        server.terminate()
        server.wait(15)
    print(f"concurrent writer: 20 articles crawled while {reads} reads ran; article counts seen {sorted(set(seen))}")
    assert writer.returncode == 0 and "imported 20" in out, err
    assert failures == []
    assert "locked" not in err.lower() and "locked" not in log.read_text().lower()
    assert seen == sorted(seen) and seen[0] == 0 and 10 in seen and seen[-1] == 20  # never a step back
