"""Comments from HTML markup: one row per comment, with author, date and the comment it replies to.

trafilatura returns a page's comments as one text blob without authors or dates; the markup still has
them, and its nesting (`ol.children`, a record inside a record) says who replies to whom. Records are
found by, in order: a site profile's selectors; the registry of comment systems (data/comment_systems.toml);
schema.org comments in JSON-LD (schema_org.py), then in microdata or RDFa; then structure alone (elements
classed `comment` or with a numbered comment id, else the repeated siblings of the page's comment region).
Each comment's `structure` names which one read it.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lxml import etree
from lxml.cssselect import LxmlTranslator
from lxml import html as lxml_html

from .comments import comment_header_count, link_replies_by_nesting, looks_like_name, parse_author_line
from .dates import parse_date, parse_date_line
from .model import Comment
from .schema_org import json_ld_comments


@dataclass(frozen=True)
class CommentSystem:
    name: str
    records: str
    author: str = ""
    date: str = ""
    text: str = ""
    controls: str = ""


def load_comment_systems(path: Path = Path(__file__).parent / "data" / "comment_systems.toml") -> list[CommentSystem]:
    return [CommentSystem(**entry) for entry in tomllib.loads(path.read_text(encoding="utf-8"))["system"]]


COMMENT_SYSTEMS = load_comment_systems()
# microdata and RDFa Comment records; a forum posting is a record only inside another (the first is the topic)
SCHEMA_ORG_RECORDS = ("//*[contains(@itemtype, 'schema.org/Comment')"
                      " or contains(@itemtype, 'schema.org/UserComments') or @itemprop='comment'"
                      " or contains(concat(' ', @typeof, ' '), ' Comment ')"
                      " or contains(@typeof, 'schema:Comment') or (contains(@itemtype, 'DiscussionForumPosting')"
                      " and ancestor::*[contains(@itemtype, 'DiscussionForumPosting')])]")
# In the XPaths below cheap tests guard the costly ones: re:test calls back into Python for every element it sees.
# A class token `comment`, or an id numbering comments (comment-12, c000123, dsq-comment-5, com_37914)
GENERIC_RECORDS = ("//*[not(self::a or self::textarea or self::input or self::form or self::span)]"
                   "[not(contains(@class, 'pingback') or contains(@class, 'trackback'))]"
                   "[(contains(@class, 'comment') and contains(concat(' ', normalize-space(@class), ' '), ' comment '))"
                   " or (@id and re:test(@id, '^(comment|c|com|li-comment|div-comment)[-_]?[0-9]+$'))]"
                   # an empty anchor before a comment's bare paragraphs (old TypePad): the record continues after it
                   " | //a[not(node())][@id and re:test(@id, '^c[0-9]+$')]")
REGEX_NS = {"re": "http://exslt.org/regular-expressions"}
GENERIC = CommentSystem(
    name="generic", records="",
    author=(".fn, cite, .comment-author, .comment_author, .comment-author-name, .commenter, .comment_name,"
            " [itemprop='author'], .author, .username, .user, .name, .c_author, a.url,"
            " .by a, .byline a, a[title^='View user profile']"),
    date="[itemprop='dateCreated'], .comment-date, .comment_date, .comment_time, .date, .comment-meta, .timestamp",
    controls=(".reply, .comment-reply-link, .comment-meta, .comment-metadata, .commentmetadata, .comment-author,"
              " .vcard, .says, .comment-actions, .comment-footer, .vote, .votes, .rating, .like, .report, .share,"
              " .comment-tools, .comment-links, ul.links"))
SCHEMA_ORG = CommentSystem(
    name="schema.org", records=SCHEMA_ORG_RECORDS,
    author=("[itemprop='author'] [itemprop='name'], [itemprop='creator'] [itemprop='name'], [itemprop='author'],"
            " [itemprop='creator'], [property$='author'] [property$='name'], [property$='author']"),
    date=("[itemprop='dateCreated'], [itemprop='datePublished'], [itemprop='commentTime'],"
          " [property$='dateCreated'], [property$='datePublished']"),
    text="[itemprop='text'], [itemprop='commentText'], [property$='text'], [property$='commentText']")
# containers only: a link or label classed `comments` ("Comments (4)") is not the thread
COMMENT_REGION = ("//*[not(self::a or self::span or self::button or self::label)]"
                  "[(@id and re:test(@id, '^(comments?|comment_tpl|disqus_thread|dsq-content|jc|comment-stream)$',"
                  " 'i'))"
                  " or (contains(@class, 'comment') and (contains(concat(' ', normalize-space(@class), ' '), ' comments ')"
                  " or contains(@class, 'comment-list') or contains(@class, 'commentlist')"
                  " or contains(@class, 'comments-area')))"
                  " or contains(@itemtype, 'schema.org/UserComments')]")
SKIPPED_TAGS = {"script", "style", "form", "textarea", "input", "button", "select", "template"}
BLOCK_TAGS = {"p", "div", "li", "blockquote", "dd", "dt", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "pre", "ul",
              "ol", "dl", "table", "section", "article", "header", "footer"}
# a pingback says another page linked here ("Pingback: Title"): a notice in the thread, not a comment
NOTICE_CLASSES = frozenset({"pingback", "trackback"})
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
CONTROL_LINE = re.compile(r"^(?:reply|report( abuse)?|permalink|link|quote|like|flag|share|delete|edit|"
                          r"said|says|wrote|\d+\s*(?:likes?|points?)|\W*)$", re.I)
POSTED_BY = re.compile(r"^(?:posted|written|submitted)\s+by\s*:?\s*(?P<name>.+?)\s*"
                       r"(?:\||,|\bat\b|\bon\b|$)(?P<rest>.*)$", re.I)
# "2. Ann - May 1, 2012", "Kate on October 23rd, 2012 1:38 pm", "by alan p on November 30, 2010 at 1:24 am."
NAME_DASH_DATE = re.compile(r"^(?:\d+\.?\s+)?(?:by\s+)?(?P<name>[^-–—|]{1,50}?)\s+(?:[-–—|]|on)\s+(?P<date>.+?)\.?$",
                            re.I)
# "posted on Wednesday, October 24, 2012 at 7:26 PM by Darren"
POSTED_ON_BY = re.compile(r"^(?:posted|written|submitted)\s+(?:on\s+)?(?P<date>.+?)\s+by\s*:?\s*(?P<name>.+?)\.?$",
                          re.I)
SAID_COMMA = re.compile(r"\s+(?:says|said|wrote)\s*,\s*$", re.I)  # "Jacob said,"
MACHINE_DATE = "time[datetime], abbr[title], meta[itemprop^='date'][content], meta[property*='date'][content]"
CONTROL_MAX_WORDS = 12  # a "control" longer than this and half the record wraps the comment itself


def parse_html_comments(markup, selectors=None) -> tuple[list[Comment], int | None]:
    """Comments in page order with nesting-based reply links, and the count a heading declares.

    `selectors` (a site profile's CommentSelectors: container, author, date, text; CSS) replaces the
    generic rules for sites whose markup they do not fit.
    """
    tree = markup if not isinstance(markup, (str, bytes)) else parse_markup(markup)
    if tree is None:
        return [], None
    comments = next((found for found in candidate_threads(tree, selectors) if found), [])
    return comments, _declared(tree)


def parse_markup(markup: str | bytes):
    """An lxml tree; None if unparseable. A str with an XML declaration (XHTML) is parsed from its bytes,
    which lxml refuses to do from a str."""
    parser = None
    if isinstance(markup, str) and re.match(r"\s*<\?xml[^>]*encoding", markup):
        markup, parser = markup.encode("utf-8"), lxml_html.HTMLParser(encoding="utf-8")
    try:
        return lxml_html.fromstring(markup, parser=parser)
    except (ValueError, etree.ParserError):
        return None


def candidate_threads(tree, selectors):
    """The thread as each reader reads it, in the order they are tried; lazily, so the first that finds
    comments ends the search."""
    names = marks(tree)
    if selectors is not None and selectors.container:
        system = CommentSystem("profile", selectors.container, selectors.author, selectors.date, selectors.text)
        yield read_records(_visible(select(system.records, names, tree)), system, names)
        return
    for system in COMMENT_SYSTEMS:
        yield read_records(_visible(select(system.records, names, tree)), system, names)
    yield json_ld_comments(tree)
    yield read_records(schema_org_records(tree), SCHEMA_ORG, names)
    if GENERIC_MARK.search(names):
        yield read_records(_visible(tree.xpath(GENERIC_RECORDS, namespaces=REGEX_NS)), GENERIC, names)
    yield signed(read_records(_visible(repeated_siblings(tree)), GENERIC, names))


# Each selector or XPath below walks the whole tree (10 ms a page for the registry on the ScrapingHub pages);
# the page's class and id values, gathered in one walk, say which of them can match at all.
@lru_cache(maxsize=1)
def marks(tree) -> str:
    """The page's class and id values, lowercased, space-separated."""
    return " ".join(tree.xpath("//@class | //@id", smart_strings=False)).lower()


@lru_cache(maxsize=1)
def schema_marks(tree) -> str:
    """The page's microdata and RDFa type and property values, lowercased."""
    return " ".join(tree.xpath("//@itemtype | //@itemprop | //@typeof", smart_strings=False)).lower()


GENERIC_MARK = re.compile(r"comment|(?:^|\s)(?:c|com)[-_]?\d")
SCHEMA_MARK = re.compile(r"comment|discussionforumposting")
NEGATION = re.compile(r":not\([^)]*\)")
OTHER_ATTRIBUTE = re.compile(r"\[(?!\s*(?:id|class)\s*[\^*$~|]?=)[^\]]*\]")  # [href*='#c'] names no class or id
SELECTOR_NAMES = re.compile(r"[.#]([\w-]+)|\[(?:id|class)[\^*$~|]?=['\"]?([^'\"\]]+)")


@lru_cache(maxsize=256)
def required_names(css: str) -> tuple[tuple[str, ...], ...]:
    """Per alternative of a selector list, the class and id names (or their prefixes) it needs."""
    return tuple(tuple(a or b for a, b in SELECTOR_NAMES.findall(OTHER_ATTRIBUTE.sub("", NEGATION.sub("", alternative))))
                 for alternative in css.lower().split(","))


def select(css: str, names: str, scope) -> list:
    """What the selector finds in scope, run without the alternatives that name a class or id the page lacks.
    Each alternative of a list is a walk, with its tests on every element (a record's controls are 35 of them:
    10 ms over a page); on most pages most of them cannot match, and a registry system none of them."""
    kept = ",".join(alternative for alternative, needed in zip(css.split(","), required_names(css))
                    if all(name in names for name in needed))
    return _selector(kept)(scope) if kept else []


@lru_cache(maxsize=1)
def schema_org_records(tree) -> list:
    """Visible microdata and RDFa Comment records (the reader's records, and their parents mark the region)."""
    return _visible(tree.xpath(SCHEMA_ORG_RECORDS)) if SCHEMA_MARK.search(schema_marks(tree)) else []


def signed(comments: list[Comment]) -> list[Comment]:
    """Repeated siblings are a thread when most of them name someone; unsigned ones are the region's widgets
    (comment-provider tabs, login buttons), and a real unsigned thread still reaches the text fallback."""
    return comments if 2 * sum(c.author is not None for c in comments) >= len(comments) else []


@lru_cache(maxsize=1)
def comment_regions(tree) -> list:
    """The outermost elements marked as a comment section (id `comments`, class `comments`, ..., the parent of
    schema.org Comment records). Kept for the last tree: the thread reader and the comment coverage both ask
    for one page's regions. Without such a mark, the container a "Comments" / "12 Comments" heading opens is
    the region (an old Movable Type or home-made thread)."""
    marked = _visible(tree.xpath(COMMENT_REGION, namespaces=REGEX_NS)) if REGION_MARK.search(marks(tree)) else []
    marked += [r.getparent() for r in schema_org_records(tree) if r.getparent() is not None]
    headed = [] if marked else [h.getparent() for h in _visible(tree.xpath(HEADINGS)) if _opens_thread(h)]
    return _outermost(list(dict.fromkeys(marked)) or headed)


REGION_MARK = re.compile(r"comment|disqus|dsq|(?:^|\s)jc(?:\s|$)")
HEADINGS = "//*[self::h2 or self::h3 or self::h4]"
MAX_WORDS_BEFORE_HEADING = 10  # more, and the heading's container holds more than the thread (the article)


def _opens_thread(heading) -> bool:
    """A comment heading ("Comments", "12 Comments") at the top of its container."""
    before = sum(len(e.text_content().split()) for e in heading.itersiblings(preceding=True) if isinstance(e.tag, str))
    return before <= MAX_WORDS_BEFORE_HEADING and comment_header_count(" ".join(heading.text_content().split()))[0]


def repeated_siblings(tree) -> list:
    """In a comment region, the largest group of sibling elements of one shape (tag and class) that each hold
    text: a home-made thread (<dl> of <dt> name lines and <dd> texts, or one <div class="coms"> per comment).
    Regions of one shape side by side are such a group too: one <ol class="commentlist"> per comment."""
    regions = comment_regions(tree)
    best = _worded(max(_shape_groups(regions).values(), key=len, default=[]))
    for region in regions:
        for parent in [region, *region.iterdescendants()]:
            if not isinstance(parent.tag, str) or parent.tag in SKIPPED_TAGS:
                continue
            children = [c for c in parent if isinstance(c.tag, str) and c.tag not in SKIPPED_TAGS | SEPARATOR_TAGS]
            for group in _shape_groups(children).values():
                if len(group) > len(best) and len(worded := _worded(group)) > len(best):
                    best = worded
    return best if len(best) >= 2 else []


SEPARATOR_TAGS = {"dd", "br", "h2", "h3", "a"}  # between records, not records


def _shape_groups(elements) -> dict[tuple, list]:
    """Elements grouped by parent, tag and class."""
    groups: dict[tuple, list] = {}
    for e in elements:
        groups.setdefault((e.getparent(), e.tag, e.get("class") or ""), []).append(e)
    return groups


def _worded(group) -> list:
    return [e for e in group if e.tag == "dt" or len(" ".join(text_lines(e, set())).split()) >= 3]


def read_records(nodes: list, system: CommentSystem, names: str) -> list[Comment]:
    """Comments from a reader's records; `names` are the page's class and id values (marks)."""
    index_of = Records(nodes, names)
    position: dict[int, int] = {}  # node index -> position among comments that have text
    comments = []
    kept = []  # the record of each comment
    for i, node in enumerate(nodes):
        if node.tag == "dt" and node.getnext() in index_of:
            continue  # the name line of the <dd> record after it
        # a <dt> is a comment's name line, its <dd>s the text; an empty record continues in its siblings
        own_controls = _controls([node], system, index_of)
        continues = node.tag == "dt" or not _strip_author_lines(text_lines(node, index_of, own_controls), None)[0]
        parts = [node, *_trailing_siblings(node, index_of)] if continues else [node]
        term = _name_term(node)  # <dt> name and date, <dd class="comment"> text (Thesis and other themes)
        text_parts, parts = parts, ([term, *parts] if term is not None else parts)
        author_element = _first(parts, system.author, index_of)
        if author_element is None:
            author_element = _first(parts, GENERIC.author, index_of)
        author = _name(author_element)
        controls = own_controls | _controls(text_parts[1:], system, index_of) | {author_element} - {None}
        text_elements = _outermost([e for part in text_parts for e in _own_css(part, system.text, index_of)])
        lines = [line for e in (text_elements or text_parts) for line in text_lines(e, index_of, controls)]
        lines = _strip_author_lines(lines, author)[0]
        # "Posted by: Name | DATE" may sit in a footer that is left out of the text
        _, line_author, line_posted = _strip_author_lines([line for e in parts for line in
                                                           text_lines(e, index_of)], author)
        author = author or line_author
        text = "\n\n".join(lines).strip()
        if not text or comment_header_count(text)[0] or text.lower() in ("comment", "comments"):
            continue  # a count line or a label in comment markup
        posted_text, posted = _posted(parts, system, index_of)
        parent = position.get(_parent_comment(node, index_of))
        position[i] = len(comments)
        kept.append(node)
        comments.append(Comment(
            author=author, text=text, posted=posted or line_posted, posted_text=posted_text,
            author_url=_profile_url(author_element), reply_to=parent,
            reply_by="nesting" if parent is not None else None, structure=system.name))
    if all(c.reply_to is None for c in comments):
        link_replies_by_nesting(comments, flat_levels(kept))
    return comments


DEPTH_CLASS = re.compile(r"(?:^|\s)(?:depth|level|comment-depth|comment-level)-(\d+)(?:\s|$)")
REPLY_CLASSES = frozenset({"children", "replies", "reply", "child", "comment-replies", "comment-reply", "is-reply",
                           "sub-comments", "subcomments"})
INDENT_STYLE = re.compile(r"(?:margin|padding)-left\s*:\s*(\d+(?:\.\d+)?)\s*(px|em|rem|%)?", re.I)


def flat_levels(records: list) -> list[int]:
    """Reply levels of records that sit side by side instead of inside each other, from the first signal the
    thread carries: `depth-N` classes, reply classes on a record or the wrappers around it
    (`children`, `replies`), else the left margin or padding of its style (one level per distinct step)."""
    depths = [int(m.group(1)) if (m := DEPTH_CLASS.search(r.get("class") or "")) else 0 for r in records]
    if any(depths):
        return depths
    replies = [sum(not REPLY_CLASSES.isdisjoint((e.get("class") or "").split()) for e in (r, *r.iterancestors()))
               for r in records]
    if any(replies):
        return replies
    indents = [float(m.group(1)) * (16 if (m.group(2) or "px").lower() in ("em", "rem") else 1)
               if (m := INDENT_STYLE.search(r.get("style") or "")) else 0.0 for r in records]
    return [sorted(set(indents)).index(indent) for indent in indents]


def _visible(elements) -> list:
    """Hidden nodes (<template>, `hidden`, display:none previews) are never comments."""
    return [e for e in elements if isinstance(e.tag, str) and not any(_hidden(a) for a in (e, *e.iterancestors()))]


def _hidden(element) -> bool:
    return element.tag == "template" or element.get("hidden") is not None \
        or bool(HIDDEN_STYLE.search(element.get("style") or "")) or element.get("aria-hidden") == "true"


@lru_cache(maxsize=1024)
def _selector(css: str) -> etree.XPath:
    """A selector list compiled once, as lxml's CSSSelector compiles it: one XPath union of its alternatives.
    Pages keep different alternatives of a list (select), so each alternative is translated once."""
    return etree.XPath(" | ".join(_css_to_xpath(alternative) for alternative in css.split(",")))


@lru_cache(maxsize=1024)
def _css_to_xpath(alternative: str) -> str:
    """Translating CSS to XPath costs more than running it (0.8 ms for a list of 35)."""
    return CSS_TRANSLATOR.css_to_xpath(alternative)


CSS_TRANSLATOR = LxmlTranslator()  # CSSSelector's


class Records(dict):
    """Record element -> its index; with each selector's matches grouped by the record they belong to, so a
    selector runs once over the page, not once per record (a thread of 500 nested comments)."""

    def __init__(self, nodes, names: str):
        super().__init__((node, i) for i, node in enumerate(nodes))
        parents = {node.getparent() for node in nodes if _nearest(node, self) is None} - {None}
        self.scopes = _outermost(list(parents))  # where the records and the siblings they continue in are
        self.names = names
        self.owned: dict[str, dict] = {}

    def matches(self, css: str, owner) -> list:
        if css not in self.owned:
            groups: dict = {}
            for e in (e for scope in self.scopes for e in select(css, self.names, scope)):
                groups.setdefault(e if e in self else _nearest(e, self), []).append(e)
            self.owned[css] = groups
        return self.owned[css].get(owner, [])


def _own_css(part, css: str, index_of: Records) -> list:
    """Matches in one part of a record (the record itself or a sibling it continues in), not in a nested one."""
    if not css:
        return []
    owner = part if part in index_of else _nearest(part, index_of)
    found = index_of.matches(css, owner)
    return found if part is owner else [e for e in found if e is part or part in e.iterancestors()]


def _first(parts, css: str, index_of):
    return next((e for part in parts for e in _own_css(part, css, index_of) if _name(e)), None)


def _outermost(elements) -> list:
    """The elements not inside another of them."""
    inside = set(elements)
    return [e for e in elements if not any(a in inside for a in e.iterancestors())]


def _name_term(node):
    """The <dt> just before a <dd> record: the name line of a definition-list thread."""
    term = node.getprevious() if node.tag == "dd" else None
    return term if term is not None and term.tag == "dt" else None


def _trailing_siblings(node, index_of) -> list:
    """A record with no text of its own (Blogger's <dt>, an anchor before the comment) continues in the
    siblings that follow it, up to the next record."""
    siblings = []
    for sibling in node.itersiblings():
        if sibling in index_of or (isinstance(sibling.tag, str) and sibling.tag in ("dt", "h2", "h3", "form")):
            break
        if isinstance(sibling.tag, str):
            siblings.append(sibling)
    return siblings


def _controls(parts, system, index_of) -> set:
    """Author, date, reply and vote elements, left out of the text; not one that wraps the whole comment."""
    css = ", ".join(c for c in (system.controls, GENERIC.controls, system.author, system.date) if c)
    record_words = sum(len(p.text_content().split()) for p in parts)
    return {e for part in parts for e in _own_css(part, css, index_of)
            if not (len(e.text_content().split()) > CONTROL_MAX_WORDS and
                    len(e.text_content().split()) * 2 > record_words)}


def text_lines(element, records, controls=frozenset()) -> list[str]:
    """The element's text as lines: each block element and <br> ends one; skipped are records inside it,
    controls, scripts and forms, and hidden nodes."""
    lines: list[str] = []
    current: list[str] = []

    def flush():
        line = " ".join(" ".join(current).split())
        if line:
            lines.append(line)
        current.clear()

    def walk(e):
        if not isinstance(e.tag, str):
            return
        if (e in records and e is not element) or e in controls or e.tag in SKIPPED_TAGS or _hidden(e) \
                or not NOTICE_CLASSES.isdisjoint((e.get("class") or "").split()):
            return
        block = e.tag in BLOCK_TAGS
        if block or e.tag == "br":
            flush()
        if e.text:
            current.append(e.text)
        for child in e:
            walk(child)
            if child.tail:
                current.append(child.tail)
        if block:
            flush()

    walk(element)
    flush()
    return [line for line in lines if not CONTROL_LINE.match(line)]


def _strip_author_lines(lines, author):
    """Drop 'Name says:' / 'Posted by: Name at DATE' / date-only lines; return the name and date they give."""
    kept, name, posted = [], None, None
    for line in lines:
        said = POSTED_BY.match(line)
        if said and len(said.group("name").split()) <= 5:
            name = name or said.group("name").strip(" |-")
            posted = posted or parse_date_line(said.group("rest")) or parse_date(said.group("rest"))
            continue
        dated = POSTED_ON_BY.match(line) if len(line) < 120 else None
        if dated and looks_like_name(dated.group("name")) and (when := parse_date_line(dated.group("date"))):
            name, posted = name or dated.group("name"), posted or when
            continue
        parsed = parse_author_line(SAID_COMMA.sub(" said:", line)) if len(line) < 80 else None
        dashed = NAME_DASH_DATE.match(line) if len(line) < 80 and not parsed else None
        if dashed and looks_like_name(dashed.group("name")) and (when := parse_date_line(dashed.group("date"))):
            name, posted = name or dashed.group("name"), posted or when
            continue
        if parsed:
            name, posted = name or parsed.name, posted or parsed.posted
            continue
        if (author and line in (author, f"{author} said...", f"{author} said:")) or \
                (len(line) < 40 and parse_date_line(line)):
            continue
        kept.append(line)
    return kept, name, posted


def _name(element) -> str | None:
    if element is None:
        return None
    name = re.sub(r"\s*(?:says|said|wrote|writes|commented|replied)\s*(?:[:,]|\.{3}|…)?\s*$", "",
                  " ".join(element.text_content().split()), flags=re.I)
    name = POSTED_BY.sub(lambda m: m.group("name"), name).strip(" |-:")
    return name if name and len(name) <= 80 else None


def _profile_url(element) -> str | None:
    if element is None:
        return None
    links = [element] if element.tag == "a" else element.xpath(".//a[@href]")
    href = links[0].get("href") if links else None
    return href if href and href.startswith("http") else None


def _posted(parts, system, index_of) -> tuple[str | None, str | None]:
    """(as printed, ISO): a machine-readable <time datetime>, <abbr title> or microdata <meta content> first,
    which the visible text often shortens."""
    for part in parts:
        for e in _own_css(part, MACHINE_DATE, index_of):
            raw = e.get("datetime") or e.get("title") or e.get("content") or ""
            if posted := parse_date(raw):
                return " ".join(e.text_content().split()) or raw, posted
    for css in (system.date, GENERIC.date):
        for part in parts:
            for e in _own_css(part, css, index_of):
                raw = " ".join(e.text_content().split())
                if posted := parse_date(raw):
                    return raw, posted
    return None, None


def _nearest(element, index_of):
    ancestor = element.getparent()
    while ancestor is not None and ancestor not in index_of:
        ancestor = ancestor.getparent()
    return ancestor


def _parent_comment(node, index_of) -> int | None:
    ancestor = _nearest(node, index_of)
    return index_of[ancestor] if ancestor is not None else None


DECLARING = "//h1 | //h2 | //h3 | //h4"  # a walk by name is cheap; by class, a test on every element
DECLARING_CLASS = " | //*[contains(@class, 'comments-title')]"


def _declared(tree) -> int | None:
    for heading in tree.xpath(DECLARING + (DECLARING_CLASS if "comments-title" in marks(tree) else "")):
        is_header, count = comment_header_count(" ".join(heading.text_content().split()))
        if is_header and count is not None:
            return count
    return None
