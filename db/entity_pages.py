"""Entity pages, `/DATABASE/-/entity/ID`: an actor or a place, its mentions month by month in articles and in
comments, the articles that mention it most, the entities it appears with, and for a place a small map.

The map is drawn by the Leaflet that datasette-leaflet bundles (no CDN), on the tiles the map of all places
uses.
"""

from __future__ import annotations

import json

from datasette import Response
from datasette_cluster_map import TILE_LAYER, TILE_LAYER_OPTIONS

from db.charts import chart, month_series
from db.explorer import frontline_route
from db.reading_page import row_id_of

TOP_ARTICLES = 20
TOP_COMPANIONS = 20

MENTIONS_BY_MONTH = """
select 'in articles' as series, a.published_month as month, sum(l.count) as n
from article_entities l join articles a on a.id = l.article_id
where l.entity_id = :id group by month
union all
select 'in comments', substr(coalesce(c.posted, a.published), 1, 7) as month, sum(l.count)
from comment_entities l join comments c on c.id = l.comment_id join articles a on a.id = c.article_id
where l.entity_id = :id group by month
"""
TOP_ARTICLES_SQL = f"""
select a.id, a.title, a.published, s.name as source, sum(l.count) as mentions
from article_entities l join articles a on a.id = l.article_id left join sources s on s.id = a.source_id
where l.entity_id = :id group by a.id order by mentions desc, a.published desc limit {TOP_ARTICLES}
"""
# in how many articles each other entity is mentioned alongside this one
COMPANIONS_SQL = f"""
select e.id, e.name, e.kind, count(distinct other.article_id) as articles
from article_entities this join article_entities other
  on other.article_id = this.article_id and other.entity_id != this.entity_id
join entities e on e.id = other.entity_id
where this.entity_id = :id group by e.id order by articles desc, e.name limit {TOP_COMPANIONS}
"""
COMMENT_MENTIONS_SQL = "select count(distinct comment_id) as comments, coalesce(sum(count), 0) as mentions " \
                       "from comment_entities where entity_id = :id"


@frontline_route
async def entity_page(datasette, request):
    name = request.url_vars["database"]
    db = datasette.get_database(name)  # one frontline made (frontline_route)
    entity_id = row_id_of(request.url_vars["id"])
    if entity_id is None:
        return Response.html("No such entity", status=404)
    rows = (await db.execute("select * from entities where id = ?", [entity_id])).rows
    if not rows:
        return Response.html(f"No entity {entity_id}", status=404)
    entity = dict(rows[0])
    params = {"id": entity_id}
    series = month_series((await db.execute(MENTIONS_BY_MONTH, params)).rows, "series")
    located = entity["latitude"] is not None and entity["longitude"] is not None
    return Response.html(await datasette.render_template("entity.html", {
        "database": name, "entity": entity, "aliases": json.loads(entity["aliases"] or "[]"),
        "chart": chart(series, f"Mentions of {entity['name']} per month"),
        "articles": [dict(r) for r in (await db.execute(TOP_ARTICLES_SQL, params)).rows],
        "companions": [dict(r) for r in (await db.execute(COMPANIONS_SQL, params)).rows],
        "in_comments": dict((await db.execute(COMMENT_MENTIONS_SQL, params)).rows[0]),
        "map": {"latitude": entity["latitude"], "longitude": entity["longitude"], "tiles": TILE_LAYER,
                "options": TILE_LAYER_OPTIONS} if located else None,
    }, request=request))
