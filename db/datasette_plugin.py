"""frontline's Datasette plugin: an article page with its threaded comments, and links to it.

Registered through the `datasette` entry point in pyproject.toml, so every Datasette in the environment loads
it: each hook acts only in frontline's explorer and on frontline's databases (db/explorer.py). Everything
scraped is rendered through Jinja's autoescaping: a comment that contains <script> shows as text, never runs.
"""

from __future__ import annotations

import json

from datasette import Response, hookimpl
from markupsafe import Markup

from db.explorer import frontline_route, is_explorer, is_frontline
from db.explorer_home import home_view, search_page
from db.explorer_lists import list_view
from db.feeds import atom_feed, feed_link


@hookimpl
def register_routes(datasette):
    if not is_explorer(datasette):
        return []
    return [(r"^/(?P<database>[^/]+)/-/article/(?P<id>[^/]+)$", frontline_route(article_page)),
            (r"^/(?P<database>[^/]+)/-/search$", search_page),
            (r"^/(?P<database>[^/]+)/-/feed\.atom$", atom_feed)]


@hookimpl
def asgi_wrapper(datasette):
    """Read-only means every method but GET/HEAD/OPTIONS is refused plainly (0.65 would answer 500)."""
    if not is_explorer(datasette):
        return None

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


def web_link(url: str | None) -> str | None:
    """Scraped addresses become links only when they are http(s): never javascript: or data:."""
    return url if url and url.lower().startswith(("http://", "https://")) else None


LINKED = {("articles", "title"), (None, "title"), (None, "entity"), (None, "name")}  # (table, column) that may link


def cell_page(row, column: str, table: str | None) -> str | None:
    """The page a cell of a frontline database opens: an article's title its reading page, in the articles table
    and in any query that selects `article_id`; an entity's name its page, in any query that selects `entity_id`."""
    keys = row.keys()
    if table == "articles" and "id" in keys:
        return f"article/{row['id']}"
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


def thread_depths(comments: list[dict]) -> list[int]:
    """How deep each comment sits in its reply chain (page order is kept, replies indent)."""
    by_id = {c["id"]: c for c in comments}
    depths = []
    for comment in comments:
        depth, parent, seen = 0, comment["parent_id"], set()
        while parent in by_id and parent not in seen:
            seen.add(parent)
            depth, parent = depth + 1, by_id[parent]["parent_id"]
        depths.append(depth)
    return depths


def article_id_of(text: str) -> int | None:
    """An article id is a positive SQLite integer: anything else (2**63, -1, abc) is a page not found,
    never an OverflowError and a 500."""
    if not text.isascii() or not text.isdigit():
        return None
    number = int(text)
    return number if 0 < number < 2**63 else None


async def article_page(datasette, request):
    name = request.url_vars["database"]
    try:
        db = datasette.get_database(name)
    except KeyError:
        return Response.html("Database not found", status=404)
    article_id = article_id_of(request.url_vars["id"])
    if article_id is None:
        return Response.html("No such article", status=404)
    rows = (await db.execute(
        "select a.*, s.name as source from articles a left join sources s on s.id = a.source_id where a.id = ?",
        [article_id])).rows
    if not rows:
        return Response.html(f"No article {article_id}", status=404)
    article = dict(rows[0])
    comments = [dict(r) for r in (await db.execute(
        "select id, position, author, posted, body, parent_id, reply_by from comments where article_id = ? "
        "order by position", [article_id])).rows]
    for comment, depth in zip(comments, thread_depths(comments)):
        comment["depth"] = depth
        comment["paragraphs"] = (comment["body"] or "").split("\n\n")
    entities = [dict(r) for r in (await db.execute(
        "select e.id, e.name, e.kind, sum(l.count) as mentions from article_entities l "
        "join entities e on e.id = l.entity_id where l.article_id = ? group by e.id order by mentions desc, e.name",
        [article_id])).rows]
    media = [dict(r) for r in (await db.execute(
        "select src, caption, credit from media where article_id = ? order by position", [article_id])).rows]
    position = {c["id"]: c["position"] for c in comments}
    article["link"] = web_link(article["url"])
    for item in media:
        item["link"] = web_link(item["src"])
    return Response.html(await datasette.render_template("article.html", {
        "database": name, "article": article, "paragraphs": (article["body"] or "").split("\n\n"),
        "tags": json.loads(article["tags"] or "[]"), "comments": comments, "entities": entities,
        "media": media, "position": position,
    }, request=request))
