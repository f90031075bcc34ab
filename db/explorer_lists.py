"""The articles and comments tables as compact lists: what a reader scans first, one line or two per row.

Datasette's own table stays one click away (`?_col=`): every column, sortable, with its cog menus. The list is
drawn from the page's own rows (Datasette's filters, facets, sort and pagination all apply) and one query more
for the sources, article titles and search passages of those rows. A search's first page shows only what it
reads quickly at 100,000 articles: facets are links, and the matches are counted from the full-text index.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from datasette.utils import path_with_added_args

from db import explorer_search
from db.explorer import highlighted, snippet_sql
from db.explorer_search import count, fts_query, how_many

TEASER = 240  # characters of the body shown when nothing is searched
LISTS = {
    "articles": dict(
        fts="articles_fts", column=1,
        # no default facets (db/metadata.yml): the list links each, as (argument, column, label)
        facets=[("_facet", "source_id", "source"), ("_facet", "author", "author"),
                ("_facet", "published_month", "month"), ("_facet", "language", "language"),
                ("_facet_array", "tags", "tags")],
        sql="select a.id, a.title, a.author, a.published, a.comment_count, s.name as source, "
            f"substr(a.body, 1, {TEASER}) as teaser from articles a left join sources s on s.id = a.source_id "
            "where a.id in ({ids})"),
    "comments": dict(
        fts="comments_fts", column=0,
        facets=[("_facet", "author", "author"), ("_facet", "reply_by", "reply link"),
                ("_facet", "language", "language")],
        sql="select c.id, c.article_id, c.position, c.author, c.posted, a.title as article_title, "
            f"substr(c.body, 1, {TEASER}) as teaser from comments c join articles a on a.id = c.article_id "
            "where c.id in ({ids})"),
}


def uncounted_search(query_string: bytes) -> bytes | None:
    """A plain search of a list (`?_search=`, no filter) with `_nocount=1` added, else None (leave it be).

    Datasette's count of all matches reads every matching row (80-125 ms for 60,000 matches at 100,000
    articles); the list counts them from the full-text index instead (explorer_search.count). `_nocount`
    given (even empty: `_nocount=` asks for Datasette's count) or a filter beside the search leaves the
    request as it is."""
    args = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
    keys = {key for key, _ in args}
    if not dict(args).get("_search", "").strip() or "_nocount" in keys \
            or any(not key.startswith("_") or "__" in key for key in keys):
        return None
    return query_string + b"&_nocount=1"


def form_hidden_args(request) -> list[tuple[str, str]]:
    """The search form's hidden arguments as Datasette makes them, less the `_nocount` of `uncounted_search`:
    clearing the search must bring the count back."""
    implied = request.scope.get("frontline_uncounted")
    return [(key, value) for key in request.args if key.startswith("_") and "__" not in key
            and key not in ("_sort", "_sort_desc", "_search", "_next") and not (implied and key == "_nocount")
            for value in request.args.getlist(key)]


def facet_links(request, facets) -> list[dict]:
    """The facets not shown yet, each a link that adds it."""
    shown = set(request.args.getlist("_facet")) | set(request.args.getlist("_facet_array"))
    return [{"label": label, "href": path_with_added_args(request, {arg: column})}
            for arg, column, label in facets if column not in shown]


def all_columns_path(request, columns: list[str]) -> str:
    """The same page as Datasette's table with every column (`_col` names each one)."""
    args = [(key, value) for key in request.args for value in request.args.getlist(key) if key != "_col"]
    return f"{request.path}?{urlencode(args + [('_col', c) for c in columns])}"


async def list_view(datasette, database: str, table: str, request) -> dict:
    """Template variables of the compact list of a table (empty for other tables, or when `_col`/`_nocol` ask for
    Datasette's own table)."""
    if table not in LISTS or "_col" in request.args or "_nocol" in request.args:
        return {}
    db = datasette.get_database(database)
    spec = LISTS[table]
    query = fts_query(request, "_search")

    async def entries(rows) -> list[dict]:
        """The page's rows, in the page's order, with what the list shows of each."""
        ids = [int(row["id"]) for row in rows]
        if not ids:
            return []
        placeholders = ", ".join("?" * len(ids))
        found = {row["id"]: dict(row) for row in await db.execute(spec["sql"].format(ids=placeholders), ids)}
        if query:
            fts = spec["fts"]
            snippets = await db.execute(
                f"select rowid, {snippet_sql(fts, spec['column'], 32)} from {fts} "
                f"where {fts} match ? and rowid in ({placeholders})", [query, *ids])
            for rowid, snippet in snippets.rows:
                found[rowid]["snippet"] = highlighted(snippet)
        return [found[i] for i in ids if i in found]

    async def matches() -> dict | None:
        """How many rows the search matches ('more than 10,000 articles match'), None when nothing is searched."""
        if not query:
            return None
        total = await count(db, spec["fts"], query)
        return {"text": f"{how_many(total, table[:-1])} match{'es' if total == 1 else ''}",
                "more": total > explorer_search.COUNTED}

    columns = [c for c in await db.table_columns(table) if c not in ("id", "fts_rowid")]  # fts_rowid: the id again
    return {"frontline_list": {"table": table, "entries": entries, "matches": matches,
                               "facets": facet_links(request, spec["facets"]),
                               "all_columns": all_columns_path(request, columns)},
            "form_hidden_args": form_hidden_args(request)}
