"""Enrichment on real gazetteer data: actors and places under canonical names, ambiguity, storage."""

from collections import Counter

import pytest
import sqlite_utils

from crawler.enrichment.enrich import enrich
from crawler.enrichment.matcher import load_matcher
from crawler.extraction import decode_page, extract_page
from tests.conftest import FIXTURES, SEED, copy_database, frontline

CASES = FIXTURES / "enrichment"


@pytest.fixture(scope="module")
def matcher():
    return load_matcher()


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
    enrichment = enrich(load_matcher(), page.title, page.body, page.comments)
    assert [c.language for c in page.comments] == ["en"] * 12
    short = extract_page(decode_page("Title here\n\nA body paragraph that is long enough to be prose, with several words.\n\n"
                                     "2 Comments\n\nann says:\n\nlol\n\nbob says:\n\nok then".encode(), name="x.txt"))
    enrich(load_matcher(), short.title, short.body, short.comments)
    assert [c.language for c in short.comments] == [None, None]  # too short to tell
    assert [(i, c.reply_to) for i, c in enumerate(page.comments) if c.reply_to is not None] == [(5, 3), (10, 1), (11, 9)]
    assert len(enrichment.comment_mentions) == 12


def test_comment_languages_other_than_english():
    import json

    from crawler.enrichment.language import detect_language

    rows = [json.loads(line) for line in (FIXTURES / "languages" / "comments.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [detect_language(row["text"]) for row in rows] == [row["language"] for row in rows]
    assert detect_language("שלום לכולם, זה מאמר מעניין מאוד על המצב בעזה") == "he"  # CLD2 says "iw"
    assert detect_language("ok ok ok") is None and detect_language("Broken \udc80 text from a page") is None


SEED_ARTICLE = {  # title + body; checked against the text by hand (e.g. 17 "Islamic State" + 2 "caliphate")
    "Abu Bakr al Baghdadi": 3, "Abu Muhammad al Maqdisi": 4, "Ahrar al Sham": 3, "Al Nusrah Front": 3,
    "Al Qaeda": 3, "Aleppo": 5, "Aleppo Governorate": 3, "Assad regime": 2, "Bashar al Assad": 2, "Damascus": 1,
    "Eastern Ghouta": 2, "Idlib": 1, "Islamic State": 19, "Jaysh al Fateh": 2, "Jaysh al Islam": 6,
    "Levant Front": 5, "Palmyra": 1, "Ramadi": 1, "Sami al Uraydi": 1, "Sarwan": 1, "Syria": 2,
}
SEED_COMMENTS = {  # "IS", "SAA", "ISF", "Jabhat an-Nusrah", "Baiji Refinery", "ole school ISI" ...
    "Abu Bakr al Baghdadi": 3, "Abu Muhammad al Maqdisi": 2, "Al Nusrah Front": 1, "Al Qaeda": 1, "Baiji": 2,
    "Bashar al Assad": 3, "Hasakah": 1, "Iran": 5, "Iraq": 1, "Iraqi Army": 1, "Iraqi Security Forces": 3,
    "Islamic State": 9, "Peshmerga": 1, "Russia": 1, "Syria": 3, "Syrian Arab Army": 2,
}


@pytest.fixture(scope="module")
def enriched_seed(tmp_path_factory, seed_database):
    db_path = copy_database(seed_database, tmp_path_factory.mktemp("enriched") / "frontline.db")
    return db_path, sqlite_utils.Database(db_path)


def totals(db, table, key):
    return {name: n for name, n in db.execute(
        f"select e.name, sum(l.count) from {table} l join entities e on e.id = l.entity_id group by e.name")}


def test_seed_article_actors_and_places_with_counts(enriched_seed):
    _, db = enriched_seed
    assert totals(db, "article_entities", "article_id") == SEED_ARTICLE


def test_seed_comment_actors_and_places_with_counts(enriched_seed):
    _, db = enriched_seed
    assert totals(db, "comment_entities", "comment_id") == SEED_COMMENTS


def test_seed_surface_forms_recorded(enriched_seed):
    _, db = enriched_seed
    surfaces = {(name, surface): n for name, surface, n in db.execute(
        "select e.name, l.surface, l.count from article_entities l join entities e on e.id = l.entity_id")}
    assert surfaces[("Islamic State", "Islamic State")] == 17 and surfaces[("Islamic State", "caliphate")] == 2
    assert surfaces[("Jaysh al Islam", "Army of Islam")] == 1
    assert surfaces[("Aleppo Governorate", "province of Aleppo")] == 1


def test_seed_places_have_coordinates_and_kinds(enriched_seed):
    _, db = enriched_seed
    places = {row["name"]: row for row in db["entities"].rows_where("kind = 'place'")}
    assert set(places) == {n for n in {**SEED_ARTICLE, **SEED_COMMENTS} if n in places}
    assert all(p["latitude"] is not None and p["longitude"] is not None for p in places.values())
    assert (places["Sarwan"]["country_code"], places["Sarwan"]["place_type"]) == ("SY", "village")
    assert (places["Damascus"]["country_code"], round(places["Damascus"]["latitude"])) == ("SY", 34)
    kinds = {row["name"]: row["kind"] for row in db["entities"].rows}
    assert kinds["Levant Front"] == "coalition" and kinds["Peshmerga"] == "state_force"
    assert kinds["Abu Muhammad al Maqdisi"] == "person"


def test_enrich_command_reruns_on_stored_data_idempotently(enriched_seed, tmp_path):
    import sqlite3

    _, db = enriched_seed
    copy = tmp_path / "copy.db"
    with sqlite3.connect(copy) as target:
        db.conn.backup(target)
    result = frontline("enrich", "--db", copy)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"enriched 1 article(s): {sum(SEED_ARTICLE.values())} actor and place mentions")
    again = sqlite_utils.Database(copy)
    assert totals(again, "article_entities", "article_id") == SEED_ARTICLE
    assert totals(again, "comment_entities", "comment_id") == SEED_COMMENTS
    replies = {row["position"]: row["reply_by"] for row in again["comments"].rows_where("parent_id is not null")}
    assert replies == {5: "mention", 10: "mention", 11: "mention"}


def test_syndicated_copy_is_a_near_duplicate(tmp_path):
    original = (SEED.read_text(encoding="utf-8"))
    copy = original.replace("With sudden advances in Aleppo", "Aleppo: sudden advances").replace(
        "The sudden, coordinated attacks", "The sudden and coordinated attacks")
    (tmp_path / "a.txt").write_text(original, encoding="utf-8")
    (tmp_path / "b.txt").write_text(copy, encoding="utf-8")
    (tmp_path / "c.txt").write_text((CASES / "caucasus.txt").read_text(encoding="utf-8") * 3, encoding="utf-8")
    db_path = tmp_path / "frontline.db"
    assert frontline("import", "--db", db_path, tmp_path).returncode == 0
    db = sqlite_utils.Database(db_path)
    clusters = {row["url"].rsplit("/", 1)[1]: (row["cluster_id"], row["similarity"]) for row in db.query(
        "select a.url, d.cluster_id, d.similarity from duplicate_clusters d join articles a on a.id = d.article_id")}
    assert set(clusters) == {"a.txt", "b.txt"}
    assert clusters["a.txt"][0] == clusters["b.txt"][0]
    assert min(s for _, s in clusters.values()) > 0.9

    # signatures are kept: a re-import signs only the changed article (a's marked signature survives)
    ids = {row["url"].rsplit("/", 1)[1]: row["id"] for row in db["articles"].rows}
    assert db["article_signatures"].count == 3 and db["signature_bands"].count == 3 * 14
    db.execute("update article_signatures set signature = ? where article_id = ?", [b"kept", ids["a.txt"]])
    db.conn.commit()
    (tmp_path / "b.txt").write_text((CASES / "caucasus.txt").read_text(encoding="utf-8") * 2, encoding="utf-8")
    assert frontline("import", "--db", db_path, tmp_path).returncode == 0
    stored = {row["article_id"]: row["signature"] for row in db["article_signatures"].rows}
    assert stored[ids["a.txt"]] == b"kept" and stored[ids["b.txt"]] != b"kept"
    clustered = {row[0].rsplit("/", 1)[1] for row in db.execute(
        "select a.url from duplicate_clusters d join articles a on a.id = d.article_id")}
    assert clustered == {"b.txt", "c.txt"}  # b now repeats c's text


def test_gazetteer_data_is_consistent():
    """The curated files: valid kinds and coordinates, and no alias shared by two different actors."""
    import yaml

    from crawler.enrichment.gazetteer import ACTORS_FILE, PLACES_FILE

    actors = yaml.safe_load(ACTORS_FILE.read_text(encoding="utf-8"))["actors"]
    places = yaml.safe_load(PLACES_FILE.read_text(encoding="utf-8"))
    assert len(actors) >= 200
    owner = {}
    for actor in actors:
        assert actor["kind"] in {"armed_group", "state_force", "coalition", "person", "organization"}, actor
        for alias in {actor["name"].casefold(), *(a.casefold() for a in actor.get("aliases") or [])}:
            assert owner.setdefault(alias, actor["name"]) == actor["name"], f"{alias!r}: {owner[alias]} / {actor['name']}"
    codes = {c["code"] for c in places["countries"]}
    for entry in places["countries"] + places["regions"] + places["places"]:
        assert -90 <= entry["latitude"] <= 90 and -180 <= entry["longitude"] <= 180, entry
        assert entry.get("country", entry.get("code")) in codes, entry


def test_fold_keeps_offsets_even_where_lowering_would_lengthen_the_text():
    from crawler.enrichment.matcher import fold

    assert fold("Deir ez‑Zor, ISIS’s") == "deir ez zor, isis's"
    assert fold("İdlib and ISIS") == "idlib and isis"  # "İ".lower() would be two characters
    assert fold("Khān Yūnis, Al-‘Arīsh, Maʼrib") == "khan yunis, al 'arish, ma'rib"


def test_signatures_are_those_datasketch_made():
    """Stored signatures stay comparable: the same values datasketch 1.6's MinHash(num_perm=128, seed=1,
    hashfunc=crc32) gave for these texts, before our own few lines of numpy replaced it."""
    import hashlib

    from crawler.enrichment.duplicates import signature

    digests = [hashlib.sha256(signature(text)).hexdigest()[:16] for text in (
        SEED.read_text(encoding="utf-8"), (CASES / "caucasus.txt").read_text(encoding="utf-8") * 3)]
    assert digests == ["246f6f8db61ec4fa", "c53b3fb097d926e6"]
    assert signature("too few words") is None


def linked(matcher, text):
    return [(m.surface, m.entity.name) for m in matcher.mentions(text)]


def test_features_are_places_of_their_own_never_the_town_in_their_name(matcher):
    assert linked(matcher, "Ships crossed the Gulf of Aden and the Suez Canal toward Aden.") == [
        ("Gulf of Aden", "Gulf of Aden"), ("Suez Canal", "Suez Canal"), ("Aden", "Aden")]
    assert linked(matcher, "Water rose behind the Mosul Dam; jets left Bagram Air Base.") == [
        ("Mosul Dam", "Mosul Dam"), ("Bagram Air Base", "Bagram Air Base")]
    # features the gazetteer lacks still take their town's name away from it
    assert linked(matcher, "Drones hit the Qayyarah airfield, the Haditha reservoir and the Strait of Tiran.") == []
    # a unit named after its town is the unit, or nothing when the gazetteer lacks it: never the town
    assert linked(matcher, "Shelling in the Aleppo province and the Kharkiv region.") == [
        ("Aleppo province", "Aleppo Governorate")]
    place = next(m.entity for m in matcher.mentions("the Strait of Hormuz"))
    assert (place.kind, place.place_type, place.countries) == ("place", "strait", ("IR", "OM", "AE"))


def test_transliterations_match_the_gazetteer_names(matcher):
    """Diacritics, apostrophes and the Arabic article's spellings, by rule (no name is listed twice)."""
    assert {name for _, name in linked(matcher, "Strikes on Khān Yūnis, Khan Yunis and Khan Younis.")} == {"Khān Yūnis"}
    assert linked(matcher, "Aid went through Al-Arish, el-Arish and Arīsh.") == [
        ("Al-Arish", "Arīsh"), ("Arish", "Arīsh"), ("Arīsh", "Arīsh")]
    found = linked(matcher, "In Idlib, fighters entered Jisr al-Shughur, then Jisr el-Shughur and Ma'arrat Misrin.")
    assert [name for _, name in found] == ["Idlib", "Jisr ash Shughūr", "Jisr ash Shughūr", "Ma‘arratmişrīn"]


def test_a_place_inside_another_name_is_not_that_place(matcher):
    assert linked(matcher, "The Kyiv Independent said the cruiser Moskva sank; the Minsk agreements failed, "
                           "Israel Katz said, and so did Jordan Ellis.") == []
    assert linked(matcher, "Russian forces shelled Kyiv on Monday and Kharkiv Tuesday.")[1:] == [
        ("Kyiv", "Kyiv"), ("Kharkiv", "Kharkiv")]
    assert linked(matcher, "Russia Strikes Kyiv As Talks Stall") == [("Russia", "Russia"), ("Kyiv", "Kyiv")]  # a headline


def test_an_author_bio_at_the_end_does_not_count_as_the_article(matcher):
    from crawler.enrichment.enrich import without_author_bio

    article = "Fighting continued around Bakhmut on Tuesday.\n\nShelling also hit Kramatorsk."
    bio = "Jane Doe is a senior fellow at the Atlantic Council in Washington and a former adviser in Kabul."
    found = enrich(matcher, "Bakhmut holds", f"{article}\n\n{bio}", []).article_mentions
    assert {entity.name for entity, _ in found} == {"Bakhmut", "Kramatorsk"}
    assert without_author_bio(article) == article  # a last paragraph of news stays
    assert without_author_bio(bio) == bio  # so does a body that is nothing but that paragraph
    assert without_author_bio(f"{article}\n\nDr. Mark Havel, a historian, is an adjunct professor at Georgetown.") \
        == article


def test_two_places_of_one_name_in_one_article_share_their_entity_row(db_path):
    """Entities are one row per name and kind: the second town of a name links to the first's row, as it did
    when each entity was looked up on its own, instead of failing the article on the unique index."""
    from crawler.enrichment.gazetteer import Entity
    from db.enrichment import entity_ids
    from db.schema import open_database
    from db.transactions import write_transaction

    db = open_database(db_path)
    american, australian = Entity("Springfield", "place", country_code="US"), Entity("Springfield", "place", country_code="AU")
    with write_transaction(db):
        ids = entity_ids(db, {american: ["Springfield, IL"], australian: []})
        again = entity_ids(db, {australian: []})
    assert ids[american] == ids[australian] == again[australian]
    assert [row["name"] for row in db["entities"].rows] == ["Springfield"]
