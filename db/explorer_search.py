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


RANKED = 2_000  # the best matches are ranked among the last this many stored (rank over 60,000 took 85 ms)
COUNTED = 10_000  # matches are counted up to this many: "more than 10,000 articles"


async def matches(db, sql: str, fts_table: str, query: str, limit: int) -> list[dict]:
    """The best matches first (FTS5 rank) among the RANKED stored last (FTS5 reads its index backwards to the
    first of them), each with its passage as HTML: ranking computes bm25 for every match it ranks."""
    first = (f"coalesce((select rowid from {fts_table} where {fts_table} match :query order by rowid desc "
             "limit 1 offset :ranked), 0)")
    rows = await db.execute(f"{sql} and {fts_table}.rowid >= {first} order by rank limit :limit",
                            {"query": query, "limit": limit, "ranked": RANKED - 1})
    return [dict(row) | {"snippet": highlighted(row["snippet"])} for row in rows]


async def count(db, fts_table: str, query: str) -> int:
    """How many rows match, from the index alone, up to COUNTED + 1 (see `how_many`)."""
    return (await db.execute(f"select count(*) from (select rowid from {fts_table} where {fts_table} match :query "
                             "limit :bound)", {"query": query, "bound": COUNTED + 1})).single_value()


def how_many(total: int, noun: str) -> str:
    """A count of `count`, with its noun: '1 article', '2,150 articles', 'more than 10,000 articles'."""
    if total > COUNTED:
        return f"more than {COUNTED:,} {noun}s"
    return f"{total:,} {noun}{'' if total == 1 else 's'}"
