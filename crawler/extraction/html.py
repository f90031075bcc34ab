"""Saved or fetched HTML through trafilatura: one bare_extraction call, body and comments kept apart."""

from __future__ import annotations

import trafilatura

from lxml import html as lxml_html

from .comments import comment_header_count, link_replies_by_mention
from .html_comments import parse_html_comments
from .model import Boilerplate, Comment, Extraction
from .text import PageSegmenter, split_segments

EXTRACTOR = "trafilatura"


def extract_html(html: str, url: str | None = None) -> Extraction:
    """Article body, metadata and comments of one HTML page (comments split by the text segmenter)."""
    document = trafilatura.bare_extraction(
        html, url=url, include_comments=True, with_metadata=True, include_tables=True,
        deduplicate=False,
    )
    page = Extraction(extractor=EXTRACTOR)
    if document is None:
        page.warnings.append("no article body found")
        return page
    page.title = document.title or None
    page.author = document.author or None
    if document.date:
        page.published, page.date_source = document.date[:10], "metadata"
    paragraphs = [line.strip() for line in (document.text or "").splitlines() if line.strip()]
    if paragraphs and page.title and paragraphs[0] == page.title:
        paragraphs.pop(0)  # the headline is metadata, not body
    page.body = "\n\n".join(paragraphs)
    page.tags = [tag for tag in (document.tags or []) if tag] or tag_links(html)
    page.boilerplate = [Boilerplate("categories", c) for c in (document.categories or []) if c]
    page.comments, page.comments_declared = parse_html_comments(html)
    if not page.comments:
        page.comments, page.comments_declared = split_comment_blob(document.comments or "")
    link_replies_by_mention(page.comments)
    return page


def tag_links(html: str) -> list[str]:
    """WordPress and most CMSs mark tag links rel="tag"; trafilatura only reads tags from meta elements."""
    try:
        tree = lxml_html.fromstring(html)
    except (ValueError, lxml_html.etree.ParserError):
        return []
    names = (" ".join(a.text_content().split()) for a in tree.xpath("//a[contains(concat(' ', @rel, ' '), ' tag ')]"))
    return list(dict.fromkeys(name for name in names if name))


def split_comment_blob(blob: str) -> tuple[list[Comment], int | None]:
    """trafilatura returns all comments as one text; recover separate comments where author lines show."""
    if not blob.strip():
        return [], None
    segmenter = PageSegmenter("")
    segmenter.segments = split_segments(blob)
    segmenter.read_thread(segmenter.segments)
    comments = segmenter.page.comments
    declared = segmenter.page.comments_declared
    if not comments:
        first = blob.strip().splitlines()[0]
        declared = comment_header_count(first)[1]
        comments = [Comment(author=None, text=blob.strip())]
    return comments, declared
