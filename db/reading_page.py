"""The reading page, `/DATABASE/-/article/ID`: an article, its provenance, and its comments as a reply tree.

Everything scraped is rendered through Jinja's autoescaping: a comment that contains <script> shows as text,
never runs.
"""

from __future__ import annotations

import json

from datasette import Response

from db.explorer import frontline_route


MAX_DEPTH = 6  # indentation levels of a thread
FOLD_REPLIES = 4  # a comment with more replies than this shows them folded (<details>), one click away
PROVENANCE_COLUMNS = ("arrived_via", "origin_path", "origin_offset")  # shown when the schema has them
REPLY_FOUND_BY = {"nesting": "found by the page's nesting", "mention": "found by an @name mention"}  # comments.reply_by


def web_link(url: str | None) -> str | None:
    """Scraped addresses become links only when they are http(s): never javascript: or data:."""
    return url if url and url.lower().startswith(("http://", "https://")) else None


def row_id_of(text: str) -> int | None:
    """A row id in a page's address is a positive SQLite integer: anything else (2**63, -1, abc) is a page not
    found, never an OverflowError and a 500."""
    if not text.isascii() or not text.isdigit():
        return None
    number = int(text)
    return number if 0 < number < 2**63 else None


def reply_tree(comments: list[dict]) -> list[dict]:
    """The comments (in page order) as a forest: each gains `parent` (the comment it answers, or None),
    `children` (its replies, in page order) and `replies` (how many comments sit below it). Links to an earlier
    comment are taken first, then links to a later one unless they would close a loop; a parent that is not on
    the page leaves the comment at the top level. Every comment shows exactly once. Below MAX_DEPTH levels the
    replies of a long exchange line up under the last indented one (each still says whom it answers): deeper
    indentation would leave no room for the text, and no depth can exhaust the template's recursion."""
    by_id = {c["id"]: c for c in comments}
    order = {c["id"]: index for index, c in enumerate(comments)}
    for comment in comments:
        comment["parent"], comment["children"] = None, []
    links = [(c, by_id[c["parent_id"]]) for c in comments if c["parent_id"] in by_id]
    for comment, parent in sorted(links, key=lambda link: order[link[1]["id"]] > order[link[0]["id"]]):
        if not answers_itself(comment, parent):
            comment["parent"] = parent
            parent["children"].append(comment)
    roots = [c for c in comments if c["parent"] is None]
    depth = {}
    for comment in tree_order(roots):
        depth[comment["id"]] = 0 if comment["parent"] is None else depth[comment["parent"]["id"]] + 1
        if depth[comment["id"]] == MAX_DEPTH - 1 and comment["children"]:
            below = tree_order(comment["children"])
            for reply in below:
                reply["children"] = []
            comment["children"] = below
    for comment in comments:
        comment["children"].sort(key=lambda child: order[child["id"]])
    for comment in reversed(tree_order(roots)):
        comment["replies"] = sum(1 + child["replies"] for child in comment["children"])
    return roots


def tree_order(roots: list[dict]) -> list[dict]:
    """Every comment of these trees, each before its replies (without recursion: threads can be long)."""
    ordered, stack = [], list(reversed(roots))
    while stack:
        comment = stack.pop()
        ordered.append(comment)
        stack.extend(reversed(comment["children"]))
    return ordered


def answers_itself(comment: dict, parent: dict | None) -> bool:
    """Whether the reply links taken so far lead from parent back up to comment."""
    while parent is not None:
        if parent is comment:
            return True
        parent = parent["parent"]
    return False


@frontline_route
async def article_page(datasette, request):
    name = request.url_vars["database"]
    db = datasette.get_database(name)  # one frontline made (frontline_route)
    article_id = row_id_of(request.url_vars["id"])
    if article_id is None:
        return Response.html("No such article", status=404)
    rows = (await db.execute(
        "select a.*, s.name as source from articles a left join sources s on s.id = a.source_id where a.id = ?",
        [article_id])).rows
    if not rows:
        return Response.html(f"No article {article_id}", status=404)
    article = dict(rows[0])
    comments = [dict(r) for r in (await db.execute(
        "select id, position, author, posted, body, parent_id, reply_by, structure from comments "
        "where article_id = ? order by position", [article_id])).rows]
    for comment in comments:
        comment["paragraphs"] = (comment["body"] or "").split("\n\n")
        comment["found_by"] = REPLY_FOUND_BY.get(comment["reply_by"], comment["reply_by"])
    entities = [dict(r) for r in (await db.execute(
        "select e.id, e.name, e.kind, sum(l.count) as mentions from article_entities l "
        "join entities e on e.id = l.entity_id where l.article_id = ? group by e.id order by mentions desc, e.name",
        [article_id])).rows]
    media = [dict(r) for r in (await db.execute(
        "select src, caption, credit from media where article_id = ? order by position", [article_id])).rows]
    versions = [dict(r) for r in (await db.execute(
        "select id, version, title, replaced_at from article_versions where article_id = ? order by version desc",
        [article_id])).rows]
    article["link"] = web_link(article["url"])
    for item in media:
        item["link"] = web_link(item["src"])
    return Response.html(await datasette.render_template("article.html", {
        "database": name, "article": article, "paragraphs": (article["body"] or "").split("\n\n"),
        "tags": json.loads(article["tags"] or "[]"), "thread": reply_tree(comments), "comment_count": len(comments),
        "fold_replies": FOLD_REPLIES, "entities": entities, "media": media,
        "versions": versions,
        "provenance": {column: article[column] for column in PROVENANCE_COLUMNS if article.get(column) is not None},
    }, request=request))
