"""The segmenter against a varied corpus of page renderings with hand-written expectations.

Each tests/fixtures/segmenter/NAME.txt has a NAME.json giving only the facts its author was sure of;
see that folder's README for the format.
"""

import json

import pytest

from crawler.extraction import decode_page, extract_page
from pipelines.normalize import normalize_extraction
from tests.conftest import FIXTURES

CORPUS = FIXTURES / "segmenter"
CASES = sorted(CORPUS.glob("*.json"))


def extracted(case):
    text_file = case.with_suffix(".txt")
    page = extract_page(decode_page(text_file.read_bytes(), name=text_file.name))
    normalize_extraction(page)
    return page, json.loads(case.read_text(encoding="utf-8"))


def test_corpus_is_varied():
    assert len(CASES) >= 12


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_metadata(case):
    page, expected = extracted(case)
    for key in ("title", "author", "published", "comments_declared", "tags"):
        if key in expected:
            assert getattr(page, key) == expected[key], key


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_body(case):
    page, expected = extracted(case)
    paragraphs = page.body.split("\n\n") if page.body else []
    if "body_paragraphs" in expected:
        assert len(paragraphs) == expected["body_paragraphs"], paragraphs
    for phrase in expected.get("body_contains", []):
        assert phrase in page.body, phrase
    for phrase in expected.get("body_excludes", []):
        assert phrase not in page.body, phrase


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_comments(case):
    page, expected = extracted(case)
    if "comment_authors" in expected:
        assert [c.author for c in page.comments] == expected["comment_authors"]
    if "comment_posted" in expected:
        assert [c.posted for c in page.comments] == expected["comment_posted"]
    if "comment_reply_to" in expected:
        assert [c.reply_to for c in page.comments] == expected["comment_reply_to"]
    for comment, start in zip(page.comments, expected.get("comment_text_starts", [])):
        assert comment.text.startswith(start), (comment.author, comment.text[:80])
    # every comment of a plain-text rendering says the segmenter read it, never NULL
    assert {c.structure for c in page.comments} <= {"text"}
    assert page.comment_path == ("text" if page.comments else "none")


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_boilerplate_kinds(case):
    page, expected = extracted(case)
    kinds = {b.kind for b in page.boilerplate}
    assert set(expected.get("boilerplate_kinds", [])) <= kinds, [(b.kind, b.text) for b in page.boilerplate]
