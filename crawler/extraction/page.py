"""One entry point for every page, whatever its format."""

from __future__ import annotations

from .decode import DecodedPage
from .html import extract_html
from .html_comments import parse_html_comments
from .model import Comment, Extraction
from .text import segment_text


def extract_page(page: DecodedPage, url: str | None = None, parts=(), comment_selectors=None) -> Extraction:
    """One article from its first page and its further pages, given as (role, DecodedPage, url):
    "article" pages continue the body; "comments" pages continue the thread, in page order."""
    if page.format == "html":
        extraction = extract_html(page.text, url, comment_selectors)
    else:
        extraction = segment_text(page.text, url)
    extraction.warnings[:0] = page.warnings
    for role, part, part_url in parts:
        if role == "article":
            more = extract_html(part.text, part_url, comment_selectors)
            extraction.body = "\n\n".join(filter(None, [extraction.body, more.body]))
            extraction.media += more.media
            comments = more.comments
        else:
            comments, declared = parse_html_comments(part.text, comment_selectors)
            extraction.comments_declared = extraction.comments_declared or declared
        merge_comments(extraction.comments, comments)
    return extraction


def merge_comments(thread: list[Comment], more: list[Comment]) -> None:
    """Append a further page's comments; ones already seen (multi-page posts repeat the thread) are skipped
    and replies keep pointing at the right comment."""
    seen = {(c.author, c.text): i for i, c in enumerate(thread)}
    index_of: dict[int, int] = {}
    for local, comment in enumerate(more):
        key = (comment.author, comment.text)
        if key in seen:
            index_of[local] = seen[key]
            continue
        if comment.reply_to is not None:
            comment.reply_to = index_of.get(comment.reply_to)
            comment.reply_by = comment.reply_by if comment.reply_to is not None else None
        index_of[local] = seen[key] = len(thread)
        thread.append(comment)


def extractor_version(extractor: str) -> str:
    """Recorded with each article, so re-extraction can tell which pages an upgrade may change."""
    from crawler import __version__

    if extractor == "trafilatura":
        import trafilatura

        return f"trafilatura {trafilatura.__version__}; frontline {__version__}"
    return f"frontline {__version__}"
