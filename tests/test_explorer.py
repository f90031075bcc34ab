"""frontline's explorer through Datasette's own ASGI client: the plugin's scope, the home page, the compact lists
with their search passages, the search page, the Atom feeds and the canned queries."""

import asyncio
import re
import sqlite3
import xml.etree.ElementTree as ET
from datetime import datetime

import pytest
import sqlite_utils
from datasette.app import Datasette
from datasette.utils import escape_fts

from db import TEMPLATES, explorer_search
from db.datasette import SETTINGS, metadata_for
from db.feeds import rfc3339
from tests.conftest import copy_database

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def db_path(tmp_path_factory, showcase_database):
    return copy_database(showcase_database, tmp_path_factory.mktemp("explorer") / "frontline.db")


@pytest.fixture(scope="module")
def other_db(tmp_path_factory):
    """Another application's database: an `articles` table without an `id`, and a table a canned query writes."""
    path = tmp_path_factory.mktemp("other") / "other.db"
    db = sqlite_utils.Database(path)
    db["articles"].insert({"title": "A plain title", "body": "Not frontline's"})
    db["notes"].insert({"text": "first"})
    db.close()
    return path


def explorer(*paths):
    """Datasette as `frontline serve` starts it (db/datasette.py), on the given files."""
    return Datasette([str(p) for p in paths], metadata=metadata_for(paths[0]), settings=SETTINGS,
                     template_dir=str(TEMPLATES))


@pytest.fixture
def datasette(db_path):
    return explorer(db_path)


def get(datasette, path):
    return asyncio.run(datasette.client.get(path))


def ids_by_title(datasette):
    rows = get(datasette, "/frontline/articles.json?_shape=array&_col=title").json()
    return {r["title"][:20]: r["id"] for r in rows}


# 1. The plugin acts only in frontline's explorer, only on frontline's databases

def test_another_datasette_in_the_same_environment_is_stock_datasette(other_db):
    metadata = {"databases": {"other": {"queries": {
        "add_note": {"sql": "insert into notes (text) values (:text)", "write": True}}}}}
    stock = Datasette([str(other_db)], metadata=metadata)
    response = get(stock, "/other/articles")
    assert response.status_code == 200, response.text[:500]
    assert "A plain title" in response.text and "/-/article/" not in response.text
    for path in ("/other/-/article/1", "/other/-/search?q=plain", "/other/-/feed.atom"):
        assert get(stock, path).status_code in (400, 404), path  # what stock Datasette answers
    response = asyncio.run(stock.client.post("/other/add_note", data={"text": "second"}))
    assert response.status_code == 302 and "read-only" not in response.text
    assert [r["text"] for r in sqlite_utils.Database(other_db)["notes"].rows] == ["first", "second"]


def test_a_database_beside_frontline_is_left_as_stock(db_path, other_db):
    both = explorer(db_path, other_db)
    page = get(both, "/other/articles")
    assert page.status_code == 200 and "A plain title" in page.text
    assert "/-/article/" not in page.text and "fl-glossary" not in page.text and "fl-list" not in page.text
    assert "fl-home" not in get(both, "/other").text
    assert get(both, "/other/-/article/1").status_code == 404
    assert get(both, "/other/-/search?q=plain").status_code == 404
    assert 'class="fl-home"' in get(both, "/frontline").text


# 2. Home

@pytest.mark.parametrize("path", ["/", "/frontline"])
def test_home_counts_search_box_newest_discussed_entities_and_runs(datasette, path):
    html = get(datasette, path).text
    assert re.search(r"<strong>3</strong> articles,\s*<strong>17</strong> comments from\s*<strong>2</strong> sources,"
                     r"\s*published 2015-06-01 to 2023-03-14", html)
    assert '<form class="fl-search" action="/frontline/-/search"' in html
    assert '<a href="/frontline/-/timeline">timeline</a>' in html
    ids = ids_by_title(datasette)
    newest = re.findall(r'<li><a href="/frontline/-/article/(\d+)">', html.split("<h2>Newest articles</h2>")[1])
    assert [int(i) for i in newest] == \
        [ids["Drone strikes test a"], ids["With sudden advances"], ids['<img src=x onerror="']]  # undated last
    discussed = html.split("<h2>Most discussed</h2>")[1].split("</section>")[0]
    assert [int(i) for i in re.findall(r'/-/article/(\d+)#comments', discussed)] == \
        [ids["With sudden advances"], ids["Drone strikes test a"], ids['<img src=x onerror="']]
    places = html.split('class="fl-top-places"')[1].split("</section>")[0]
    # "the Saltivka district" links no town: a unit the gazetteer lacks (README: Actors and places)
    assert re.findall(r'/frontline/-/entity/\d+">(\w+)</a>', places) == ["Kharkiv"]
    actors = html.split('class="fl-top-actors"')[1].split("</section>")[0]
    assert "Islamic State" not in actors  # mentioned in 2015 only: not in the 30 days to 2023-03-14
    assert '<span class="fl-health-ok">ok</span>' in html


def test_home_shows_why_a_run_was_flagged(db_path, tmp_path):
    copy = copy_database(db_path, tmp_path / "frontline.db")
    with sqlite3.connect(copy) as conn:
        conn.execute("insert into crawl_runs (spider, target, started_at, finished_at, finish_reason, flags) "
                     "values ('site', 'example', '2026-01-01T00:00:00+00:00', '2026-01-01T00:01:00+00:00', "
                     "'finished', 'error rate 40% (4 of 10 requests)')")
    html = get(explorer(copy), "/frontline").text
    runs = html.split('class="fl-runs"')[1]
    assert runs.index("fl-health-flagged") < runs.index("fl-health-ok")  # newest first
    assert '<span class="fl-health-flagged">flagged</span> <span class="fl-meta">error rate 40% (4 of 10 requests)' in runs


# 3. Lists

def test_articles_list_is_compact_with_every_column_one_click_away(datasette, db_path):
    html = get(datasette, "/frontline/articles").text
    ids = ids_by_title(datasette)
    seed = ids["With sudden advances"]
    row = html.split(f'<td class="col-title"><a href="/frontline/-/article/{seed}">')[1].split("</tr>")[0]
    assert row.startswith("With sudden advances in Aleppo")
    assert '<td class="col-source">seeds</td><td class="col-author">Thomas Joscelyn</td>' in row
    assert '<td class="col-published">2015-06-01</td>' in row
    assert f'<a href="/frontline/-/article/{seed}#comments">12</a>' in row
    article = sqlite_utils.Database(db_path)["articles"].get(seed)
    assert f'<p class="fl-snippet">{article["body"][:60]}' in row and row.count("…") == 1  # the text's start
    content_hash = article["content_hash"]
    rows = html.split('class="fl-list"')[1]
    assert content_hash not in rows and "frontline-text" not in rows and "file:///" not in rows  # hidden
    every = re.search(r'<a href="([^"]+)">show every column</a>', html).group(1).replace("&amp;", "&")
    assert "_col=body" in every and "_col=content_hash" in every
    table = get(datasette, every).text
    assert content_hash in table and 'class="col-body' in table and 'class="fl-list"' not in table
    assert get(datasette, "/frontline/articles.json?_shape=array").json()[0]["body"]  # JSON keeps every column


def test_articles_search_shows_the_matching_passage_highlighted(datasette):
    html = get(datasette, "/frontline/articles?_search=counteroffensive").text
    snippets = re.findall(r'<p class="fl-snippet">(.*?)</p>', html, re.S)
    assert len(snippets) == 1 and "<mark>counteroffensive</mark>" in snippets[0]
    hostile = get(datasette, "/frontline/articles?_search=convoys").text  # its body holds <b>aid convoys</b>
    assert "&lt;b&gt;aid <mark>convoys</mark>&lt;/b&gt;" in hostile and "<b>aid" not in hostile


def test_a_search_is_counted_from_the_index_and_its_facets_are_links(datasette, monkeypatch):
    """Datasette's own count and facets read every match (80 and 370 ms at 100,000 articles): a plain search
    leaves them out, the list counts from the full-text index and links each facet, which then works."""
    plain = get(datasette, "/frontline/articles.json?_search=the").json()
    assert plain["filtered_table_rows_count"] is None and plain["facet_results"] == {} and len(plain["rows"]) == 3
    html = get(datasette, "/frontline/articles?_search=the").text
    assert '<p class="fl-matches">3 articles match.</p>' in html
    assert 'name="_nocount"' not in html.split('<form class="filters"')[1].split("</form>")[0]  # cleared: counted
    links = dict((label, href.replace("&amp;", "&")) for href, label in re.findall(
        r'<a href="([^"]+)">(source|author|month|language|tags)</a>', html))
    assert list(links) == ["source", "author", "month", "language", "tags"]
    faceted = get(datasette, links["author"].replace("/articles?", "/articles.json?")).json()
    assert list(faceted["facet_results"]) == ["author"] and len(faceted["rows"]) == 3
    one = get(datasette, "/frontline/articles?_search=Saltivka").text
    assert '<p class="fl-matches">1 article matches.</p>' in one

    def counted(path):
        return get(datasette, path).json()["filtered_table_rows_count"]
    assert counted("/frontline/articles.json?_search=the&_nocount=") == 3  # Datasette's exact count, asked for
    filtered = get(datasette, "/frontline/articles.json?_search=the&language=en").json()  # a filter: Datasette counts
    assert filtered["filtered_table_rows_count"] == len(filtered["rows"])
    assert counted("/frontline/articles.json") == 3  # no search: counted
    monkeypatch.setattr(explorer_search, "COUNTED", 1)
    bounded = get(datasette, "/frontline/articles?_search=the").text
    assert '<p class="fl-matches">More than 1 articles match (<a href="/frontline/articles?_search=the&amp;' \
        '_nocount=">count them all</a>).</p>' in bounded


@pytest.mark.parametrize("table, index", [("articles", "idx_articles_published"),
                                          ("comments", None)])  # comments in id order: the rowids themselves
def test_a_search_reads_its_first_page_in_order_without_sorting_every_match(datasette, db_path, table, index):
    query = get(datasette, f"/frontline/{table}.json?_search=the").json()["query"]
    with sqlite3.connect(db_path) as conn:
        conn.create_function("escape_fts", 1, escape_fts)
        plan = " / ".join(row[3] for row in conn.execute(f"explain query plan {query['sql']}", query["params"]))
    assert "TEMP B-TREE" not in plan, plan
    assert (f"USING INDEX {index}" if index else "USING INTEGER PRIMARY KEY") in plan, plan


def test_column_glossary_is_folded(datasette):
    html = get(datasette, "/frontline/articles").text
    glossary = html.split('<details class="fl-glossary">')[1].split("</details>")[0]
    assert "What the 27 columns mean" in glossary and "<dt>content_hash</dt>" in glossary
    assert "<details class=\"fl-glossary\" open" not in html


def test_comments_list_by_article_and_position_linking_to_each_comment(datasette):
    html = get(datasette, "/frontline/comments").text
    links = [(int(a), int(p)) for a, p in re.findall(r'href="/frontline/-/article/(\d+)#comment-(\d+)">#\2<', html)]
    assert len(links) == 17
    assert links == sorted(links)  # article by article, each thread in page order
    seed = ids_by_title(datasette)["With sudden advances"]  # ids follow the workers' finishing order: by title
    assert [position for article, position in links if article == seed] == list(range(12))
    found = get(datasette, "/frontline/comments?_search=Khawarij").text
    assert len(re.findall(r'<span class="fl-snippet">[^<]*<mark>Khawarij</mark>', found)) == 2


# the one search box

def test_search_page_finds_articles_and_comments_with_passages(datasette):
    html = get(datasette, "/frontline/-/search?q=Assad").text
    ids = ids_by_title(datasette)
    assert "<h2>1 article</h2>" in html and "<h2>3 comments</h2>" in html
    articles = html.split('class="fl-results-articles"')[1].split("</section>")[0]
    assert f'href="/frontline/-/article/{ids["With sudden advances"]}">' in articles and "<mark>Assad</mark>" in articles
    comments = html.split('class="fl-results-comments"')[1].split("</section>")[0]
    assert len(re.findall(r'href="/frontline/-/article/\d+#comment-\d+"', comments)) == 3
    assert comments.count("<mark>Assad</mark>") >= 3
    assert 'value="Assad"' in html


def test_search_page_ranks_the_matches_stored_last_and_bounds_its_counts(datasette, monkeypatch):
    """Ranking (bm25) and counting read every match they are given: both are bounded (85 ms to rank 60,000)."""
    monkeypatch.setattr(explorer_search, "RANKED", 2)
    monkeypatch.setattr(explorer_search, "COUNTED", 2)
    html = get(datasette, "/frontline/-/search?q=the").text
    articles = html.split('class="fl-results-articles"')[1].split("</section>")[0]
    found = sorted(int(i) for i in re.findall(r'<li><a href="/frontline/-/article/(\d+)">', articles))
    assert found == sorted(ids_by_title(datasette).values())[-2:]  # "the" is in all three: the two stored last
    assert "<h2>More than 2 articles</h2>" in articles and "All of them, newest first" in articles


def test_search_page_reports_fts_syntax_it_cannot_read(datasette):
    response = get(datasette, "/frontline/-/search?q=%22Islamic+AND&_searchmode=raw")
    assert response.status_code == 200 and "Search not understood" in response.text
    assert get(datasette, "/frontline/-/search").status_code == 200


# 7. Feeds

def atom(datasette, path):
    response = get(datasette, path)
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def test_feed_of_newest_articles_is_atom(datasette):
    feed = atom(datasette, "/frontline/-/feed.atom")
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 3
    ids = ids_by_title(datasette)
    assert [e.find(f"{ATOM}link").get("href") for e in entries] == \
        [f"http://localhost/frontline/-/article/{i}" for i in sorted(ids.values(), reverse=True)]
    for element in [feed, *entries]:
        datetime.fromisoformat(element.find(f"{ATOM}updated").text)  # RFC 3339
        assert element.find(f"{ATOM}id").text and element.find(f"{ATOM}title").text
    seed = next(e for e in entries if e.find(f"{ATOM}title").text.startswith("With sudden advances"))
    assert seed.find(f"{ATOM}author/{ATOM}name").text == "Thomas Joscelyn"
    assert seed.find(f"{ATOM}published").text == "2015-06-01T00:00:00+00:00"


def test_feed_of_a_search(datasette):
    feed = atom(datasette, "/frontline/-/feed.atom?q=drone")
    titles = [e.find(f"{ATOM}title").text for e in feed.findall(f"{ATOM}entry")]
    assert titles == ["Drone strikes test air defenses around Kharkiv"]
    assert feed.find(f"{ATOM}title").text.endswith(": drone")
    assert feed.find(f"{ATOM}link[@rel='alternate']").get("href") == "http://localhost/frontline/-/search?q=drone"
    assert atom(datasette, "/frontline/-/feed.atom?q=nosuchwordanywhere").findall(f"{ATOM}entry") == []


@pytest.mark.parametrize("path, feed", [
    ("/", "/frontline/-/feed.atom"), ("/frontline", "/frontline/-/feed.atom"),
    ("/frontline/articles", "/frontline/-/feed.atom"),
    ("/frontline/articles?_search=Wagner+group", "/frontline/-/feed.atom?q=Wagner+group"),
    ("/frontline/-/search?q=drone", "/frontline/-/feed.atom?q=drone"),
])
def test_pages_with_a_feed_announce_it(datasette, path, feed):
    head = get(datasette, path).text.split("</head>")[0]
    links = re.findall(r'<link rel="alternate" type="application/atom\+xml" title="[^"]+" href="([^"]+)">', head)
    assert links == [feed]


def test_feed_times_are_rfc3339():
    assert rfc3339("2015-06-01") == "2015-06-01T00:00:00+00:00"
    assert rfc3339("2026-12-01T11:58:23+00:00") == "2026-12-01T11:58:23+00:00"
    assert rfc3339("2026-12-01T11:58:23Z") == "2026-12-01T11:58:23+00:00"
    assert [rfc3339(v) for v in ("June 2015", "", None)] == [None, None, None]


# 8. Canned queries

@pytest.mark.parametrize("query, title", [
    ("most_discussed", "Most-discussed articles"), ("actor_articles", "Articles mentioning an actor or place"),
    ("crawl_health", "Crawl health"), ("comment_thread", "The comment thread of an article, in reply order"),
    ("places_map", "Places mentioned, on a map"),
])
def test_canned_queries_are_titled_described_and_their_sql_folded(datasette, query, title):
    html = get(datasette, f"/frontline/{query}").text
    assert f"<title>{title} · frontline</title>" in html
    assert 'class="metadata-description"' in html
    assert 'id="sql-query"' not in html and "select " not in html.lower().split("</h1>")[1].split("<table")[0]
    assert 'id="sql-query">' in get(datasette, f"/frontline/{query}?_show_sql=1").text  # one click away
    assert "--" not in metadata_for("frontline.db")["databases"]["frontline"]["queries"][query]["sql"]


def test_canned_query_results_link_to_reading_and_entity_pages(datasette):
    ids = ids_by_title(datasette)
    discussed = get(datasette, "/frontline/most_discussed").text
    assert f'<a href="/frontline/-/article/{ids["With sudden advances"]}">With sudden advances' in discussed
    mentions = get(datasette, "/frontline/actor_articles?actor=ISIS").text
    assert re.search(r'<a href="/frontline/-/entity/\d+">Islamic State</a>', mentions)
    assert f'<a href="/frontline/-/article/{ids["With sudden advances"]}">With sudden advances' in mentions
    assert re.search(r'<a href="/frontline/-/entity/\d+">Islamic State</a>', get(datasette, "/frontline/top_actors").text)
    assert f'/-/article/{ids["Drone strikes test a"]}">Drone' in get(datasette, "/frontline/newest_per_source").text
    entities = get(datasette, "/frontline/entities?name=Kharkiv").text  # the table too, not only queries
    assert re.search(r'<a href="/frontline/-/entity/\d+">Kharkiv</a>', entities)
