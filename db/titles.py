"""Titles without the site-name affix that a source's pages share (" | The Long War Journal").

One page cannot tell a site's name glued to its title from the end of a headline when the page declares no
site name (no og:site_name, application-name or JSON-LD publisher: crawler/extraction/metadata.py handles
those). Several pages of one source can: the same text after the last separator, on the titles of at least
MIN_PAGES of its pages, is the site's. This is learned at store time from the source's stored titles, and
kept in `sources.title_affixes` so that later pages (and re-extractions, whose titles carry the affix again)
lose it too; when an affix is learned, the stored titles of the source that end with it lose it at once.
Only suffixes: a shared prefix is as often a section label ("Opinion | ", "Live: ") as a site name.
"""

from __future__ import annotations

import json
import re

import sqlite_utils

from crawler.extraction.metadata import TITLE_SEPARATOR

MIN_PAGES = 3  # titles of one source ending with the same affix, this one included
MAX_AFFIX_WORDS = 8  # longer is a subtitle, not a site name
SEPARATOR = re.compile(TITLE_SEPARATOR)


def title_without_site_affix(db: sqlite_utils.Database, source_id: int, url: str, title: str | None) -> str | None:
    """The title of the page at `url` without its source's learned affix, or without one it now shares with
    enough other stored titles (then learned, and stripped from those). Call in the article's write transaction.
    How many share one is counted in title_endings (indexed): counting them in `articles` read every title of
    the source for each page whose title has a separator (" - ", ": "), so the cost grew with the source."""
    if not title:
        return title
    row = db.execute("select title_affixes from sources where id = ?", [source_id]).fetchone()
    affixes = json.loads((row and row[0]) or "[]")
    for affix in affixes:
        if title.endswith(affix) and title[:-len(affix)].strip():
            return title[:-len(affix)].strip()
    affix = trailing_affix(title)
    if affix is None:
        return title
    db.execute("insert or ignore into title_endings (source_id, ending, url) values (?, ?, ?)", [source_id, affix, url])
    sharing = db.execute("select count(*) from title_endings where source_id = ? and ending = ?",
                         [source_id, affix]).fetchone()[0]
    if sharing < MIN_PAGES:
        return title
    shared = db.execute("select id, title from articles where source_id = ? and url != ? and substr(title, -?) = ? "
                        "and length(title) > ?", [source_id, url, len(affix), affix, len(affix)]).fetchall()
    db.execute("update sources set title_affixes = ? where id = ?", [json.dumps([*affixes, affix]), source_id])
    db.conn.executemany("update articles set title = ? where id = ?",
                        [(stored[:-len(affix)].strip(), article_id) for article_id, stored in shared])
    db.execute("delete from title_endings where source_id = ? and ending = ?", [source_id, affix])  # learned
    return title[:-len(affix)].strip()


def note_title_endings(db: sqlite_utils.Database) -> None:
    """Fill title_endings from the titles already stored (a database made before the table existed)."""
    db.conn.executemany("insert or ignore into title_endings (source_id, ending, url) values (?, ?, ?)", (
        (source_id, affix, url) for source_id, url, title in db.execute("select source_id, url, title from articles")
        if title and (affix := trailing_affix(title)) is not None))


def trailing_affix(title: str) -> str | None:
    """The last separator and what follows it (" | The Site"), when short and after some other text."""
    matches = list(SEPARATOR.finditer(title))
    if not matches:
        return None
    last = matches[-1]
    affix, rest = title[last.start():], title[:last.start()].strip()
    if not rest or not title[last.end():].strip() or len(affix.split()) > MAX_AFFIX_WORDS:
        return None
    return affix
