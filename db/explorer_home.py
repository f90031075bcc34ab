"""The home page (`/` and `/DATABASE`) and its search page: what the collection holds, one search box over
articles and comments, what is new and discussed, who and where the latest reporting is about, and whether the
recent runs went well."""

from __future__ import annotations

import sqlite3

from datasette import Response

from db.explorer import frontline_route, is_frontline
from db.explorer_search import ARTICLE_MATCHES, COMMENT_MATCHES, count, fts_query, how_many, matches
from db.feeds import feed_link

LATEST = 8  # rows in each of the home page's lists
RESULTS = 20  # articles and comments each on the search page; the tables list them all
WINDOW_DAYS = 30  # "top actors and places" counts the articles of the collection's last 30 days

COUNTS = ("select (select count(*) from articles) as articles, (select count(*) from comments) as comments, "
          "(select count(*) from sources) as sources, (select min(published) from articles) as first, "
          "(select max(published) from articles) as last")
ARTICLES = ("select a.id, a.title, a.published, a.comment_count, s.name as source "
            "from articles a left join sources s on s.id = a.source_id")
TOP_ENTITIES = """
    select e.id, e.name, e.kind, sum(l.count) as mentions, count(distinct l.article_id) as articles
    from articles a join article_entities l on l.article_id = a.id join entities e on e.id = l.entity_id
    where a.published >= date(:last, :window) and (e.kind = 'place') = :places
    group by e.id order by mentions desc, e.name limit :limit"""
RUNS = ("select id, spider, target, started_at, finished_at, finish_reason, imported, updated, unchanged, "
        "rejected, skipped, errors, flags from crawl_runs order by id desc limit 5")


def health(run: dict) -> tuple[str, str]:
    """ok, running or flagged, and why: the run's flags (crawl_runs.flags), or how it ended."""
    if run["flags"]:
        return "flagged", run["flags"]
    if run["finish_reason"] not in (None, "finished"):
        return "flagged", f"ended: {run['finish_reason']}"
    if run["finished_at"] is None:
        return "running", "not finished yet"
    return "ok", ""


async def home(datasette, database: str) -> dict:
    """What the home page shows of one frontline database."""
    db = datasette.get_database(database)

    async def rows(sql, params=None):
        return [dict(row) for row in await db.execute(sql, params or {})]

    counts = (await rows(COUNTS))[0]
    window = {"last": counts["last"], "window": f"-{WINDOW_DAYS} days", "limit": LATEST}
    runs = await rows(RUNS)
    for run in runs:
        run["health"], run["why"] = health(run)
    return {
        "database": database, "counts": counts, "window_days": WINDOW_DAYS, "runs": runs,
        "newest": await rows(f"{ARTICLES} order by a.published desc nulls last, a.id desc limit {LATEST}"),
        "discussed": await rows(f"{ARTICLES} where a.comment_count > 0 "
                                f"order by a.comment_count desc, a.published desc limit {LATEST}"),
        "actors": await rows(TOP_ENTITIES, window | {"places": 0}) if counts["last"] else [],
        "places": await rows(TOP_ENTITIES, window | {"places": 1}) if counts["last"] else [],
    }


async def home_view(datasette, view_name: str, database: str | None) -> dict:
    """Template variables of the home section: on `/` for the first frontline database served."""
    if view_name == "index":
        names = [name for name in datasette.databases if await is_frontline(datasette, name)]
        database = names[0] if names else None
    elif not await is_frontline(datasette, database):
        return {}
    if not database:
        return {}
    return {"frontline_home": await home(datasette, database), "frontline_feed": feed_link(datasette, database)}


@frontline_route
async def search_page(datasette, request):
    """`/DATABASE/-/search?q=...`: the best articles and comments for the words, each with its passage."""
    name = request.url_vars["database"]
    db = datasette.get_database(name)
    words, query = (request.args.get("q") or "").strip(), fts_query(request)
    context = {"database": name, "words": words, "articles": [], "comments": [], "article_total": 0,
               "comment_total": 0, "how_many": how_many, "frontline_feed": feed_link(datasette, name, words)}
    try:
        if query:
            context |= {
                "articles": await matches(db, ARTICLE_MATCHES, "articles_fts", query, RESULTS),
                "comments": await matches(db, COMMENT_MATCHES, "comments_fts", query, RESULTS),
                "article_total": await count(db, "articles_fts", query),
                "comment_total": await count(db, "comments_fts", query),
            }
    except sqlite3.OperationalError as error:  # FTS5 syntax of a raw-mode search
        context["error"] = str(error)
    return Response.html(await datasette.render_template("frontline_search.html", context, request=request))
