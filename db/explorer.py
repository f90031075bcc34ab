"""Where frontline's Datasette plugin acts: only in `frontline serve` and only on frontline's own databases.

The plugin is registered for every Datasette in the environment (an entry point), so each hook first asks
these two questions; any other Datasette, or another database beside ours, stays stock Datasette.
"""

from __future__ import annotations

import functools
import weakref

from datasette import Response
from markupsafe import Markup, escape

from db.schema import MARKER_TABLE

PLUGIN = "frontline"  # metadata.yml `plugins: frontline: {explorer: true}`, which only `frontline serve` applies
MARK_START, MARK_END = "\ue000", "\ue001"  # private-use characters: FTS5 snippet() marks, never in escaped text
_marked: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # datasette -> {database name: has the marker}


def is_explorer(datasette) -> bool:
    """The instance is frontline's explorer: its metadata says so (`frontline serve` and published snapshots)."""
    return bool((datasette.plugin_config(PLUGIN) or {}).get("explorer"))


async def is_frontline(datasette, database: str | None) -> bool:
    """A database frontline made (it has the marker table), in frontline's explorer. Asked once per database."""
    if not database or not is_explorer(datasette):
        return False
    known = _marked.setdefault(datasette, {})
    if database not in known:
        try:
            db = datasette.get_database(database)
        except KeyError:
            return False
        known[database] = await db.table_exists(MARKER_TABLE)
    return known[database]


def frontline_route(view):
    """A route answers only for a frontline database; for any other it is a page not found, as in stock Datasette."""
    @functools.wraps(view)
    async def scoped(datasette, request):
        if not await is_frontline(datasette, request.url_vars["database"]):
            return Response.html("Not found", status=404)
        return await view(datasette, request)
    return scoped


def highlighted(snippet: str | None) -> Markup:
    """An FTS5 snippet made with MARK_START/MARK_END as HTML: the text escaped, the matched terms in <mark>."""
    text = str(escape(snippet or ""))
    return Markup(text.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))


def plain(snippet: str | None) -> str:
    """The same snippet as plain text (for feeds)."""
    return (snippet or "").replace(MARK_START, "").replace(MARK_END, "")


def snippet_sql(fts_table: str, column: int, tokens: int = 24) -> str:
    """FTS5 snippet() of one column around the matched terms, marked for `highlighted`."""
    return f"snippet({fts_table}, {column}, '{MARK_START}', '{MARK_END}', '…', {tokens})"
