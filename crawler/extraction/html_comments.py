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
    ".//*[contains(concat(' ', normalize-space(@class), ' '), ' author ')]", ".//*[contains(@class, 'username')]",
]
META_CLASSES = ("comment-author", "comment-meta", "comment-metadata", "reply", "comment-date", "vcard")
SAYS = re.compile(r"\s*(?:says|said|wrote)\s*:?\s*$", re.IGNORECASE)


def parse_html_comments(markup, selectors=None) -> tuple[list[Comment], int | None]:
    """Comments in page order with nesting-based reply links, and the count a heading declares.

    `selectors` (a site profile's CommentSelectors: container, author, date, text; CSS) replaces the
    generic rules for sites whose markup they do not fit.
    """
    tree = markup if not isinstance(markup, str) else _parse(markup)  # a string, or an already parsed tree
    if tree is None:
        return [], None
    custom = selectors if selectors is not None and selectors.container else None
    nodes = tree.cssselect(custom.container) if custom else tree.xpath(COMMENT_NODES)
    index_of = {node: i for i, node in enumerate(nodes)}
    position: dict[int, int] = {}  # node index -> position among comments that have text
    comments = []
    for i, node in enumerate(nodes):
        if custom and custom.text:
            text = "\n\n".join(_texts(_own_css(node, custom.text, index_of)))
        else:
            text = "\n\n".join(_own_paragraphs(node, index_of))
        if not text:
            continue
        author = (next(iter(_texts(_own_css(node, custom.author, index_of))), None)
                  if custom and custom.author else _author(node, index_of))
        posted = (next((d for e in _own_css(node, custom.date, index_of) if (d := _date_of(e))), None)
                  if custom and custom.date else _posted(node, index_of))
        parent = position.get(_parent_comment(node, index_of))
        position[i] = len(comments)
        comments.append(Comment(author=author, text=text, posted=posted,
                                reply_to=parent, reply_by="nesting" if parent is not None else None))
    return comments, _declared(tree)


def _parse(markup: str):
    try:
        return lxml_html.fromstring(markup)
    except (ValueError, lxml_html.etree.ParserError):
        return None


def _own_css(node, css: str, index_of) -> list:
    return [e for e in node.cssselect(css) if _belongs_to(e, node, index_of)]


def _texts(elements) -> list[str]:
    return [text for e in elements if (text := " ".join(e.text_content().split()))]


def _date_of(element) -> str | None:
    return parse_date(element.get("datetime") or "") or parse_date(element.text_content())


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
    """A machine-readable <time datetime> first: the visible text often drops the time of day."""
    for query in (".//time[@datetime]", ".//time | .//*[contains(@class, 'comment-meta') or contains(@class, 'comment-date')]"):
        for element in node.xpath(query):
            if _belongs_to(element, node, index_of) and (posted := _date_of(element)):
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
