"""The seed that started the project: every expectation of the foundation issue, point by point."""

import json

import pytest

from crawler.extraction import decode_page, extract_page
from pipelines.normalize import normalize_extraction
from tests.conftest import SEED

AUTHORS = ["Telh", "Hispanic", "Oberron", "idi", "snackbar", "mike merlo", "mike merlo", "C-Low",
           "cessch", "cessch", "James", "mike merlo"]
MENU = ["Iraq", "Islamic state", "Syria", "Aqap", "Al shabaab", "Boko Haram", "Isis"]


@pytest.fixture(scope="module")
def seed():
    page = extract_page(decode_page(SEED.read_bytes(), name=SEED.name))
    normalize_extraction(page)
    return page


def test_title(seed):
    assert seed.title == "With sudden advances in Aleppo, Islamic State provokes counteroffensive"


def test_author_comes_from_the_bio_line(seed):
    assert seed.author == "Thomas Joscelyn"
    bios = [b.text for b in seed.boilerplate if b.kind == "author_bio"]
    assert bios == ["Thomas Joscelyn is a Senior Fellow at the Foundation for Defense of Democracies and "
                    "the Senior Editor for FDD's Long War Journal."]


def test_date_inferred_from_screenshots_with_provenance(seed):
    assert seed.published == "2015-06-01"
    assert seed.date_source == "image_filename"


def test_body_is_article_paragraphs_only(seed):
    paragraphs = seed.body.split("\n\n")
    assert len(paragraphs) == 13
    assert paragraphs[0].startswith("The Islamic State has launched yet another new offensive in Syria")
    assert paragraphs[-1].endswith("the Islamic State has disrupted the insurgency’s plans.")
    for leak in ["Screen Shot", "Senior Fellow", "Tags:", "12 Comments", "says:", "Well, on the positive side",
                 "Images posted by the Al Nusrah Front", "\n\nIraq", "Boko Haram"]:
        assert leak not in seed.body, leak


def test_twelve_comments_in_page_order(seed):
    assert seed.comments_declared == 12
    assert [c.author for c in seed.comments] == AUTHORS
    assert seed.comments[0].text.startswith("Well, on the positive side infighting among Islamists")
    assert seed.comments[-1].text == "@ cssech\n\nNo. What’s “silly” is one’s inability to stay on ‘subject.’"
    assert all(c.posted is None for c in seed.comments)  # the rendering shows no comment dates


def test_multi_paragraph_comments_kept_whole(seed):
    oberron, james = seed.comments[2], seed.comments[10]
    assert oberron.text.split("\n\n") == [
        oberron.text.split("\n\n")[0], "Is ISF, Peshmerga, and SAA ammo bookkeeping that bad? All their "
        "soldiers say they lack ammo, but its so prevalent in cap…", "My brain hurts."]
    assert len(james.text.split("\n\n")) == 5
    assert james.text.endswith("to become a proxy force for the scarecrow army of A$$ad?")


def test_replies_linked_by_mention_including_misspelling(seed):
    replies = {i: (c.reply_to, c.reply_by) for i, c in enumerate(seed.comments) if c.reply_to is not None}
    assert replies == {
        5: (3, "mention"),  # "@ idi" -> idi
        10: (1, "mention"),  # "@Hispanic" -> Hispanic
        11: (9, "mention"),  # "@ cssech" -> cessch, the latest one before the reply
    }


def test_trailing_menu_is_boilerplate_not_body_or_tags(seed):
    assert [b.text for b in seed.boilerplate if b.kind == "menu"] == MENU
    assert seed.tags == []  # "Tags: , , , ," lists no tag names


def test_boilerplate_classified(seed):
    kinds = [b.kind for b in seed.boilerplate]
    assert kinds.count("image") == 6
    assert kinds.count("caption") == 1
    assert kinds.count("tags") == 1
    assert kinds.count("comment_header") == 1


def test_extract_cli_prints_the_contract(run_frontline, seed_path, seed):
    result = run_frontline("extract", seed_path)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert list(document) == ["title", "author", "authors", "published", "body", "tags", "categories",
                              "comments_declared", "comment_path", "comments", "boilerplate"]
    assert document == seed.to_json()
    assert list(document["comments"][0]) == ["author", "author_url", "posted", "posted_text", "text", "reply_to",
                                             "structure"]
    assert document["comments"][11]["reply_to"] == 9
