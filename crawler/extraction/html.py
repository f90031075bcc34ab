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
from .html_comments import comment_regions, marks, parse_html_comments, text_lines
from .metadata import author_names, clean_title, post_categories, post_links, post_tags
from .model import Boilerplate, Comment, Extraction, Media
from .text import PageSegmenter, split_segments

EXTRACTOR = "trafilatura"


def extract_html(html: str, url: str | None = None, comment_selectors=None) -> Extraction:
    """Article body and metadata (trafilatura), comments, tags and figures (from the markup).

    The page is parsed once, by trafilatura's own loader, and that tree serves every reader: bare_extraction
    copies a tree it is given before cutting it up (a copy costs a third of a parse), so ours stay whole."""
    page = Extraction(extractor=EXTRACTOR)
    tree = trafilatura.load_html(html)  # None where bare_extraction would refuse the string too
    document = None if tree is None else trafilatura.bare_extraction(
        tree, url=url, include_comments=False, with_metadata=True, fast=True)
    if document is None:
        page.warnings.append("no article body found")
        return page
    page.title = clean_title(document.title, tree, document.sitename)
    links = post_links(tree)
    page.authors = author_names(document.author, *links["author"])
    page.author = "; ".join(page.authors) or None
    if document.date:
        page.published, page.date_source = document.date[:10], "metadata"
    text = best_body(tree, url, document.text or "")
    paragraphs = [line.strip() for line in text.splitlines() if line.strip()]
    # headline, byline and date lines above the text are metadata, not body
    while paragraphs and (paragraphs[0] in (page.title, document.title, page.author)
                          or parse_date_line(paragraphs[0])):
        paragraphs.pop(0)
    # a closing "X is a senior fellow at ..." is the author bio, as in text pages
    while paragraphs and (name := bio_author(paragraphs[-1])):
        page.boilerplate.append(Boilerplate("author_bio", paragraphs.pop()))
        page.author = page.author or name
        page.authors = page.authors or [name]
    page.body = "\n\n".join(paragraphs)
    page.tags = post_tags(tree, links)
    page.categories = post_categories(links, document.categories)
    page.media = figures(tree, url)
    # trafilatura keeps figcaptions and "Pages: 1 2 3" links as paragraphs; they are not the article
    not_body = {text for m in page.media for text in (m.caption, m.figcaption) if text} | pagination_texts(tree)
    if not_body:
        page.body = "\n\n".join(p for p in page.body.split("\n\n") if p not in not_body)
    read_comments(page, tree, url, comment_selectors)
    return page


# fast=True (no readability/jusText fallback) is right on most pages and faster, but on some it returns menu
# lines instead of the article. A fast-path body is suspect when no line of it reads as prose, when it is short
# and a small part of the page's running text, or when most of it is link text. Only then is the full path run:
# 3 of the 181 ScrapingHub pages, F1 0.965 -> 0.967 at the same speed (benchmarks/README.md).
PROSE_LINE_WORDS = 12  # a line this long is a sentence, not a menu entry or a heading
PAGE_TEXT = ("//p[not(ancestor-or-self::*[@hidden or contains(concat(' ', normalize-space(@class), ' '), ' hidden ')"
             " or contains(translate(@style, ' ', ''), 'display:none')]"  # alternate versions a script shows
             " or ancestor::nav or ancestor::aside or ancestor::footer or ancestor::form"
             " or ancestor::*[@id='comments' or contains(@class, 'comment')])]//text()"
             "[not(ancestor::script or ancestor::style)]")
MIN_SHARE_OF_PAGE_TEXT = 0.2
MAX_SHORT_BODY_WORDS = 250  # a body this long is not too short, whatever else the page holds
MAX_LINK_SHARE = 0.5


def best_body(tree, url: str | None, fast_text: str) -> str:
    """The fast path's text unless it looks like furniture; then the full path's, if it passes the checks the
    fast text failed or holds more prose."""
    if not suspect_body(fast_text, tree):
        return fast_text
    full = trafilatura.bare_extraction(tree, url=url, include_comments=False, with_metadata=False, fast=False)
    full_text = (full and full.text) or ""
    better = prose_words(full_text) > prose_words(fast_text) or not suspect_body(full_text, tree)
    return full_text if full_text and better else fast_text


def suspect_body(text: str, tree) -> bool:
    """Cheap checks first; the page's text is only counted for a short body, its links only for a choppy one."""
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    words = sum(len(line.split()) for line in lines)
    prose = prose_words(text)
    if not prose:
        return True
    if words < MAX_SHORT_BODY_WORDS and words < MIN_SHARE_OF_PAGE_TEXT * paragraph_words(tree):
        return True
    if prose > MAX_LINK_SHARE * words:  # mostly sentences: link text cannot be most of it
        return False
    links = {" ".join(a.text_content().split()) for a in tree.iter("a")}
    return sum(len(line.split()) for line in lines if line in links) > MAX_LINK_SHARE * words


def paragraph_words(tree) -> int:
    """Words in the page's <p> elements outside navigation, asides, footers, forms and comment sections."""
    return sum(len(text.split()) for text in tree.xpath(PAGE_TEXT))


def prose_words(text: str) -> int:
    """Words in lines long enough to be sentences."""
    return sum(n for n in (len(line.split()) for line in text.splitlines()) if n >= PROSE_LINE_WORDS)


CREDIT = re.compile(r"\s*\(?(?:Photo|Image|Picture|Credit|Source)s?\s*(?:by|from|:)\s*(?P<credit>[^()]+?)\.?\)?\s*$",
                    re.I)


# Below a few words in the comment region ("0 Comments", "Leave a Reply") there is no comment to find, and the
# second trafilatura run it would take costs as much as the first.
MIN_COMMENT_SECTION_WORDS = 8
MIN_BLOB_WORDS = 15  # a thread kept as text: less is a count line or a prompt, not a comment
# lines of a comment section that are its furniture, not a comment: prompts, policies, feeds, counts
BLOB_FURNITURE = re.compile(r"\b(?:subscrib\w*|privacy|policy|terms of (?:use|service)|log ?in|sign ?in|sign up|"
                            r"comment feed|leave (?:a|your) (?:comment|reply)|post a comment|required|e-?mail address|"
                            r"comments? (?:are|is) (?:closed|moderated)|loading comments|pingback|trackback)\b", re.I)
PARTIAL_THREAD = 0.5  # found under half the declared count: a warning
PARTIAL_THREAD_WARNING = "comment thread read in part"


def read_comments(page: Extraction, tree, url: str | None, comment_selectors) -> None:
    """Comments from the markup; else trafilatura's comment text, never thrown away when substantial.
    Comment paragraphs trafilatura left in the body go; the path taken and its coverage are recorded."""
    page.comments, page.comments_declared = parse_html_comments(tree, comment_selectors)
    region_lines = comment_region_lines(tree)
    region_words = len(" ".join(region_lines).split())
    if not page.comments and region_words >= MIN_COMMENT_SECTION_WORDS:
        document = trafilatura.bare_extraction(tree, url=url, include_comments=True)
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
    return [line for region in comment_regions(tree) for line in text_lines(region, set())]


def comments_from_text(blob: str):
    """Comments in trafilatura's comment text, split where author lines show; else, when it holds more than
    furniture, the whole text as one comment without an author."""
    segmenter = PageSegmenter("")
    segmenter.segments = split_segments(blob)
    segmenter.read_thread(segmenter.segments)
    text = "\n".join(line for line in blob.splitlines()
                     if not BLOB_FURNITURE.search(line) and not comment_header_count(line)[0]).strip()
    # a comment has a sentence; a column of counts and labels ("28", "NEW!") has none, whatever its labels
    # look like to the segmenter ("Add first Comment" over it reads as a name)
    if not any(len(line.split()) >= 8 for line in text.splitlines()):
        return [], segmenter.page.comments_declared
    comments = [c for c in segmenter.page.comments if c.author and c.text]
    if not comments and len(text.split()) >= MIN_BLOB_WORDS:
        comments = [Comment(author=None, text=text)]
    for comment in comments:
        comment.structure = "text-blob"
    return comments, segmenter.page.comments_declared


def body_without_comments(body: str, comments) -> str:
    """Paragraphs of the body that are a stored comment's paragraphs: trafilatura keeps some threads
    (old Movable Type: bare divs after <h2 id="comments">) as article text. Only comments the body holds
    whole: one that also says something of its own is quoting the article, whose paragraph stays."""
    body_paragraphs = set(body.split("\n\n"))
    paragraphs = set()
    for comment in comments:
        own = {p for p in comment.text.split("\n\n") if len(p.split()) >= 5}
        if own <= body_paragraphs:
            paragraphs |= own
    if not paragraphs:
        return body
    return "\n\n".join(p for p in body.split("\n\n") if p not in paragraphs)


def figures(tree, url: str | None = None) -> list[Media]:
    """Images with their captions and credits, from <figure> elements inside the article."""
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


PAGINATION_MARK = re.compile(r"page-links|pagination|post-page-numbers")


def pagination_texts(tree) -> set[str]:
    if not PAGINATION_MARK.search(marks(tree)):
        return set()
    blocks = tree.xpath("//*[contains(@class, 'page-links') or contains(@class, 'pagination')"
                        " or contains(@class, 'post-page-numbers')]")
    return {" ".join(block.text_content().split()) for block in blocks}
