"""The reading page's reply tree, entity pages, timelines and the map's pop-ups, through Datasette's ASGI client."""

import asyncio
import json
import re

import lxml.html
import pytest
import sqlite_utils
from datasette.app import Datasette

from db import TEMPLATES
from db.charts import chart, months_between
from db.datasette import SETTINGS, metadata_for
from db.reading_page import reply_tree
from tests.conftest import copy_database

NESTED_TITLE = "Checkpoints close the road between Mosul and Erbil"


@pytest.fixture(scope="module")
def db_path(tmp_path_factory, threaded_database):
    return copy_database(threaded_database, tmp_path_factory.mktemp("explorer") / "frontline.db")


@pytest.fixture(scope="module")
def datasette(db_path):
    return Datasette([str(db_path)], metadata=metadata_for(db_path), settings=SETTINGS, template_dir=str(TEMPLATES))


def get(datasette, path):
    return asyncio.run(datasette.client.get(path))


def page(datasette, path):
    response = get(datasette, path)
    assert response.status_code == 200, (path, response.text[:500])
    return lxml.html.fromstring(response.text)


def row_id(db_path, table, **where):
    column, value = next(iter(where.items()))
    return sqlite_utils.Database(db_path).execute(f"select id from {table} where {column} = ?", [value]).fetchone()[0]


def nested_article(datasette, db_path):
    return page(datasette, f"/frontline/-/article/{row_id(db_path, 'articles', title=NESTED_TITLE)}")


def test_a_reply_sits_inside_the_comment_it_answers(datasette, db_path):
    html = nested_article(datasette, db_path)
    comments = html.xpath("//div[@class='fl-comment']")
    assert [c.get("id") for c in comments] == [f"comment-{n}" for n in range(8)]  # each once, in page order
    ancestors = html.xpath("//div[@id='comment-3']/ancestor::div[@class='fl-comment']/@id")
    assert ancestors == ["comment-0", "comment-1", "comment-2"]  # Dev answers Cara, who answers Ben, who answers Ana
    assert html.xpath("//div[@id='comment-7']/ancestor::div[@class='fl-comment']/@id") == ["comment-6"]
    assert [c.get("data-depth") for c in comments] == ["0", "1", "2", "3", "1", "1", "0", "1"]
    assert [a.text for a in html.xpath("//a[@class='fl-permalink']")] == [f"#{n}" for n in range(8)]
    assert [a.get("href") for a in html.xpath("//a[@class='fl-permalink']")] == [f"#comment-{n}" for n in range(8)]


def test_each_reply_says_how_its_link_was_found_and_how_it_was_read(datasette, db_path):
    html = nested_article(datasette, db_path)
    meta = {c.get("id"): c.xpath("string(p[@class='fl-meta'])") for c in html.xpath("//div[@class='fl-comment']")}
    assert "in reply to #2" in meta["comment-3"] and "found by the page's nesting" in meta["comment-3"]
    assert "in reply to #6" in meta["comment-7"] and "found by an @name mention" in meta["comment-7"]
    assert "in reply to" not in meta["comment-0"]
    assert all("read as wordpress" in text for text in meta.values())


def test_long_threads_fold_and_short_ones_stay_open(datasette, db_path):
    html = nested_article(datasette, db_path)
    first, second = (html.xpath(f"//div[@id='comment-{n}']/details")[0] for n in (0, 6))
    assert first.xpath("string(summary)") == "5 replies" and first.get("open") is None
    assert second.xpath("string(summary)") == "1 reply" and second.get("open") is not None


def test_reply_tree_shows_every_comment_once_whatever_the_links():
    comments = [{"id": 1, "parent_id": 3}, {"id": 2, "parent_id": 1}, {"id": 3, "parent_id": 2},  # a loop
                {"id": 4, "parent_id": 4}, {"id": 5, "parent_id": 99}, {"id": 6, "parent_id": 5}]
    roots = reply_tree(comments)

    def walk(nodes):
        return [(n["id"], walk(n["children"])) for n in nodes]

    assert walk(roots) == [(1, [(2, [(3, [])])]), (4, []), (5, [(6, [])])]
    assert [c["replies"] for c in comments] == [2, 1, 0, 0, 1, 0]


def test_a_long_exchange_indents_at_most_six_levels_and_shows_every_comment_once():
    chain = [{"id": n, "parent_id": n - 1 if n else None} for n in range(3000)]  # each answers the one before
    (root,) = reply_tree(chain)
    levels, node = [], root
    while node["children"]:
        levels.append(len(node["children"]))
        node = node["children"][0]
    assert levels == [1, 1, 1, 1, 1, 3000 - 6]  # the sixth level holds the rest of the exchange, in page order
    assert [c["id"] for c in node["parent"]["children"]] == list(range(6, 3000))
    assert all(c["parent"]["id"] == c["id"] - 1 for c in chain[1:])  # each still knows whom it answers
    assert root["replies"] == 2999


def test_original_link_provenance_and_earlier_versions(datasette, db_path, tmp_path):
    article = row_id(db_path, "articles", title=NESTED_TITLE)
    html = nested_article(datasette, db_path)
    shown = [s.text for s in html.xpath("//*[@class='fl-provenance']")]
    assert shown[0] == "arrived via: file" and shown[1].startswith("origin path: ") and len(shown) == 2  # no offset
    assert "read 20" in html.xpath("string(//p[@class='fl-origin'])")  # fetched_at
    versions = html.xpath("//p[@class='fl-versions']/a")
    assert [a.text for a in versions] == ["version 1"]
    old = get(datasette, versions[0].get("href"))
    assert old.status_code == 200 and "all of Tuesday" in old.text

    copy = copy_database(db_path, tmp_path / "frontline.db")
    db = sqlite_utils.Database(copy)
    for column, value in (("arrived_via", "warc"), ("origin_path", "crawl-7.warc.gz"), ("origin_offset", 1042)):
        db.execute(f"update articles set {column} = ? where id = ?", [value, article])
    db.conn.commit()
    served = Datasette([str(copy)], metadata=metadata_for(copy), settings=SETTINGS, template_dir=str(TEMPLATES))
    html = page(served, f"/frontline/-/article/{article}")
    assert [s.text for s in html.xpath("//*[@class='fl-provenance']")] == \
        ["arrived via: warc", "origin path: crawl-7.warc.gz", "origin offset: 1042"]
    assert html.xpath("//p[@class='fl-origin']/a/@href") == ["https://fixture-journal.example/2024/05/01/mosul-erbil-road/"]


def test_entities_are_chips_linking_to_their_pages(datasette, db_path):
    seed = row_id(db_path, "articles", author="Thomas Joscelyn")
    html = page(datasette, f"/frontline/-/article/{seed}")
    chips = {a.xpath("string(text())").strip(): a.get("href") for a in html.xpath("//a[@class='fl-chip']")}
    assert chips["Islamic State"] == f"/frontline/-/entity/{row_id(db_path, 'entities', name='Islamic State')}"
    assert get(datasette, chips["Aleppo"]).status_code == 200


def test_entity_page_of_an_actor(datasette, db_path):
    entity = row_id(db_path, "entities", name="Islamic State")
    html = page(datasette, f"/frontline/-/entity/{entity}")
    assert html.xpath("string(//h1)") == "Islamic State"
    assert html.xpath("string(//p[@class='fl-kind']/a)") == "armed group"
    assert "ISIS" in html.xpath("string(//p[@class='fl-aliases'])")
    bars = [t.text for t in html.xpath("//figure[@class='fl-chart']//rect/title")]
    assert bars == ["2015-06 · in articles: 19", "2015-06 · in comments: 9"]  # seed comments undated: the article's month
    assert html.xpath("//figure[@class='fl-chart']/svg/@aria-label") == ["Mentions of Islamic State per month"]
    seed = row_id(db_path, "articles", author="Thomas Joscelyn")
    assert html.xpath("//ol[@class='fl-top-articles']/li/a/@href") == [f"/frontline/-/article/{seed}"]
    companions = {a.xpath("string(text())").strip(): a.get("href") for a in html.xpath("//p[@class='fl-companions']/a")}
    assert companions["Aleppo"] == f"/frontline/-/entity/{row_id(db_path, 'entities', name='Aleppo')}"
    assert "Islamic State" not in companions
    assert html.xpath("//div[@id='fl-entity-map']") == []  # an actor has no map
    assert "9 mentions in 4 comments" in html.text_content()


def test_entity_page_of_a_place_mentioned_only_in_comments_has_its_map(datasette, db_path):
    html = page(datasette, f"/frontline/-/entity/{row_id(db_path, 'entities', name='Kirkuk')}")
    assert [t.text for t in html.xpath("//rect/title")] == ["2024-06 · in comments: 1"]
    assert "No article mentions it." in html.text_content()
    (element,) = html.xpath("//div[@id='fl-entity-map']")
    assert (float(element.get("data-latitude")), float(element.get("data-longitude"))) != (0, 0)
    imports = re.findall(r'import .* from "([^"]+)"', " ".join(html.xpath("//script/text()")))
    assert imports == ["/-/static-plugins/datasette-leaflet/leaflet-v1.7.1.js"]  # the bundled Leaflet, a module
    assets = html.xpath("//script/@src") + html.xpath("//link[@rel='stylesheet']/@href")
    assert "/-/static-plugins/datasette-leaflet/leaflet-v1.7.1.css" in assets
    assert not [src for src in assets if src.startswith(("http:", "https:", "//"))]  # nothing from a CDN


@pytest.mark.parametrize("entity", ["0", "-1", "abc", str(2**63), "99999"])
def test_entity_page_of_an_unknown_id_is_not_found(datasette, entity):
    assert get(datasette, f"/frontline/-/entity/{entity}").status_code == 404
    assert get(datasette, "/nowhere/-/entity/1").status_code == 404


def test_timeline_of_sources_and_chosen_actors(datasette):
    html = page(datasette, "/frontline/-/timeline?actor=ISIS&actor=peshmerga&actor=Nobody+at+all")
    sources, actors = html.xpath("//figure[@class='fl-chart']")
    bars = [t.text for t in sources.xpath(".//rect/title")]
    assert bars == ["2015-06 · seeds: 1", "2023-03 · fixture-journal.example: 1",
                    "2024-05 · fixture-journal.example: 1"]  # saved pages are filed under the site they name
    assert len(sources.xpath(".//text[@class='fl-tick']")) >= 3
    assert [li.text_content() for li in actors.xpath(".//ul/li")] == ["Islamic State", "Peshmerga"]
    assert len(actors.xpath(".//polyline")) == 2
    points = [t.text for t in actors.xpath(".//circle/title")]
    assert points == ["2015-06 · Islamic State: 19", "2024-05 · Peshmerga: 1"]
    assert "No actor or place is called Nobody at all." in html.text_content()
    assert html.xpath("//form[@class='fl-actors']/input[@type='hidden']/@value") == ["ISIS", "peshmerga", "Nobody at all"]


def test_timeline_without_actors_shows_those_mentioned_most(datasette):
    html = page(datasette, "/frontline/-/timeline")
    names = [a.text for a in html.xpath("//p[@class='fl-showing']/a[contains(@href, '/-/entity/')]")]
    assert len(names) == 5 and names[0] == "Islamic State"
    assert "Mosul" not in names  # places are not actors


def test_map_popups_link_to_entity_pages_and_count_comment_mentions(datasette):
    rows = {r["name"]: r for r in get(datasette, "/frontline/places_map.json?_shape=array").json()}
    kirkuk = rows["Kirkuk"]  # mentioned only in a comment
    assert (kirkuk["mentions"], kirkuk["articles"], kirkuk["comment_mentions"]) == (0, 0, 1)
    assert (rows["Aleppo"]["mentions"], rows["Aleppo"]["comment_mentions"]) == (5, 0)
    popup = json.loads(kirkuk["popup"])
    assert popup == {"title": "Kirkuk", "link": f"-/entity/{kirkuk['id']}",
                     "description": "mentioned 0 times in 0 articles, 1 times in comments"}
    # the link is relative to the map's own address, /frontline/places_map, whatever the database is called
    html = page(datasette, "/frontline/" + popup["link"])
    assert html.xpath("string(//h1)") == "Kirkuk"


def test_months_between_keeps_empty_months_and_charts_escape_names():
    assert months_between("2022-11", "2024-02")[:4] == ["2022-11", "2022-12", "2023-01", "2023-02"]
    assert months_between("2024-02", "2024-02") == [f"2023-{m:02d}" for m in range(3, 13)] + ["2024-01", "2024-02"]
    assert len(months_between("1900-01", "2024-12")) == 240  # a stray date cannot squeeze the chart flat
    svg = str(chart({"<script>x</script>": {"2024-01": 2}, "b": {"2024-03": 1}}, "a <b> chart"))
    assert "<script>" not in svg and "&lt;script&gt;x&lt;/script&gt;" in svg and 'aria-label="a &lt;b&gt; chart"' in svg
    heights = [float(h) for h in re.findall(r'<rect[^>]* height="([\d.]+)"', svg)]
    assert heights[0] == pytest.approx(2 * heights[1])  # bars share one scale
    assert chart({}, "nothing") is None


def test_pages_of_a_database_frontline_did_not_make_are_not_found(db_path, tmp_path):
    other = tmp_path / "other.db"
    sqlite_utils.Database(other)["articles"].insert({"title": "not ours"})  # an articles table without id
    served = Datasette([str(db_path), str(other)], metadata=metadata_for(db_path), settings=SETTINGS,
                       template_dir=str(TEMPLATES))
    for path in ("/other/-/article/1", "/other/-/entity/1", "/other/-/timeline"):
        assert get(served, path).status_code == 404, path
    assert get(served, "/frontline/-/timeline").status_code == 200
