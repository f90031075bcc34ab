"""Searching articles and comments, with the matching passage highlighted (FTS5 snippet())."""

from __future__ import annotations

from datasette.utils import escape_fts

from db.explorer import highlighted, snippet_sql

ARTICLE_COLUMNS = ("a.id, a.title, a.author, a.published, a.fetched_at, a.updated_at, a.comment_count, "
                   "s.name as source")
ARTICLE_MATCHES = (f"select {ARTICLE_COLUMNS}, {snippet_sql('articles_fts', 1)} as snippet "
                   "from articles_fts join articles a on a.id = articles_fts.rowid "
                   "left join sources s on s.id = a.source_id where articles_fts match :query")
COMMENT_MATCHES = (f"select c.id, c.article_id, c.position, c.author, c.posted, a.title as article_title, "
                   f"{snippet_sql('comments_fts', 0)} as snippet "
                   "from comments_fts join comments c on c.id = comments_fts.rowid "
                   "join articles a on a.id = c.article_id where comments_fts match :query")


def fts_query(request, name: str = "q") -> str:
    """The words searched for, as Datasette's own search box reads them: each word whole, all of them; with
    `_searchmode=raw` FTS5's own syntax."""
    words = (request.args.get(name) or "").strip()
    return words if request.args.get("_searchmode") == "raw" else escape_fts(words)


async def matches(db, sql: str, query: str, limit: int) -> list[dict]:
    """The best matches first (FTS5 rank), each with its passage as HTML."""
    rows = await db.execute(f"{sql} order by rank limit :limit", {"query": query, "limit": limit})
    return [dict(row) | {"snippet": highlighted(row["snippet"])} for row in rows]


async def count(db, fts_table: str, query: str) -> int:
    return (await db.execute(f"select count(*) from {fts_table} where {fts_table} match :query",
                             {"query": query})).single_value()
