"""frontline's Datasette plugin: reading, entity and timeline pages (db/reading_page.py, db/entity_pages.py,
db/timelines.py), and links to them.

Registered through the `datasette` entry point in pyproject.toml. Everything scraped is rendered
through Jinja's autoescaping: a comment that contains <script> shows as text, never runs.
"""

from __future__ import annotations

from datasette import Response, hookimpl
from markupsafe import Markup

from db.entity_pages import entity_page
from db.reading_page import article_page
from db.timelines import timeline_page


@hookimpl
def register_routes():
    return [(r"^/(?P<database>[^/]+)/-/article/(?P<id>[^/]+)$", article_page),
            (r"^/(?P<database>[^/]+)/-/entity/(?P<id>[^/]+)$", entity_page),
            (r"^/(?P<database>[^/]+)/-/timeline$", timeline_page)]


@hookimpl
def asgi_wrapper(datasette):
    """Read-only means every method but GET/HEAD/OPTIONS is refused plainly (0.65 would answer 500)."""
    def wrap(app):
        async def read_only(scope, receive, send):
            if scope["type"] == "http" and scope["method"] not in ("GET", "HEAD", "OPTIONS"):
                response = Response.text("This frontline instance is read-only.", status=405,
                                         headers={"Allow": "GET, HEAD, OPTIONS"})
                await response.asgi_send(send)
                return
            await app(scope, receive, send)
        return read_only
    return wrap


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    """Article titles link to the article page rather than the bare row."""
    if table == "articles" and column == "title" and value:
        url = datasette.urls.path(f"/{database}/-/article/{row['id']}")
        return Markup('<a href="{}">{}</a>').format(url, value)
    return None
