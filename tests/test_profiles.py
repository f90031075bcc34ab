"""Each shipped site profile against a saved page in that site's markup (tests/fixtures/profile_pages/)."""

import re

import pytest

from crawler.extraction.html import extract_html
from crawler.extraction.html_comments import parse_html_comments
from crawler.sites import load_profile, profile_names
from tests.conftest import FIXTURES

PAGES = FIXTURES / "profile_pages"
EXPECTED = {
    "lwj": {
        "title": "Al Nusrah Front fighters regroup in Idlib", "author": "Bill Roggio", "published": "2016-02-11",
        "tags": ["Al Nusrah Front", "Idlib", "Syria"], "paragraphs": 4, "comments_declared": 3,
        "comments": [("Arjun", "2016-02-11T15:20:00", None), ("Kay", "2016-02-11T16:02:00", 0),
                     ("Old Soldier", "2016-02-12T08:45:00", None)],
        "media": [("A convoy of trucks released by the group.", "Twitter")],
        "excludes": ["Share this", "Senior Fellow", "Leave a Reply", "Islamic State claims attack"],
        "not_articles": ["https://www.longwarjournal.org/tags/syria", "https://www.longwarjournal.org/multimedia/",
                         "https://www.longwarjournal.org/archives/2016/02/x.php/comment-page-2"],
    },
    "isw": {
        "title": "Russian Offensive Campaign Assessment, March 14, 2023", "author": "Riley Bailey",
        "published": "2023-03-14", "tags": [], "paragraphs": 4, "comments": [],
        "excludes": ["Related Publications", "March 13, 2023", "Support ISW"],
        "not_articles": ["https://www.understandingwar.org/publications",
                         "https://www.understandingwar.org/project/ukraine-project"],
    },
    "warontherocks": {
        "title": "What the Kharkiv Counteroffensive Teaches", "author": "Dara Massicot", "published": "2022-09-20",
        "tags": ["Russia", "Ukraine"], "paragraphs": 3, "comments": [], "bio": "Dara Massicot is a senior policy",
        "excludes": ["September 20, 2022", "Subscribe to our newsletter", "You might also like", "senior policy researcher"],
        "not_articles": ["https://warontherocks.com/articles/", "https://warontherocks.com/page/2/",
                         "https://warontherocks.com/2022/09/what-the-kharkiv-counteroffensive-teaches/amp/"],
    },
    "bellingcat": {
        "title": "Tracing the Drone Strikes on Sanaa Airport", "author": "Nick Waters", "published": "2023-06-05",
        "tags": ["Yemen", "Drones", "Geolocation"], "paragraphs": 3, "comments": [],
        "media": [("Crater near the main runway", "Planet Labs")],
        "excludes": ["senior investigator", "Related Articles", "Another investigation", "Crater near"],
        "not_articles": ["https://www.bellingcat.com/category/news/", "https://www.bellingcat.com/category/news/page/2/"],
    },
}


def load(name):
    html = (PAGES / f"{name}.html").read_text(encoding="utf-8")
    return html, re.search(r"<!-- url: (\S+) -->", html).group(1)


def test_every_profile_has_a_saved_page():
    assert sorted(EXPECTED) == profile_names()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_profile_recognises_articles_and_listings(name):
    profile, (_, url) = load_profile(name), load(name)
    assert profile.is_article_url(url)
    for other in EXPECTED[name]["not_articles"]:
        assert not profile.is_article_url(other), other


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_saved_page_extracts(name):
    html, url = load(name)
    expected = EXPECTED[name]
    page = extract_html(html, url, load_profile(name).comments)
    assert (page.title, page.author, page.published, page.tags) == \
        (expected["title"], expected["author"], expected["published"], expected["tags"])
    assert len(page.body.split("\n\n")) == expected["paragraphs"]
    for phrase in expected["excludes"]:
        assert phrase in html and phrase not in page.body, phrase  # on the page, kept out of the body
    assert [(c.author, c.posted, c.reply_to) for c in page.comments] == expected["comments"]
    assert page.comments_declared == expected.get("comments_declared")
    assert [(m.caption, m.credit) for m in page.media] == expected.get("media", [])
    if "bio" in expected:
        assert [b.text for b in page.boilerplate if b.kind == "author_bio"][0].startswith(expected["bio"])


def test_profile_comment_selectors_agree_with_the_generic_parser():
    html, _ = load("lwj")
    generic = [(c.author, c.posted, c.text) for c in parse_html_comments(html)[0]]
    by_profile = [(c.author, c.posted, c.text) for c in parse_html_comments(html, load_profile("lwj").comments)[0]]
    assert by_profile == generic and len(generic) == 3
    assert generic[1][2] == "Working for whom? The civilians in the countryside are paying for it.\n\nAnd Nusrah will be back."
