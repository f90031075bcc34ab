"""Atom feeds of the articles most recently collected, of all of them or of a search, so a feed reader can
follow "new articles mentioning Wagner". A route of our own: datasette-atom would add two dependencies (feedgen,
bleach) for the same thirty lines."""

from __future__ import annotations

import re
import sqlite3
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from urllib.parse import urlencode

from datasette import Response

from crawler.timestamps import parse_timestamp
from db.explorer import frontline_route, plain
from db.explorer_search import ARTICLE_COLUMNS, ARTICLE_MATCHES, fts_query

ATOM = "http://www.w3.org/2005/Atom"
ENTRIES = 50
NEWEST = (f"select {ARTICLE_COLUMNS}, substr(a.body, 1, 400) as snippet "
          "from articles a left join sources s on s.id = a.source_id")
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # characters XML 1.0 cannot carry


def feed_path(datasette, database: str, words: str | None = None) -> str:
    """Where the feed of a search (or, without words, of the newest articles) is."""
    path = datasette.urls.path(f"/{database}/-/feed.atom")
    return f"{path}?{urlencode({'q': words})}" if words else path


def feed_link(datasette, database: str, words: str | None = None) -> dict:
    """What a page announces with <link rel="alternate" type="application/atom+xml">."""
    return {"href": feed_path(datasette, database, words),
            "title": f"Articles matching {words}" if words else "Newest articles"}


def rfc3339(value: str | None) -> str | None:
    """Atom wants full RFC 3339 times: a bare date is midnight UTC, a naive time is UTC."""
    moment = parse_timestamp(value)
    return moment.isoformat(timespec="seconds") if moment else None


def add(parent: ET.Element, tag: str, text: str | None = None, **attributes) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    if text is not None:
        element.text = NOT_XML.sub("", text)
    return element


def entry(feed: ET.Element, article: dict, link: str) -> None:
    item = add(feed, "entry")
    add(item, "id", link)
    add(item, "title", article["title"] or "Untitled")
    add(item, "link", href=link)
    add(item, "updated", rfc3339(article["updated_at"]) or rfc3339(article["fetched_at"]))
    if rfc3339(article["published"]):
        add(item, "published", rfc3339(article["published"]))
    if article["author"]:
        add(add(item, "author"), "name", article["author"])
    if article["source"]:
        add(item, "category", term=article["source"])
    add(item, "summary", plain(article["snippet"]))


@frontline_route
async def atom_feed(datasette, request):
    """`/DATABASE/-/feed.atom[?q=words]`: the 50 articles collected last (matching the words), newest first."""
    name = request.url_vars["database"]
    words, query = (request.args.get("q") or "").strip(), fts_query(request)
    # by the index's rowid (the article id): FTS5 walks it backwards and makes only 50 snippets, not one a match
    sql, order, params = (ARTICLE_MATCHES, "articles_fts.rowid", {"query": query}) if query else (NEWEST, "a.id", {})
    try:
        rows = await datasette.get_database(name).execute(f"{sql} order by {order} desc limit {ENTRIES}", params)
    except sqlite3.OperationalError as error:  # FTS5 syntax of a raw-mode search
        return Response.text(f"Search not understood: {error}", status=400)
    title = datasette.metadata("title") or name
    page = datasette.urls.path(f"/{name}/-/search?{urlencode({'q': words})}" if words else f"/{name}")
    feed = ET.Element("feed", xmlns=ATOM)
    add(feed, "title", f"{title}: {words}" if words else f"{title}: newest articles")
    add(feed, "id", datasette.absolute_url(request, feed_path(datasette, name, words)))
    add(feed, "link", rel="self", href=datasette.absolute_url(request, feed_path(datasette, name, words)))
    add(feed, "link", rel="alternate", type="text/html", href=datasette.absolute_url(request, page))
    articles = [dict(row) for row in rows]
    updated = [rfc3339(a["updated_at"]) or rfc3339(a["fetched_at"]) for a in articles]
    add(feed, "updated", max(filter(None, updated), default=datetime.now(timezone.utc).isoformat(timespec="seconds")))
    add(add(feed, "author"), "name", title)  # entries without a byline still have an author, as Atom requires
    add(feed, "generator", "frontline")
    for article in articles:
        link = datasette.absolute_url(request, datasette.urls.path(f"/{name}/-/article/{article['id']}"))
        entry(feed, article, link)
    body = ET.tostring(feed, encoding="unicode", xml_declaration=True)
    return Response(body, content_type="application/atom+xml; charset=utf-8")
