"""Comments from HTML markup (WordPress lists, generic `.comment` blocks): one row per comment.

trafilatura returns a page's comments as one text blob without authors or dates; the markup still has
them, and its nesting (`ol.children`) says who replies to whom.
"""

from __future__ import annotations

import re

from lxml import html as lxml_html

from .comments import comment_header_count
from .dates import parse_date
from .model import Comment

COMMENT_NODES = (
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' comment ')"
    " or (self::li and starts-with(@id, 'comment-'))]"
)
AUTHOR_PATHS = [
    ".//*[contains(concat(' ', normalize-space(@class), ' '), ' fn ')]", ".//cite",
    ".//*[contains(@class, 'comment-author')]", ".//*[@itemprop='author']",
]
META_CLASSES = ("comment-author", "comment-meta", "comment-metadata", "reply", "comment-date", "vcard")
SAYS = re.compile(r"\s*(?:says|said|wrote)\s*:?\s*$", re.IGNORECASE)


def parse_html_comments(markup: str) -> tuple[list[Comment], int | None]:
    """Comments in page order with nesting-based reply links, and the count a heading declares."""
    try:
        tree = lxml_html.fromstring(markup)
    except (ValueError, lxml_html.etree.ParserError):
        return [], None
    nodes = tree.xpath(COMMENT_NODES)
    index_of = {node: i for i, node in enumerate(nodes)}
    position: dict[int, int] = {}  # node index -> position among comments that have text
    comments = []
    for i, node in enumerate(nodes):
        text = "\n\n".join(_own_paragraphs(node, index_of))
        if not text:
            continue
        parent = position.get(_parent_comment(node, index_of))
        position[i] = len(comments)
        comments.append(Comment(author=_author(node, index_of), text=text, posted=_posted(node, index_of),
                                reply_to=parent, reply_by="nesting" if parent is not None else None))
    return comments, _declared(tree)


def _nearest(element, index_of):
    ancestor = element.getparent()
    while ancestor is not None and ancestor not in index_of:
        ancestor = ancestor.getparent()
    return ancestor


def _belongs_to(element, node, index_of) -> bool:
    return element is node or _nearest(element, index_of) is node


def _in_meta(element, node) -> bool:
    while element is not None and element is not node:
        classes = (element.get("class") or "").split()
        if any(c in META_CLASSES for c in classes):
            return True
        element = element.getparent()
    return False


def _own_paragraphs(node, index_of) -> list[str]:
    paragraphs = []
    for p in node.iter("p"):
        if _belongs_to(p, node, index_of) and not _in_meta(p, node):
            text = " ".join(p.text_content().split())
            if text:
                paragraphs.append(text)
    return paragraphs


def _author(node, index_of) -> str | None:
    for path in AUTHOR_PATHS:
        for element in node.xpath(path):
            if _belongs_to(element, node, index_of):
                name = SAYS.sub("", " ".join(element.text_content().split()))
                if name:
                    return name
    return None


def _posted(node, index_of) -> str | None:
    for element in node.xpath(".//time | .//*[contains(@class, 'comment-meta') or contains(@class, 'comment-date')]"):
        if _belongs_to(element, node, index_of):
            posted = parse_date(element.get("datetime") or "") or parse_date(element.text_content())
            if posted:
                return posted
    return None


def _parent_comment(node, index_of) -> int | None:
    ancestor = _nearest(node, index_of)
    return index_of[ancestor] if ancestor is not None else None


def _declared(tree) -> int | None:
    for heading in tree.xpath("//h1 | //h2 | //h3 | //h4 | //*[contains(@class, 'comments-title')]"):
        is_header, count = comment_header_count(" ".join(heading.text_content().split()))
        if is_header and count is not None:
            return count
    return None
