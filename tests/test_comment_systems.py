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


def test_an_import_stores_how_each_comment_was_read_and_counts_a_thread_read_in_part(tmp_path, db_path):
    import sqlite_utils

    from tests.conftest import frontline

    page = tmp_path / "bridge.html"
    html = (FIXTURES / "wordpress.html").read_text(encoding="utf-8")
    page.write_text(html.replace("3 thoughts on", "30 thoughts on"), encoding="utf-8")
    result = frontline("import", "--db", db_path, page)
    assert result.returncode == 0, result.stderr
    db = sqlite_utils.Database(db_path)
    assert [(r["author"], r["structure"], r["author_url"]) for r in db["comments"].rows_where(order_by="position")] == [
        ("Hanna V.", "wordpress", "https://example.net/hanna"), ("Ostap", "wordpress", None), ("Mira", "wordpress", None)]
    article = next(db["articles"].rows)
    assert article["comment_path"] == "wordpress" and 0.5 < article["comment_coverage"] <= 1
    assert "comment thread read in part: 30 declared, 3 found" in result.stderr
    run = next(db["crawl_runs"].rows)
    assert json.loads(run["stats"])["frontline/partial_comment_threads"] == 1
    assert "      warnings: comment thread read in part ×1" in frontline("status", "--db", db_path).stdout.splitlines()


@pytest.mark.parametrize("name", ["schema_org", "schema_org_rdfa"])
def test_schema_org_comment_records_mark_the_comment_region(name):
    """No id or class says `comments` on these pages: the records' parent is the region the coverage counts."""
    page = extract_html((FIXTURES / f"{name}.html").read_text(encoding="utf-8"), f"https://example.org/{name}/")
    assert page.comment_coverage == 1.0


def test_export_carries_authors_categories_comment_path_and_how_each_comment_was_read(tmp_path, db_path):
    import csv

    from tests.conftest import frontline

    page = tmp_path / "bridge.html"
    byline = ('<p class="byline">By <a rel="author" href="/a/">Iva Horak</a> and <a rel="author" href="/b/">Jan Novak</a>'
              '</p><p>Filed in <a rel="category tag" href="/c/roads/">Roads</a></p>')
    page.write_text((FIXTURES / "wordpress.html").read_text(encoding="utf-8").replace("</h1>", "</h1>" + byline),
                    encoding="utf-8")
    assert frontline("import", "--db", db_path, page).returncode == 0
    record = json.loads(frontline("export", "--db", db_path).stdout)
    assert (record["authors"], record["categories"], record["comment_path"]) == (
        ["Iva Horak", "Jan Novak"], ["Roads"], "wordpress")
    assert 0.5 < record["comment_coverage"] <= 1
    assert record["comments"][0] == {
        "author": "Hanna V.", "author_url": "https://example.net/hanna", "posted": "2023-05-02T08:10:00",
        "posted_text": "May 2, 2023 at 8:10 am", "text": "The detour added an hour each way.\n\nGlad it is over.",
        "structure": "wordpress", "parent_index": None}
    assert record["comments"][1]["parent_index"] == 0
    out = tmp_path / "articles.csv"
    assert frontline("export", "--db", db_path, "--format", "csv", "-o", out).returncode == 0
    row = next(csv.DictReader(out.open(encoding="utf-8")))
    assert json.loads(row["authors"]) == record["authors"] and json.loads(row["categories"]) == ["Roads"]
    assert row["comment_path"] == "wordpress" and float(row["comment_coverage"]) == record["comment_coverage"]
    assert json.loads(row["comments"]) == record["comments"]
