"""Saved or fetched HTML through trafilatura (body, metadata) and the page markup (comments, figures).

The body comes from bare_extraction with include_comments=False: on some pages include_comments=True
changes the body itself, not just what is appended (one page of the shared benchmark went from 274
to 1,040 words, F1 0.96 -> 0.49). Comments come from their markup (html_comments). trafilatura's
comment text is the fallback for pages with a comment section whose markup yields no records: split on
author lines where they show, else kept whole as one comment; short blobs ("0 Comments", "Leave a Reply",
"Loading comments...") are furniture.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

import trafilatura

from .boilerplate import bio_author
from .comments import comment_header_count, link_replies_by_mention
from .dates import parse_date_line
from .html_comments import comment_regions, parse_html_comments, parse_markup, text_lines
from .model import Boilerplate, Comment, Extraction, Media
from .text import PageSegmenter, split_segments

EXTRACTOR = "trafilatura"


def extract_html(html: str, url: str | None = None, comment_selectors=None) -> Extraction:
    """Article body and metadata (trafilatura), comments, tags and figures (from the markup)."""
    # fast: no readability/jusText fallback. On the shared benchmark it took F1 from 0.962 to 0.965 (3 pages
    # better, 2 worse) and speed from 0.60x to 0.73x bare trafilatura (benchmarks/README.md)
    document = trafilatura.bare_extraction(html, url=url, include_comments=False, with_metadata=True, fast=True)
    page = Extraction(extractor=EXTRACTOR)
    if document is None:
        page.warnings.append("no article body found")
        return page
    page.title = document.title or None
    page.author = document.author or None
    if document.date:
        page.published, page.date_source = document.date[:10], "metadata"
    paragraphs = [line.strip() for line in (document.text or "").splitlines() if line.strip()]
    # headline, byline and date lines above the text are metadata, not body
    while paragraphs and (paragraphs[0] in (page.title, page.author) or parse_date_line(paragraphs[0])):
        paragraphs.pop(0)
    # a closing "X is a senior fellow at ..." is the author bio, as in text pages
    while paragraphs and (name := bio_author(paragraphs[-1])):
        page.boilerplate.append(Boilerplate("author_bio", paragraphs.pop()))
        page.author = page.author or name
    page.body = "\n\n".join(paragraphs)
    tree = parse_tree(html)
    page.tags = tag_links(tree)
    page.boilerplate += [Boilerplate("categories", c) for c in (document.categories or []) if c]
    page.media = figures(tree, url)
    # trafilatura keeps figcaptions and "Pages: 1 2 3" links as paragraphs; they are not the article
    not_body = {text for m in page.media for text in (m.caption, m.figcaption) if text} | pagination_texts(tree)
    if not_body:
        page.body = "\n\n".join(p for p in page.body.split("\n\n") if p not in not_body)
    read_comments(page, tree, html, url, comment_selectors)
    return page


CREDIT = re.compile(r"\s*\(?(?:Photo|Image|Picture|Credit|Source)s?\s*(?:by|from|:)\s*(?P<credit>[^()]+?)\.?\)?\s*$",
                    re.I)


# Below a few words in the comment region ("0 Comments", "Leave a Reply") there is no comment to find, and the
# second trafilatura run it would take costs as much as the first.
MIN_COMMENT_SECTION_WORDS = 8
MIN_BLOB_WORDS = 15  # a thread kept as text: less is a count line or a prompt, not a comment
# lines of a comment section that are its furniture, not a comment: prompts, policies, feeds, counts
BLOB_FURNITURE = re.compile(r"\b(?:subscrib\w*|privacy|policy|terms of (?:use|service)|log ?in|sign ?in|sign up|"
                            r"comment feed|leave a (?:comment|reply)|post a comment|required|e-?mail address|"
                            r"comments? (?:are|is) (?:closed|moderated)|loading comments)\b", re.I)
PARTIAL_THREAD = 0.5  # found under half the declared count: a warning
PARTIAL_THREAD_WARNING = "comment thread read in part"


def read_comments(page: Extraction, tree, html: str, url: str | None, comment_selectors) -> None:
    """Comments from the markup; else trafilatura's comment text, never thrown away when substantial.
    Comment paragraphs trafilatura left in the body go; the path taken and its coverage are recorded."""
    page.comments, page.comments_declared = parse_html_comments(tree, comment_selectors)
    region_lines = comment_region_lines(tree)
    region_words = len(" ".join(region_lines).split())
    if not page.comments and region_words >= MIN_COMMENT_SECTION_WORDS:
        document = trafilatura.bare_extraction(html, url=url, include_comments=True)
        blob = (document and document.comments) or ""
        # trafilatura drops some threads as boilerplate; the region's own text has them
        blob = blob if len(blob.split()) >= MIN_BLOB_WORDS else "\n".join(region_lines)
        page.comments, declared = comments_from_text(blob)
        page.comments_declared = page.comments_declared or declared
    link_replies_by_mention(page.comments)
    page.body = body_without_comments(page.body, page.comments)
    page.comment_path = page.comments[0].structure if page.comments else "none"
    if region_words:
        words = sum(len(c.text.split()) + len((c.author or "").split()) for c in page.comments)
        page.comment_coverage = round(min(1.0, words / region_words), 3)
    declared, found = page.comments_declared, len(page.comments)
    if declared and found < declared * PARTIAL_THREAD:
        page.warnings.append(f"{PARTIAL_THREAD_WARNING}: {declared} declared, {found} found")


def comment_region_lines(tree) -> list[str]:
    """The text lines of the page's comment regions, outside reply forms, scripts and hidden nodes."""
    return [] if tree is None else [line for region in comment_regions(tree) for line in text_lines(region, set())]


def comments_from_text(blob: str):
    """Comments in trafilatura's comment text, split where author lines show; else, when it holds more than
    furniture, the whole text as one comment without an author."""
    segmenter = PageSegmenter("")
    segmenter.segments = split_segments(blob)
    segmenter.read_thread(segmenter.segments)
    comments = [c for c in segmenter.page.comments if c.author and c.text]
    text = "\n".join(line for line in blob.splitlines()
                     if not BLOB_FURNITURE.search(line) and not comment_header_count(line)[0]).strip()
    # a comment has a sentence; a column of counts and labels ("28", "NEW!") has none
    has_sentence = any(len(line.split()) >= 8 for line in text.splitlines())
    if not comments and len(text.split()) >= MIN_BLOB_WORDS and has_sentence:
        comments = [Comment(author=None, text=text)]
    for comment in comments:
        comment.structure = "text-blob"
    return comments, segmenter.page.comments_declared


def body_without_comments(body: str, comments) -> str:
    """Paragraphs of the body that are a stored comment's paragraphs: trafilatura keeps some threads
    (old Movable Type: bare divs after <h2 id="comments">) as article text."""
    paragraphs = {p for c in comments for p in c.text.split("\n\n") if len(p.split()) >= 5}
    if not paragraphs:
        return body
    return "\n\n".join(p for p in body.split("\n\n") if p not in paragraphs)


def parse_tree(html: str):
    """The page as an lxml tree, parsed once for comments, figures and tags; None if unparseable."""
    return parse_markup(html)


def figures(tree, url: str | None = None) -> list[Media]:
    """Images with their captions and credits, from <figure> elements inside the article."""
    if tree is None:
        return []
    scope = tree.xpath("//article") or [tree]
    media = []
    for figure in scope[0].xpath(".//figure[.//img]"):
        sources = figure.xpath(".//img/@src | .//img/@data-src | .//img/@data-lazy-src")  # lazy loaders
        if not sources:
            continue
        src = sources[0]
        credit_nodes = figure.xpath(".//*[contains(@class, 'credit')]")
        credit = " ".join(credit_nodes[0].text_content().split()) if credit_nodes else None
        figcaption = caption = " ".join(" ".join(figure.xpath(".//figcaption//text()")).split()) or None
        if caption:
            match = CREDIT.search(caption)
            if match:
                credit = credit or match.group("credit").strip()
                caption = caption[: match.start()].strip() or None
            elif credit and caption.endswith(credit):
                caption = caption[: -len(credit)].strip() or None
        if credit:
            credit = CREDIT.sub(lambda m: m.group("credit"), credit).strip()
        media.append(Media(urljoin(url or "", src), caption, credit, figcaption))
    return media


def pagination_texts(tree) -> set[str]:
    if tree is None:
        return set()
    blocks = tree.xpath("//*[contains(@class, 'page-links') or contains(@class, 'pagination')"
                        " or contains(@class, 'post-page-numbers')]")
    return {" ".join(block.text_content().split()) for block in blocks}


POST_TAG_LINKS = (
    "//a[contains(concat(' ', @rel, ' '), ' tag ')][not(ancestor::aside or ancestor::nav"
    " or ancestor::footer[not(ancestor::article)]"  # a post's own entry-footer holds its tags
    " or ancestor::*[contains(@class, 'widget') or contains(@class, 'tagcloud') or contains(@class, 'sidebar')])]"
)


def tag_links(tree) -> list[str]:
    """The post's own rel="tag" links, else its article:tag meta. Not trafilatura's tags: they include the
    sidebar's tag cloud (rel="tag" too), which lists every tag of the site on every page."""
    if tree is None:
        return []
    names = [" ".join(a.text_content().split()) for a in tree.xpath(POST_TAG_LINKS)]
    names = names or [m.strip() for m in tree.xpath("//meta[@property='article:tag']/@content")]
    return list(dict.fromkeys(name for name in names if name))
