"""Articles with their comments as JSON lines or CSV, for use outside frontline; or what was collected as a
web archive (WARC, WACZ) that replays what was read and imports back into the same articles."""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
import tempfile
import zipfile
from pathlib import Path
from typing import IO, TYPE_CHECKING, BinaryIO, Iterator

import sqlite_utils

from crawler import __version__

if TYPE_CHECKING:
    from crawler.warc import ArchivedPage

FIELDS = ["url", "title", "author", "authors", "published", "body", "tags", "categories", "comment_path",
          "comment_coverage", "comments", "provenance"]
JSON_CELLS = ("authors", "tags", "categories", "comments", "provenance")  # lists and objects in CSV cells, as JSON
PROVENANCE = ("arrived_via", "fetched_at", "origin_path", "origin_offset")
WACZ_VERSION = "1.1.1"
WACZ_WARC, WACZ_INDEX, WACZ_PAGES = "archive/frontline.warc.gz", "indexes/index.cdxj", "pages/pages.jsonl"
# what the index lists for replay: the pages; a page's metadata record (same URL and date) would be served
# as the page by a replayer that takes the first match
WACZ_INDEXED = "response,revisit,resource"


def exported_articles(db: sqlite_utils.Database) -> Iterator[dict]:
    """One dict per article; each comment's parent_index is a 0-based index into the same list, or None."""
    for article in db.query("select * from articles order by id"):
        yield exported(db, article)


def exported(db: sqlite_utils.Database, article: dict) -> dict:
    rows = list(db["comments"].rows_where("article_id = ?", [article["id"]], order_by="position"))
    index = {row["id"]: i for i, row in enumerate(rows)}
    return {
        "url": article["url"], "title": article["title"], "author": article["author"],
        "authors": json.loads(article["authors"] or "[]"),
        "published": article["published"], "body": article["body"],
        "tags": json.loads(article["tags"] or "[]"), "categories": json.loads(article["categories"] or "[]"),
        "comment_path": article["comment_path"], "comment_coverage": article["comment_coverage"],
        "comments": [{"author": r["author"], "author_url": r["author_url"], "posted": r["posted"],
                      "posted_text": r["posted_text"], "text": r["body"], "structure": r["structure"],
                      "parent_index": index.get(r["parent_id"])} for r in rows],
        "provenance": {key: article[key] for key in PROVENANCE},  # how it arrived, from where, when fetched
    }


def write_jsonl(db: sqlite_utils.Database, out: IO[str]) -> int:
    count = 0
    for article in exported_articles(db):
        out.write(json.dumps(article, ensure_ascii=False) + "\n")
        count += 1
    return count


def write_csv(db: sqlite_utils.Database, out: IO[str]) -> int:
    """Spreadsheet-friendly: authors, tags, categories, comments and provenance are JSON text in their cells."""
    writer = csv.DictWriter(out, fieldnames=FIELDS)
    writer.writeheader()
    count = 0
    for article in exported_articles(db):
        writer.writerow({**article, **{key: json.dumps(article[key], ensure_ascii=False) for key in JSON_CELLS}})
        count += 1
    return count


def write_warc(db: sqlite_utils.Database, out: BinaryIO, filename: str) -> int:
    """A warcinfo record, then per article its raw pages as records (crawler/warc.py: a response with its
    status and headers, a resource for a page read from a file) and a metadata record (JSON: the extraction,
    the comments and the provenance) that refers to them. Importing the file gives the same articles."""
    from crawler.warc import WarcOutput

    warc = WarcOutput(out)
    warc.warcinfo(filename, {"software": f"frontline {__version__}", "format": "WARC File Format 1.1",
                             "description": "Articles and comment threads collected by frontline"})
    count = 0
    for article, page in archived_pages(db):
        warc.page(page, metadata=article)
        count += 1
    return count


def archived_pages(db: sqlite_utils.Database) -> Iterator[tuple[dict, "ArchivedPage"]]:
    """(the article's metadata, its raw pages), one article at a time; articles with no raw page are left out."""
    from crawler.warc import ArchivedPage

    for article in db.query("select a.*, s.name as source from articles a left join sources s on s.id = a.source_id "
                            "order by a.id"):
        rows = list(db["raw_pages"].rows_where("article_id = ?", [article["id"]], order_by="part"))
        if not rows:
            continue
        main, parts = rows[0], rows[1:]
        page = ArchivedPage(url=main["url"], body=gzip.decompress(main["content"]), fetched_at=main["fetched_at"],
                            content_type=content_type(main), status=main["status"],
                            headers=json.loads(main["headers"] or "{}"),
                            parts=[(r["url"], r["role"], gzip.decompress(r["content"]), content_type(r))
                                   for r in parts])
        if page.status is not None and page.content_type:
            page.headers.setdefault("Content-Type", page.content_type)
        yield {**exported(db, article), "source": article["source"], "language": article["language"],
               "word_count": article["word_count"], "date_source": article["date_source"],
               "extractor": article["extractor"], "extractor_version": article["extractor_version"]}, page


def content_type(raw: dict) -> str:
    """What the page was served as; for a file, what its format and encoding were found to be."""
    if raw["content_type"]:
        return raw["content_type"]
    kind = "text/html" if raw["format"] == "html" else "text/plain"
    return f"{kind}; charset={raw['encoding']}" if raw["encoding"] else kind


def write_wacz(db: sqlite_utils.Database, path: Path) -> int:
    """A WACZ 1.1.1 package: the WARC (stored, not deflated, so a replayer reads records at their offsets), a
    CDXJ index of its pages (by webrecorder's cdxj-indexer, which py-wacz uses), pages/pages.jsonl (each
    article's URL, fetch time, title, date and text) and datapackage.json with every file's size and SHA-256,
    so the collection replays in ReplayWeb.page and passes py-wacz's `wacz validate` (tests/test_warc.py).
    Written here rather than by py-wacz, which would bring rich into the environment (see pyproject.toml)."""
    from cdxj_indexer import CDXJIndexer

    from crawler.warc import warc_date

    with tempfile.TemporaryDirectory(prefix="frontline-wacz-", dir=path.parent) as work:
        files = {name: Path(work) / Path(name).name for name in (WACZ_WARC, WACZ_INDEX, WACZ_PAGES)}
        with files[WACZ_WARC].open("wb") as out:
            count = write_warc(db, out, files[WACZ_WARC].name)
        CDXJIndexer(str(files[WACZ_INDEX]), [str(files[WACZ_WARC])], sort=True, post_append=True,
                    fields="referrer", records=WACZ_INDEXED).process_all()
        with files[WACZ_PAGES].open("w", encoding="utf-8") as pages:
            write_pages(db, pages)
        datapackage = json.dumps({
            "profile": "data-package", "wacz_version": WACZ_VERSION, "title": "frontline articles",
            "created": warc_date(None), "software": f"frontline {__version__}",
            "resources": [{"name": file.name, "path": name, "hash": sha256(file), "bytes": file.stat().st_size}
                          for name, file in files.items()]}, indent=2).encode()
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
            for name, file in files.items():
                package.write(file, name, zipfile.ZIP_STORED if name == WACZ_WARC else zipfile.ZIP_DEFLATED)
            package.writestr("datapackage.json", datapackage)
            package.writestr("datapackage-digest.json", json.dumps(
                {"path": "datapackage.json", "hash": "sha256:" + hashlib.sha256(datapackage).hexdigest()}, indent=2))
    return count


def write_pages(db: sqlite_utils.Database, out: IO[str]) -> None:
    """pages.jsonl: a header, then each article that has a raw page in the WARC (its id, URL, fetch time as the
    WARC-Date of its record, title, date and text, for ReplayWeb.page's list and full-text search)."""
    from crawler.warc import warc_date

    out.write(json.dumps({"format": "json-pages-1.0", "id": "pages", "title": "frontline articles",
                          "hasText": True}) + "\n")
    for article in db.query("select id, url, fetched_at, title, published, body from articles a "
                            "where exists (select 1 from raw_pages r where r.article_id = a.id) order by id"):
        out.write(json.dumps({"id": str(article["id"]), "url": article["url"], "ts": warc_date(article["fetched_at"]),
                              "title": article["title"], "date": article["published"], "text": article["body"]},
                             ensure_ascii=False) + "\n")


def sha256(file: Path) -> str:
    with file.open("rb") as stream:
        return "sha256:" + hashlib.file_digest(stream, "sha256").hexdigest()
