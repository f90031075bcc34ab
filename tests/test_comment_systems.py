"""Each comment system of the registry (crawler/extraction/data/comment_systems.toml) on a small page written
for it: tests/fixtures/comment_systems/NAME.html holds the page, NAME.json the comments it must give (author,
text, parent; posted and author_url where the page shows them) and the structure that must read them."""

import json
from pathlib import Path

import pytest

from crawler.extraction.html import extract_html
from crawler.extraction.html_comments import COMMENT_SYSTEMS

FIXTURES = Path(__file__).parent / "fixtures" / "comment_systems"
PAGES = sorted(p.stem for p in FIXTURES.glob("*.html"))


@pytest.mark.parametrize("name", PAGES)
def test_comment_system_page(name):
    expected = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    page = extract_html((FIXTURES / f"{name}.html").read_text(encoding="utf-8"), f"https://example.org/{name}/")
    found = [{key: getattr(c, key) for key in want} for c, want in zip(page.comments, expected["comments"])]
    assert found == expected["comments"] and len(page.comments) == len(expected["comments"])
    assert {c.structure for c in page.comments} == {expected["structure"]} == {page.comment_path}
    for comment in expected["comments"]:
        assert comment["text"] not in page.body


def test_every_registered_system_has_a_page():
    tested = {json.loads((FIXTURES / f"{name}.json").read_text())["structure"] for name in PAGES}
    assert {system.name for system in COMMENT_SYSTEMS} <= tested
