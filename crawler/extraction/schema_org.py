"""schema.org comments declared in a page's JSON-LD: a record per comment, with author, date, text and parent.

News and forum pages that load their thread by script often still declare it for search engines: an Article or
DiscussionForumPosting whose `comment` holds Comment nodes, each of which may hold its replies in its own
`comment`; older pages use UserComments (`creator`, `commentTime`, `commentText`). Read from there, a thread has
authors, dates and parents even when the markup has none (html_comments.py tries this after the registry).
"""

from __future__ import annotations

import json
from functools import lru_cache

from .dates import parse_date
from .model import Comment

JSON_LD = "//script[@type='application/ld+json']/text()"
COMMENT_TYPES = frozenset({"Comment", "UserComments", "DiscussionForumPosting", "Answer"})
AUTHOR_KEYS = ("author", "creator")
DATE_KEYS = ("dateCreated", "datePublished", "commentTime", "uploadDate")
TEXT_KEYS = ("text", "commentText", "articleBody", "description")


@lru_cache(maxsize=1)
def json_ld_documents(tree) -> tuple:
    """The page's parsed JSON-LD blocks, malformed ones left out. Kept for the last tree: the title cleaner
    (publisher) and the comment reader both ask."""
    documents = []
    for script in tree.xpath(JSON_LD):
        try:
            documents.append(json.loads(script))
        except ValueError:
            continue
    return tuple(documents)


def json_ld_nodes(tree) -> list[dict]:
    """The top-level nodes of every block: a list, an @graph, or the document itself."""
    nodes: list[dict] = []
    for data in json_ld_documents(tree):
        for item in data if isinstance(data, list) else [data]:
            if isinstance(item, dict):
                nodes += [n for n in item.get("@graph", [item]) if isinstance(n, dict)]
    return nodes


def json_ld_comments(tree) -> list[Comment]:
    """Comments in page order, replies after their parent; `structure` "schema.org"."""
    comments: list[Comment] = []
    for node in json_ld_nodes(tree):
        if _types(node) & {"Comment", "UserComments"}:
            _read(node, None, comments)  # a thread declared as top-level Comment nodes
        else:
            for child in _children(node):  # the article's (or forum post's) `comment` list
                _read(child, None, comments)
    return comments


def _read(node: dict, parent: int | None, comments: list[Comment]) -> None:
    text = _text(node)
    if text:
        name, url = _author(node)
        raw_date = next((node[k] for k in DATE_KEYS if isinstance(node.get(k), str)), None)
        comments.append(Comment(author=name, text=text, posted=parse_date(raw_date) if raw_date else None,
                                posted_text=raw_date, author_url=url, reply_to=parent,
                                reply_by="nesting" if parent is not None else None, structure="schema.org"))
        parent = len(comments) - 1
    for child in _children(node):
        _read(child, parent, comments)


def _types(node: dict) -> set[str]:
    kinds = node.get("@type", [])
    return {k.rsplit("/", 1)[-1] for k in ([kinds] if isinstance(kinds, str) else kinds) if isinstance(k, str)}


def _children(node: dict) -> list[dict]:
    """The comment nodes under a node's `comment` (one node or a list); answers of a question too."""
    found = []
    for key in ("comment", "suggestedAnswer", "acceptedAnswer"):
        value = node.get(key)
        found += [v for v in (value if isinstance(value, list) else [value])
                  if isinstance(v, dict) and _types(v) & COMMENT_TYPES]
    return found


def _text(node: dict) -> str:
    raw = next((node[k] for k in TEXT_KEYS if isinstance(node.get(k), str) and node[k].strip()), "")
    paragraphs = (" ".join(p.split()) for p in raw.replace("\r", "").split("\n\n"))
    return "\n\n".join(p for p in paragraphs if p)


def _author(node: dict) -> tuple[str | None, str | None]:
    """(name, profile URL): the author as a string, a Person node, or the first of a list."""
    value = next((node[k] for k in AUTHOR_KEYS if node.get(k)), None)
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        name, url = value.get("name"), value.get("url")
        return (" ".join(name.split()) if isinstance(name, str) and name.strip() else None,
                url if isinstance(url, str) and url.startswith("http") else None)
    return (" ".join(value.split()) or None, None) if isinstance(value, str) else (None, None)
