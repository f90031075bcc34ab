"""Titles without the site name, authors as names, tags apart from categories, and the body's full-path check."""

import json

import sqlite_utils

from crawler.extraction.html import extract_html, prose_words, suspect_body
from crawler.extraction.html_comments import parse_markup
from crawler.extraction.metadata import author_names, site_names, strip_site_name
from tests.conftest import FIXTURES, frontline

PAGES = FIXTURES / "metadata"
WORDPRESS_POST = PAGES / "wordpress-post.html"
MENU_IN_ARTICLE = PAGES / "menu-in-article.html"


def test_wordpress_post_metadata_through_the_cli():
    result = frontline("extract", WORDPRESS_POST)
    page = json.loads(result.stdout)
    assert page["title"] == "Ceasefire Talks Stall Over Prisoner Lists"  # "| Dispatches from the Steppe" is og:site_name
    assert page["authors"] == ["Ivana Petrovic", "Marko Lind"]  # "View all posts by" gone, the co-author kept
    assert page["author"] == "Ivana Petrovic; Marko Lind"
    # <body class="has-sidebar"> does not hide the post's tags; the sidebar's tag cloud ("artillery") is not one
    assert page["tags"] == ["prisoners", "ceasefire"]
    assert page["categories"] == ["Uncategorized", "Diplomacy"]  # rel="category tag": a category, not a tag
    assert "Posted by" not in page["body"] and page["body"].startswith("Negotiators from both sides")


def test_authors_and_categories_are_stored(db_path):
    assert frontline("import", "--db", db_path, WORDPRESS_POST).returncode == 0
    article = next(sqlite_utils.Database(db_path)["articles"].rows)
    assert article["author"] == "Ivana Petrovic; Marko Lind"
    assert json.loads(article["authors"]) == ["Ivana Petrovic", "Marko Lind"]
    assert json.loads(article["categories"]) == ["Uncategorized", "Diplomacy"]
    assert json.loads(article["tags"]) == ["prisoners", "ceasefire"]


def test_the_site_name_goes_whichever_side_it_sits():
    names = ["Dispatches from the Steppe"]
    assert strip_site_name("Talks Stall | Dispatches from the Steppe", names) == "Talks Stall"
    assert strip_site_name("Talks Stall - Dispatches From The Steppe", names) == "Talks Stall"
    assert strip_site_name("Dispatches from the Steppe: Talks Stall", names) == "Talks Stall"
    assert strip_site_name("Dispatches from the Steppe » Talks Stall", names) == "Talks Stall"
    # a hyphen inside a word is no separator, and a title that is only the site name stays
    assert strip_site_name("Pro-Steppe Dispatches", ["Steppe Dispatches"]) == "Pro-Steppe Dispatches"
    assert strip_site_name("Dispatches from the Steppe", names) == "Dispatches from the Steppe"


def test_site_names_from_application_name_and_json_ld_publisher():
    html = """<html><head><title>Harbour Watch: Tankers wait off the coast</title>
    <meta name="application-name" content="Harbour Watch">
    <script type="application/ld+json">{"@context": "https://schema.org", "@graph": [{"@type": "NewsArticle",
      "headline": "Tankers wait off the coast", "publisher": {"@type": "Organization", "name": "Harbour Watch Media"}}]}
    </script></head><body><h3>Tankers wait off the coast</h3><p>Eleven tankers have waited off the coast for a week,
    their captains unwilling to enter a port that was hit twice last month, shipping agents said on Friday.</p>
    <p>Insurers have raised their premiums for the route again, and two of the ships have already turned back.</p>
    </body></html>"""
    assert site_names(parse_markup(html), None) == ["Harbour Watch Media", "Harbour Watch"]
    assert strip_site_name("Harbour Watch: Tankers wait off the coast", ["Harbour Watch"]) == \
        "Tankers wait off the coast"
    assert extract_html(html).title == "Tankers wait off the coast"


def test_authors_are_names():
    assert author_names("View all posts by Ivana Petrovic") == ["Ivana Petrovic"]
    assert author_names("Posted by Marko Lind on May 2, 2024") == ["Marko Lind"]
    assert author_names("Ivana Petrovic | May 2, 2024") == ["Ivana Petrovic"]
    assert author_names("By Ivana Petrovic and Marko Lind") == ["Ivana Petrovic", "Marko Lind"]
    assert author_names("Ivana Petrovic ivana@example.org") == ["Ivana Petrovic"]
    assert author_names("desk@example.org") == []
    assert author_names("Ivana", "Ivana Petrovic") == ["Ivana Petrovic"]  # one author, in her fullest form


def test_the_full_path_replaces_a_fast_body_of_menu_lines():
    page = extract_html(MENU_IN_ARTICLE.read_text())
    assert page.body.startswith("The river crossing near the old sugar factory")
    assert "Casualty tracker" not in page.body


def test_a_body_of_prose_is_not_suspect_and_menu_lines_are():
    html = WORDPRESS_POST.read_text()
    body = extract_html(html).body
    assert prose_words(body) > 0 and not suspect_body(body, parse_markup(html))
    assert suspect_body("Front page\nEastern front\nMaps and charts", parse_markup(html))


def test_a_caption_split_by_an_html_comment_reads_as_printed():
    """React pages print "Photo<!-- -->: Name". The page is read from trafilatura's one parse, without HTML
    comments, so the caption is the browser's "Photo: Name", not "Photo : Name"."""
    html = ("<html><body><article><p>" + "Grain ships left the port under escort this week. " * 12 + "</p>"
            "<figure><img src='/grain.jpg'><figcaption>Grain at the port. Photo<!-- -->: Ana Diaz</figcaption>"
            "</figure></article></body></html>")
    media = extract_html(html, "https://example.org/grain/").media
    assert [(m.src, m.caption, m.credit, m.figcaption) for m in media] == [
        ("https://example.org/grain.jpg", "Grain at the port.", "Ana Diaz", "Grain at the port. Photo: Ana Diaz")]
