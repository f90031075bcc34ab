"""The articles and comments tables as compact lists: what a reader scans first, one line or two per row.

Datasette's own table stays one click away (`?_col=`): every column, sortable, with its cog menus. The list is
drawn from the page's own rows (Datasette's filters, facets, sort and pagination all apply) and one query more
for the sources, article titles and search passages of those rows.
"""

from __future__ import annotations

from urllib.parse import urlencode

from db.explorer import highlighted, snippet_sql
from db.explorer_search import fts_query

TEASER = 240  # characters of the body shown when nothing is searched
LISTS = {
    "articles": dict(
        fts="articles_fts", column=1,
        sql="select a.id, a.title, a.author, a.published, a.comment_count, s.name as source, "
            f"substr(a.body, 1, {TEASER}) as teaser from articles a left join sources s on s.id = a.source_id "
            "where a.id in ({ids})"),
    "comments": dict(
        fts="comments_fts", column=0,
        sql="select c.id, c.article_id, c.position, c.author, c.posted, a.title as article_title, "
            f"substr(c.body, 1, {TEASER}) as teaser from comments c join articles a on a.id = c.article_id "
            "where c.id in ({ids})"),
}


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

    columns = [c for c in await db.table_columns(table) if c != "id"]
    return {"frontline_list": {"table": table, "entries": entries,
                               "all_columns": all_columns_path(request, columns)}}
