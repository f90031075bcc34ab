"""frontline's Datasette plugin: the home section, compact lists, search page and feeds (db/explorer_*.py,
db/feeds.py), the reading, entity and timeline pages (db/reading_page.py, db/entity_pages.py, db/timelines.py),
and links to them.

Registered through the `datasette` entry point in pyproject.toml, so every Datasette in the environment loads
it: each hook acts only in frontline's explorer and on frontline's databases (db/explorer.py). Everything
scraped is rendered through Jinja's autoescaping: a comment that contains <script> shows as text, never runs.
"""

from __future__ import annotations

import re

from datasette import Response, hookimpl
from datasette.utils import tilde_decode
from markupsafe import Markup

from db.entity_pages import entity_page
from db.explorer import is_explorer, is_frontline
from db.explorer_home import home_view, search_page
from db.explorer_lists import list_view, uncounted_search
from db.feeds import atom_feed, feed_link
from db.reading_page import article_page
from db.timelines import timeline_page


@hookimpl
def register_routes(datasette):
    if not is_explorer(datasette):
        return []
    return [(r"^/(?P<database>[^/]+)/-/article/(?P<id>[^/]+)$", article_page),
            (r"^/(?P<database>[^/]+)/-/entity/(?P<id>[^/]+)$", entity_page),
            (r"^/(?P<database>[^/]+)/-/timeline$", timeline_page),
            (r"^/(?P<database>[^/]+)/-/search$", search_page),
            (r"^/(?P<database>[^/]+)/-/feed\.atom$", atom_feed)]


LIST_PATH = re.compile(r"^/(?P<database>[^/]+)/(?:articles|comments)(?:\.json)?$")  # db/explorer_lists.py


@hookimpl
def asgi_wrapper(datasette):
    """Read-only means every method but GET/HEAD/OPTIONS is refused plainly (0.65 would answer 500); a plain
    search of the articles or comments list is not counted by Datasette (explorer_lists.uncounted_search)."""
    if not is_explorer(datasette):
        return None

    def wrap(app):
        async def read_only(scope, receive, send):
            if scope["type"] == "http" and scope["method"] not in ("GET", "HEAD", "OPTIONS"):
                response = Response.text("This frontline instance is read-only.", status=405,
                                         headers={"Allow": "GET, HEAD, OPTIONS"})
                await response.asgi_send(send)
                return
            listed = LIST_PATH.match(scope["path"]) if scope["type"] == "http" else None
            if listed and await is_frontline(datasette, tilde_decode(listed["database"])):
                query_string = uncounted_search(scope.get("query_string", b""))
                if query_string is not None:
                    scope = dict(scope, query_string=query_string, frontline_uncounted=True)
            await app(scope, receive, send)
        return read_only
    return wrap


LINKED = {("articles", "title"), ("entities", "name"), (None, "title"), (None, "entity"), (None, "name")}  # may link


def cell_page(row, column: str, table: str | None) -> str | None:
    """The page a cell of a frontline database opens: an article's title its reading page, in the articles table
    and in any query that selects `article_id`; an entity's name its page, in the entities table and in any
    query that selects `entity_id`."""
    keys = row.keys()
    if table == "articles" and "id" in keys:
        return f"article/{row['id']}"
    if table == "entities" and "id" in keys:
        return f"entity/{row['id']}"
    if table is None and column == "title" and "article_id" in keys:
        return f"article/{row['article_id']}"
    if table is None and column in ("entity", "name") and "entity_id" in keys:
        return f"entity/{row['entity_id']}"
    return None


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    """Titles and names link to the reading and entity pages rather than the bare row."""
    if not value or (table, column) not in LINKED or not is_explorer(datasette):
        return None

    async def link():
        page = cell_page(row, column, table) if await is_frontline(datasette, database) else None
        if page is None:
            return None
        return Markup('<a href="{}">{}</a>').format(datasette.urls.path(f"/{database}/-/{page}"), value)
    return link


@hookimpl
def extra_template_vars(view_name, database, table, request, datasette):
    """The home section, the compact lists, the folded glossary and the feed links of frontline's pages."""
    if not is_explorer(datasette) or request is None:
        return None

    async def variables():
        if view_name in ("index", "database"):
            return await home_view(datasette, view_name, database)
        if view_name != "table" or not await is_frontline(datasette, database):
            return {}
        feed = feed_link(datasette, database, request.args.get("_search")) if table == "articles" else None
        return await list_view(datasette, database, table, request) | {
            "frontline_glossary": True, "frontline_feed": feed}
    return variables
