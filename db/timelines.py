"""The timeline page, `/DATABASE/-/timeline?actor=ISIS&actor=Wagner`: articles per month of each source, and
the mentions per month of the actors asked for (any name or alias, `actor` repeated), or of the actors
mentioned most when none is asked for."""

from __future__ import annotations

from datasette import Response

from db.charts import chart, month_series
from db.explorer import frontline_route

DEFAULT_ACTORS = 5

ARTICLES_BY_SOURCE = """
select s.name as source, a.published_month as month, count(*) as n
from articles a left join sources s on s.id = a.source_id
group by a.source_id, month order by source
"""
TOP_ACTORS = f"""
select e.id, e.name from entities e join article_entities l on l.entity_id = e.id
where e.kind != 'place' group by e.id order by sum(l.count) desc limit {DEFAULT_ACTORS}
"""
NAMED = """
select id, name from entities
where name = :name collate nocase or exists (select 1 from json_each(aliases) where value = :name collate nocase)
"""
MENTIONS_BY_MONTH = """
select a.published_month as month, sum(l.count) as n
from article_entities l join articles a on a.id = l.article_id
where l.entity_id = ? group by month
"""


@frontline_route
async def timeline_page(datasette, request):
    name = request.url_vars["database"]
    db = datasette.get_database(name)  # one frontline made (frontline_route)
    asked = [actor.strip() for actor in request.args.getlist("actor") if actor.strip()]
    actors, unknown = [], []
    for actor in asked:
        found = [dict(r) for r in (await db.execute(NAMED, {"name": actor})).rows]
        actors += [entity for entity in found if entity not in actors]
        unknown += [] if found else [actor]
    if not asked:
        actors = [dict(r) for r in (await db.execute(TOP_ACTORS)).rows]
    rows = [{"entity": entity["name"], **dict(row)} for entity in actors
            for row in (await db.execute(MENTIONS_BY_MONTH, [entity["id"]])).rows]
    mentions = month_series(rows, "entity")
    sources = month_series((await db.execute(ARTICLES_BY_SOURCE)).rows, "source")
    return Response.html(await datasette.render_template("timeline.html", {
        "database": name, "asked": asked, "actors": actors, "unknown": unknown,
        "sources_chart": chart(sources, "Articles per month of each source"),
        "actors_chart": chart(mentions, "Mentions per month of the chosen actors", kind="lines"),
    }, request=request))
