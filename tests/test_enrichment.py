"""Enrichment on real gazetteer data: actors and places under canonical names, ambiguity, storage."""

from collections import Counter

import pytest
import sqlite_utils

from crawler.enrichment.enrich import enrich
from crawler.enrichment.gazetteer import load_gazetteer
from crawler.enrichment.matcher import EntityMatcher
from crawler.extraction import decode_page, extract_page
from tests.conftest import FIXTURES, SEED, frontline

CASES = FIXTURES / "enrichment"


@pytest.fixture(scope="module")
def matcher():
    return EntityMatcher(load_gazetteer())


def mentions(matcher, text):
    found = Counter()
    for mention in matcher.mentions(text):
        found[(mention.entity.name, mention.entity.kind, mention.entity.country_code)] += 1
    return found


def test_is_only_as_a_capitalised_standalone_token(matcher):
    text = (CASES / "is-ambiguity.txt").read_text(encoding="utf-8")
    surfaces = [(m.surface, m.entity.name) for m in matcher.mentions(text) if m.entity.kind == "armed_group"]
    assert surfaces == [("IS", "Islamic State"), ("IS", "Islamic State"), ("ISIS", "Islamic State"),
                        ("Daesh", "Islamic State")]  # never "is", "Is", or the shouted "IT IS UNCLEAR"


def test_georgia_the_country_in_a_caucasus_article(matcher):
    found = mentions(matcher, (CASES / "caucasus.txt").read_text(encoding="utf-8"))
    georgia = {key: n for key, n in found.items() if key[0] == "Georgia"}
    assert georgia == {("Georgia", "place", "GE"): 2}


def test_georgia_the_us_state_in_an_american_article(matcher):
    found = mentions(matcher, (CASES / "us-georgia.txt").read_text(encoding="utf-8"))
    georgia = {key: n for key, n in found.items() if key[0] == "Georgia"}
    assert georgia == {("Georgia", "place", "US"): 2}


def test_places_carry_coordinates(matcher):
    for mention in matcher.mentions("Fighting in Aleppo, Idlib and Sarwan; talks in Damascus."):
        entity = mention.entity
        assert entity.kind == "place" and entity.latitude is not None and entity.longitude is not None, entity
    damascus = next(m.entity for m in matcher.mentions("Talks in Damascus, Syria.") if m.surface == "Damascus")
    assert damascus.country_code == "SY" and 33 < damascus.latitude < 34


def test_matching_is_linear_single_pass_and_word_bounded(matcher):
    assert [m.surface for m in matcher.mentions("Aleppos Syriana ISISx")] == []
    assert [m.surface for m in matcher.mentions("Baghdadi’s men")] == ["Baghdadi"]


def test_comment_languages_and_reply_links():
    page = extract_page(decode_page(SEED.read_bytes(), name=SEED.name))
    enrichment = enrich(EntityMatcher(load_gazetteer()), page.title, page.body, page.comments)
    languages = [c.language for c in page.comments]
    assert languages[4] is None  # "“anti Assad rebels”= al qaeda? congratulation": too unsure to say
    assert languages[:4] + languages[5:] == ["en"] * 11
    short = extract_page(decode_page("Title here\n\nA body paragraph that is long enough to be prose, with several words.\n\n"
                                     "2 Comments\n\nann says:\n\nlol\n\nbob says:\n\nok then".encode(), name="x.txt"))
    enrich(EntityMatcher(load_gazetteer()), short.title, short.body, short.comments)
    assert [c.language for c in short.comments] == [None, None]  # too short to tell
    assert [(i, c.reply_to) for i, c in enumerate(page.comments) if c.reply_to is not None] == [(5, 3), (10, 1), (11, 9)]
    assert len(enrichment.comment_mentions) == 12
