"""Saved or fetched HTML through trafilatura: one bare_extraction call, body and comments kept apart."""

from __future__ import annotations

import trafilatura

from .comments import comment_header_count
from .model import Boilerplate, Comment, Extraction
from .text import split_segments, PageSegmenter

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
    page.body = "\n\n".join(line.strip() for line in (document.text or "").splitlines() if line.strip())
    page.tags = [tag for tag in (document.tags or []) if tag]
    page.boilerplate = [Boilerplate("categories", c) for c in (document.categories or []) if c]
    page.comments, page.comments_declared = split_comment_blob(document.comments or "")
    return page


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
