"""`frontline import` into a real SQLite file: storage, idempotency, versions, bad input, transactions."""

import gzip
import shutil

import pytest
import sqlite_utils

from tests.conftest import FIXTURES, SEED, frontline

HTML_PAGE = FIXTURES / "pages" / "wordpress-article.html"


def test_seed_stored_with_comments_tags_boilerplate_and_raw_page(imported_db):
    db = imported_db
    article = next(db["articles"].rows)
    assert article["url"] == SEED.absolute().as_uri()
    assert article["title"] == "With sudden advances in Aleppo, Islamic State provokes counteroffensive"
    assert (article["author"], article["published"], article["date_source"]) == \
        ("Thomas Joscelyn", "2015-06-01", "image_filename")
    assert (article["comments_declared"], article["comment_count"], article["language"]) == (12, 12, "en")
    assert article["word_count"] == len(article["body"].split()) > 600
    assert article["extractor"] == "frontline-text" and article["extractor_version"].startswith("frontline ")
    assert len(article["content_hash"]) == 64
    comments = list(db["comments"].rows_where(order_by="position"))
    assert [c["author"] for c in comments][:3] == ["Telh", "Hispanic", "Oberron"]
    by_position = {c["id"]: c["position"] for c in comments}
    assert {c["position"]: (by_position[c["parent_id"]], c["reply_by"]) for c in comments if c["parent_id"]} == \
        {5: (3, "mention"), 10: (1, "mention"), 11: (9, "mention")}
    assert db.execute("select count(*) from boilerplate where kind = 'menu'").fetchone()[0] == 7
    raw = next(db["raw_pages"].rows)
    assert gzip.decompress(raw["content"]) == SEED.read_bytes()
    assert (raw["format"], raw["encoding"], raw["size"]) == ("text", "utf-8", SEED.stat().st_size)
    run = next(db["crawl_runs"].rows)
    assert (run["spider"], run["finish_reason"], run["imported"], run["rejected"]) == ("seeds", "finished", 1, 0)
    assert db.execute("pragma journal_mode").fetchone()[0] == "wal"


def test_full_text_search_over_articles_and_comments(imported_db):
    db = imported_db
    assert [r["title"] for r in db["articles"].search("Maqdisi")] == \
        ["With sudden advances in Aleppo, Islamic State provokes counteroffensive"]
    assert [r["author"] for r in db["comments"].search("bookkeeping")] == ["Oberron"]
    assert list(db["articles"].search("Joscelyn")) == []  # the bio is boilerplate, not body


def test_reimport_is_idempotent(db_path, imported_db):
    result = frontline("import", "--db", db_path, SEED)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("imported 0, updated 0, unchanged 1, rejected 0")
    db = sqlite_utils.Database(db_path)
    assert [db[t].count for t in ("articles", "comments", "raw_pages", "article_versions", "tags")] == [1, 12, 1, 0, 0]
    assert db["boilerplate"].count == imported_db["boilerplate"].count


def test_changed_file_updates_article_and_keeps_previous_version(tmp_path, db_path):
    seed = tmp_path / "article.txt"
    shutil.copy(SEED, seed)
    assert frontline("import", "--db", db_path, seed).returncode == 0
    original = seed.read_text(encoding="utf-8")
    seed.write_text(original.replace("Jaysh al Fateh, a jihadist-led coalition",
                                     "Jaysh al Fateh, a coalition led by jihadists"), encoding="utf-8")
    result = frontline("import", "--db", db_path, seed)
    assert result.stdout.startswith("imported 0, updated 1, unchanged 0, rejected 0"), result.stdout
    db = sqlite_utils.Database(db_path)
    article = next(db["articles"].rows)
    assert article["version"] == 2 and "coalition led by jihadists" in article["body"]
    old = next(db["article_versions"].rows)
    assert old["version"] == 1 and "jihadist-led coalition" in old["body"]
    assert db["comments"].count == 12 and db["raw_pages"].count == 1
    assert list(db["articles"].search('"led by jihadists"'))
    assert not list(db["articles"].search('"jihadist-led coalition"'))


def test_html_page_imported_with_structured_comments(db_path):
    result = frontline("import", "--db", db_path, HTML_PAGE)
    assert result.returncode == 0, result.stderr
    db = sqlite_utils.Database(db_path)
    article = next(db["articles"].rows)
    assert (article["title"], article["author"], article["published"], article["extractor"]) == \
        ("Drone strikes test air defenses around Kharkiv", "Olena Kovalenko", "2023-03-14", "trafilatura")
    # stored under the address it names (rel=canonical), its host as source, the file as provenance
    assert article["url"] == "https://fixture-journal.example/2023/03/14/drone-strikes-kharkiv/"
    assert next(db["sources"].rows)["name"] == "fixture-journal.example"
    assert (article["arrived_via"], article["origin_path"], article["origin_offset"]) == ("file", str(HTML_PAGE), None)
    assert article["body"].startswith("Waves of long-range drones")
    assert "All rights reserved" not in article["body"] and "Home" not in article["body"]
    assert [(c["author"], c["posted"]) for c in db["comments"].rows_where(order_by="position")] == [
        ("steppe_watcher", "2023-03-14T10:02:00"), ("Marta", "2023-03-14T11:47:00"),
        ("J. Reyes", "2023-03-15T07:15:00")]
    assert sorted(r["name"] for r in db["tags"].rows) == ["Air defense", "Drones", "Kharkiv"]
    assert db["article_tags"].count == 3


def test_scrapy_crawl_command_works_too(db_path):
    import subprocess
    import sys

    from tests.conftest import REPO

    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "seeds", "-a", f"path={SEED}", "-s", f"FRONTLINE_DB={db_path}"],
        cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "'frontline/imported': 1" in result.stderr
    assert sqlite_utils.Database(db_path)["articles"].count == 1


def test_article_and_comments_written_in_one_transaction(db_path):
    """A failure while writing the page's boilerplate leaves neither the article nor its comments behind."""
    db = frontline_schema(db_path)
    db.execute("""create trigger refuse_menu before insert on boilerplate when new.text = 'Boko Haram'
                  begin select raise(abort, 'refused by test trigger'); end""")
    db.close()
    result = frontline("import", "--db", db_path, SEED)
    db = sqlite_utils.Database(db_path)
    assert [db[t].count for t in ("articles", "comments", "boilerplate", "raw_pages")] == [0, 0, 0, 0]
    reject = next(db["rejects"].rows)
    assert reject["input"] == SEED.absolute().as_uri()
    assert "refused by test trigger" in reject["reason"]
    assert result.returncode == 1 and "rejected 1" in result.stdout


def frontline_schema(path):
    from db.schema import open_database

    return open_database(path)


# --- bad input: every file is stored, decoded with a warning, or rejected with its reason --------------

@pytest.fixture(scope="module")
def bad_inputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bad")
    seed_bytes = SEED.read_bytes()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.txt").write_bytes(b" \n\r\n\t\n")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (folder / "image.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(500))
    (folder / "note.txt").write_bytes(b"remember to buy milk\n")
    with open(folder / "huge.txt", "wb") as huge:  # 50 MB, sparse: refused before it is read
        huge.truncate(50 * 1024 * 1024)
    (folder / "cut.txt.gz").write_bytes(gzip.compress(seed_bytes)[:2000])
    (folder / "cp1252.txt").write_bytes(SEED.read_text(encoding="utf-8").encode("cp1252"))
    latin1 = ("Frappes près de Hama\n\nHélène Dubois a décrit les frappes aériennes près de Hama comme les plus "
              "violentes depuis le début de l'année, selon des témoins interrogés à Alep.\n\n"
              "Les habitants ont fui vers le nord, où les camps débordent déjà de déplacés.\n")
    (folder / "latin1.txt").write_bytes(latin1.encode("latin-1"))
    (folder / "invalid-utf8.txt").write_bytes(seed_bytes.replace(b"Ramadi.", b"Ramadi.\xff", 1))
    cut = seed_bytes.index("“mujahideen”".encode()) + 1  # inside a multi-byte quote mark
    (folder / "truncated-utf8.txt").write_bytes(seed_bytes[:cut])
    page = HTML_PAGE.read_bytes()
    (folder / "truncated.html").write_bytes(page[: page.index(b"Analysts say")])
    db_path = folder / "frontline.db"
    result = frontline("import", "--db", db_path, folder, FIXTURES / "pages" / "README")
    return folder, sqlite_utils.Database(db_path), result


REJECTED = {
    "empty.txt": "empty file (0 bytes)",
    "blank.txt": "no text: 6 bytes of whitespace only",
    "binary.txt": "binary data (",
    "image.html": "binary data (a PNG image), not a text or HTML page",
    "note.txt": "no article body found (text, 21 characters)",
    "huge.txt": "too large: 52.4 MB, over the 10.5 MB limit",
    "cut.txt.gz": "truncated gzip data",
    "README": "unsupported file type '(none)'; expected .txt, .html or .htm, or a web archive (.warc, .warc.gz, "
              ".wacz)",
}


@pytest.mark.parametrize("name", REJECTED)
def test_bad_input_rejected_with_reason(bad_inputs, name):
    folder, db, result = bad_inputs
    reasons = {row["input"].rsplit("/", 1)[1]: row["reason"] for row in db["rejects"].rows}
    assert reasons[name].startswith(REJECTED[name])
    assert f"{name}: {reasons[name]}" in result.stderr  # the one-line message a user sees


def test_bad_input_run_completes_and_accounts_for_every_file(bad_inputs):
    folder, db, result = bad_inputs
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    stored = {row["origin_path"].rsplit("/", 1)[1] for row in db["articles"].rows}
    rejected = {row["input"].rsplit("/", 1)[1] for row in db["rejects"].rows}
    assert stored == {"cp1252.txt", "latin1.txt", "invalid-utf8.txt", "truncated-utf8.txt", "truncated.html"}
    assert stored | rejected == {p.name for p in folder.iterdir() if p.name != "frontline.db"
                                 and not p.name.startswith("frontline.db")} | {"README"}
    assert result.stdout.startswith("imported 5, updated 0, unchanged 0, rejected 8")
    run = next(db["crawl_runs"].rows)
    assert (run["imported"], run["rejected"]) == (5, 8)


def test_legacy_encodings_decoded_not_mojibake(bad_inputs):
    folder, db, result = bad_inputs
    rows = {row["url"].rsplit("/", 1)[1]: row for row in db["articles"].rows}
    encodings = {row["url"].rsplit("/", 1)[1]: row["encoding"] for row in db["raw_pages"].rows}
    assert "The so-called “caliphate” is attempting" in rows["cp1252.txt"]["body"]
    assert rows["cp1252.txt"]["comment_count"] == 12
    assert encodings["cp1252.txt"] == "cp1252"
    assert rows["latin1.txt"]["body"].startswith("Hélène Dubois a décrit les frappes")
    assert encodings["latin1.txt"] in {"cp1252", "latin_1", "iso8859_15"}
    assert "cp1252.txt: not UTF-8: decoded as cp1252" in result.stderr


def test_stray_invalid_bytes_do_not_turn_utf8_into_mojibake(bad_inputs):
    folder, db, result = bad_inputs
    body = next(db["articles"].rows_where("url like ?", ["%/invalid-utf8.txt"]))["body"]
    assert "Ramadi.\ufffd The so-called “caliphate”" in body
    assert "invalid-utf8.txt: invalid UTF-8: 1 undecodable byte sequence(s) replaced with U+FFFD" in result.stderr


def test_truncated_files_keep_what_is_there_and_say_so(bad_inputs):
    folder, db, result = bad_inputs
    rows = {row["origin_path"].rsplit("/", 1)[1]: row for row in db["articles"].rows}
    cut = rows["truncated-utf8.txt"]
    assert cut["body"].endswith("being dispatched to assist their") and "\ufffd" not in cut["body"]
    assert "truncated-utf8.txt: truncated: the file ends inside a UTF-8 character" in result.stderr
    assert rows["truncated.html"]["body"].startswith("Waves of long-range drones")


def test_database_from_an_earlier_schema_gains_new_columns(db_path):
    old = sqlite_utils.Database(db_path)  # the tables every earlier frontline made, some of them narrower
    for table in ("articles", "raw_pages", "crawl_runs"):
        old[table].create({"id": int}, pk="id")
    old["comments"].create({"id": int, "article_id": int, "position": int, "author": str, "body": str}, pk="id")
    old.close()
    frontline_schema(db_path).close()
    assert {"posted", "parent_id", "reply_by", "language"} <= set(sqlite_utils.Database(db_path)["comments"].columns_dict)
    assert {"arrived_via", "origin_path", "origin_offset"} <= set(sqlite_utils.Database(db_path)["articles"].columns_dict)


def test_opening_a_database_twice_keeps_it_intact(db_path):
    """Import, then serve: every open ensures the schema, including the generated published_month column."""
    for _ in range(3):
        frontline_schema(db_path).close()
    columns = [row[1] for row in sqlite_utils.Database(db_path).execute("pragma table_xinfo(articles)")]
    assert columns.count("published_month") == 1


def title_page(folder, name: str, title: str):
    """A saved HTML page titled by its og:title (trafilatura cuts a <title> at its first separator itself), with
    no site name declared anywhere."""
    path = folder / f"{name}.html"
    path.write_text(f"<html><head><meta property='og:title' content='{title}'></head><body><article><p>"
                    f"{name.title()} reported on Monday that the situation along the front line had changed again "
                    "after a week of heavy fighting, according to officials and residents.</p></article></body></html>",
                    encoding="utf-8")
    return path


def test_the_title_affix_a_sources_pages_share_is_stripped_from_all_of_them(tmp_path, db_path):
    site = " | The Long War Journal"
    first = tmp_path / "first"
    first.mkdir()
    title_page(first, "aleppo", "Aleppo offensive stalls" + site)
    title_page(first, "kharkiv", "Kharkiv under fire - again" + site)
    assert frontline("import", "--db", db_path, first).returncode == 0
    db = sqlite_utils.Database(db_path)
    titles = lambda: sorted(r["title"] for r in db["articles"].rows)  # noqa: E731
    assert titles() == ["Aleppo offensive stalls" + site, "Kharkiv under fire - again" + site]  # two pages: not yet
    assert db["title_endings"].count == 2
    db["title_endings"].drop()  # as in a database made before the table: filled from the stored titles on opening
    assert frontline("import", "--db", db_path, title_page(tmp_path, "idlib", "Rebels regroup" + site)).returncode == 0
    assert titles() == ["Aleppo offensive stalls", "Kharkiv under fire - again", "Rebels regroup"]
    assert db["title_endings"].count == 0  # a learned affix is counted no more
    # learned for the source: a later page loses it, and a re-extraction keeps it off
    assert frontline("import", "--db", db_path, title_page(tmp_path, "mosul", "Mosul rebuilds" + site)).returncode == 0
    assert frontline("reextract", "--db", db_path).returncode == 0
    assert titles() == ["Aleppo offensive stalls", "Kharkiv under fire - again", "Mosul rebuilds", "Rebels regroup"]
