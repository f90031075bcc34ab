"""Split a plain-text rendering of an article page into title, byline, body, comments and boilerplate.

Pages reach us as text in many shapes (browser "save as text", copy-paste, lynx dumps), so no single
layout is assumed. Every segment (a paragraph, or a line where paragraphs are not separated) is first
judged on its own: furniture vocabularies, author lines, dates. The page is then cut into zones,
header -> body -> comment thread -> tail, using only signals that survive rendering: prose length,
terminal punctuation, comment headers, author lines and indentation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .boilerplate import bio_author, classify_line, word_count
from .comments import (
    AuthorLine,
    comment_header_count,
    is_short_name_line,
    link_replies_by_mention,
    link_replies_by_nesting,
    parse_author_line,
)
from .dates import is_relative_date_line, parse_date, parse_date_line
from .model import Boilerplate, Comment, Extraction

EXTRACTOR = "frontline-text"
TERMINAL = (".", "!", "?", "…", '"', "”", "’", "'", ")", ":")
BULLET_START = re.compile(r"^[•·*◦▪‣–-]\s")
# "└ Name", "↳ Name": a reply marker stands where the indentation would be, so it counts as indentation
REPLY_MARKER = re.compile(r"^[└↳┗╰⤷↪]\s*")
QUOTE_LEVELS = re.compile(r"^(?:>\s?)+(?=\S)")  # "> > Name": forum nesting, one '>' per level
QUOTE_LEVEL_WIDTH = 2
BYLINE = re.compile(r"^(?:by|written by|words by|author:|posted by|reporting by)\s+(?P<rest>.+)$", re.IGNORECASE)
POSTED_ON_BY = re.compile(
    r"^(?:(?P<verb>posted|published)\s+)?(?:on\s+)?(?P<date>.+?)\s+by\s+(?P<name>.+)$", re.IGNORECASE)
NAME_SEPARATOR = re.compile(r"\s*(?:[|—–·•»]|,\s|\s+on\s+|\s+at\s+)\s*")
FIELD_SEPARATOR = re.compile(r"\s+[|·•]\s+")  # "Name | Place | March 3, 2024"
ABBREVIATED_END = re.compile(r"(?<=\b[A-Z][a-z])\.$")  # "Ivan Sh."
MAX_PLACE_WORDS = 3
IMAGE_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)[-_.]?(0[1-9]|1[0-2])[-_.]?(0[1-9]|[12]\d|3[01])(?!\d)")
URL_DATE = re.compile(r"/((?:19|20)\d\d)/(0[1-9]|1[0-2])/(0[1-9]|[12]\d|3[01])/")
TAIL_STICKY_KINDS = {"related", "share", "footer", "categories", "comment_form"}
THREAD_END_KINDS = TAIL_STICKY_KINDS | {"caption", "tags", "author_bio"}
MIN_MENU_RUN = 3
REPLY_TO_LINE = re.compile(r"^(?:in )?reply to\s+\S.{0,48}$", re.IGNORECASE)
MIN_CAPTION_WORDS, MAX_CAPTION_WORDS = 6, 12  # "He never came back." is too short to describe a photo


@dataclass
class Segment:
    text: str
    indent: int


def split_segments(text: str) -> list[Segment]:
    """Paragraph-sized pieces. Hard-wrapped paragraphs are re-joined; otherwise each line stands alone."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ").lstrip("\ufeff")
    lines = [line.expandtabs(4).rstrip() for line in text.split("\n")]
    width = _wrap_width(lines)
    quotes_nest = _quotes_nest(lines)
    segments: list[Segment] = []
    joinable = False  # may the next line continue the previous segment?
    for line in lines:
        stripped = line.strip()
        if not stripped:
            joinable = False
            continue
        indent = len(line) - len(line.lstrip())
        if marker := REPLY_MARKER.match(stripped):
            stripped, indent = stripped[marker.end():], indent + marker.end()
        elif quotes_nest and (levels := QUOTE_LEVELS.match(stripped)):
            stripped, indent = stripped[levels.end():], indent + QUOTE_LEVEL_WIDTH * levels.group().count(">")
        if joinable and not BULLET_START.match(stripped) and not parse_author_line(stripped):
            segments[-1].text += " " + stripped
        else:
            segments.append(Segment(stripped, indent))
        joinable = bool(width) and len(line) >= 0.6 * width
    return segments


def _quotes_nest(lines: list[str]) -> bool:
    """Do '>' prefixes mark reply levels (a '> ' name line over a '> ' date line) rather than quotations?"""
    prefixed = [QUOTE_LEVELS.sub("", line.strip()) for line in lines if QUOTE_LEVELS.match(line.strip())]
    return any(is_short_name_line(name) and parse_date_line(date) for name, date in zip(prefixed, prefixed[1:]))


def _wrap_width(lines: list[str]) -> int | None:
    """The column a hard-wrapped text was wrapped at, or None when lines are whole paragraphs."""
    lengths = [len(line) for line in lines if len(line.split()) >= 5]
    if len(lengths) < 4:
        return None
    widest = max(lengths)
    if not 50 <= widest <= 100:
        return None
    near_edge = sum(1 for n in lengths if n >= 0.8 * widest)
    return widest if near_edge >= 0.3 * len(lengths) else None


def is_prose(text: str) -> bool:
    words = word_count(text)
    return (words >= 12 and text.rstrip().endswith(TERMINAL)) or words >= 25


def is_menu_item(text: str, max_words: int = 12) -> bool:
    return word_count(text) <= max_words and not text.endswith((".", "!", "?", "…"))


class PageSegmenter:
    """One text page through the zones; results accumulate in `self.page`."""

    def __init__(self, text: str, url: str | None = None):
        self.segments = split_segments(text)
        self.url = url
        self.page = Extraction(extractor=EXTRACTOR)
        self.dates: dict[str, str] = {}  # date source -> ISO date
        self.byline_author: str | None = None
        self.bio_author: str | None = None

    def run(self) -> Extraction:
        body_start = self.find_body_start()
        thread_start = self.find_thread_start(body_start)
        self.read_header(self.segments[:body_start])
        end = thread_start if thread_start is not None else len(self.segments)
        self.read_body(self.segments[body_start:end])
        if thread_start is not None:
            self.read_thread(self.segments[thread_start:])
        self.settle_metadata()
        return self.page

    # --- zones -------------------------------------------------------------------------------

    def find_body_start(self) -> int:
        for index, segment in enumerate(self.segments):
            if is_prose(segment.text) and self.furniture(segment.text) is None:
                return index
        for index, segment in enumerate(self.segments):  # short pages: whatever follows the title
            if self.furniture(segment.text) is None:
                return min(index + 1, len(self.segments))
        return len(self.segments)

    def find_thread_start(self, body_start: int) -> int | None:
        """Where comments begin: a comment header, else a run of author lines after the article."""
        authors = []
        article_ended = False
        for index in range(body_start, len(self.segments)):
            text = self.segments[index].text
            if comment_header_count(text)[0]:
                return index
            if self._author_at(index):
                authors.append(index)
            elif not authors and (classify_line(text) in {"author_bio", "tags", "share", "related"} or bio_author(text)):
                article_ended = True
        if len(authors) >= 2 or (authors and article_ended):
            return authors[0]
        return None

    def read_header(self, header: list[Segment]) -> None:
        candidates: list[int] = []
        for index, segment in enumerate(header):
            text = segment.text
            is_header, count = comment_header_count(text)
            if is_header and count is not None:
                self.page.comments_declared = count
                self.add("comment_header", text)
            elif not BYLINE.match(text) and (line := _fields_byline(text)):  # "Name | Place | Date" looks like a menu
                self.take_byline(line.name, line.posted)
                self.add("byline", text)
            elif kind := self.furniture(text):
                self.add(kind, text)
            elif self.read_byline(text):
                self.add("byline", text)
            elif posted := parse_date_line(text):
                self.dates.setdefault("byline", posted[:10])
                self.add("dateline", text)
            elif (name := _place_name_line(text)) and parse_date_line(_text_at(header, index + 1)):
                self.take_byline(name, None)  # "Name, Place" over the date line
                self.add("byline", text)
            else:
                candidates.append(index)
        if not candidates:
            return
        # the title sits below the site's navigation; a tagline above the navigation is no title
        furnished = [i for i in range(len(header)) if i not in candidates]
        below_nav = [i for i in candidates if furnished and i > furnished[0]] or candidates
        title_index = max(below_nav, key=lambda i: (word_count(header[i].text), -i))
        self.page.title = header[title_index].text
        for index in candidates:
            if index != title_index:
                self.add("nav" if index < title_index else "standfirst", header[index].text)

    def read_byline(self, text: str) -> bool:
        name, posted = None, None
        match = POSTED_ON_BY.match(text)
        if match and (match.group("verb") or parse_date_line(match.group("date"))):
            name, posted = match.group("name"), parse_date(match.group("date"))
        elif match := BYLINE.match(text):
            rest = match.group("rest")
            name = NAME_SEPARATOR.split(rest, maxsplit=1)[0]
            posted = parse_date(rest[len(name):])
        elif line := parse_author_line(text):
            name, posted = line.name, line.posted
        if not name or word_count(name) > 8:
            return False
        self.take_byline(name, posted)
        return True

    def take_byline(self, name: str, posted: str | None) -> None:
        self.byline_author = name.strip(" ,")
        if posted:
            self.dates.setdefault("byline", posted[:10])

    def read_body(self, zone: list[Segment]) -> None:
        tail_start = self.split_tail(zone)
        kinds = [self.furniture(segment.text) for segment in zone]
        for index in range(tail_start):
            if kinds[index] is None and self.is_caption(zone, kinds, index):
                kinds[index] = "caption"
        paragraphs = []
        for segment, kind in zip(zone[:tail_start], kinds):
            if kind:
                self.add(kind, segment.text)
            else:
                paragraphs.append(segment.text)
        self.page.body = "\n\n".join(paragraphs)
        self.read_tail(zone[tail_start:])

    def read_thread(self, thread: list[Segment]) -> None:
        comments: list[Comment] = []
        indents: list[int] = []
        texts: list[list[Segment]] = []
        closed = False  # the last comment's text has ended (a date or a Reply line after it)
        index = 0
        while index < len(thread):
            segment = thread[index]
            text = segment.text
            author, used = self._author_in(thread, index)
            if not author and (closed or not comments) and self._bare_author_at(thread, index):
                author, used = AuthorLine(text, None), 1  # a name whose date follows the text
            if author:
                comments.append(Comment(author=author.name, text="", posted=author.posted, structure="text"))
                indents.append(segment.indent)
                texts.append([])
                closed = False
                index += used
                continue
            is_header, count = comment_header_count(text)
            kind = self.furniture(text)
            if is_header and not comments:
                if count is not None:
                    self.page.comments_declared = count
                self.add("comment_header", text)
            elif kind in {"comment_form", "footer"} or (comments and self._dedented(segment, indents[-1], texts[-1])):
                break
            elif closed and kind in THREAD_END_KINDS:
                break  # a caption, share row or related list after a finished comment: the page's tail
            elif kind or not comments:
                self.add(kind or "comment_ui", text)
                closed = closed or (kind == "comment_ui" and bool(comments) and bool(texts[-1]))
            elif comments[-1].posted is None and (posted := parse_date_line(text)):
                comments[-1].posted = posted  # shown before the text, or after it (Blogger)
                closed = bool(texts[-1])
            elif is_relative_date_line(text):
                closed = bool(texts[-1])  # "2 days ago": a date line, but it dates nothing
            elif closed and _text_at(thread, index + 1) and self._author_in(thread, index + 1)[0]:
                self.add("comment_ui", text)  # a label between comments (Blogger's "Replies")
            elif closed:
                break  # after a finished comment, neither a name nor furniture: the thread is over
            else:
                texts[-1].append(segment)
            index += 1
        tail = thread[index:]
        if comments and not tail:  # no layout signal ended the thread: look for a menu/footer tail
            cut = self.split_tail(texts[-1])
            texts[-1], tail = texts[-1][:cut], texts[-1][cut:]
        for comment, segments in zip(comments, texts):
            comment.text = "\n\n".join(segment.text for segment in segments)
        link_replies_by_nesting(comments, indents)
        link_replies_by_mention(comments)
        for comment, segments in zip(comments, texts):
            if len(segments) > 1 and REPLY_TO_LINE.match(segments[0].text):
                self.add("comment_ui", segments[0].text)  # "Reply to Name" above the text: linked, not said
                comment.text = "\n\n".join(segment.text for segment in segments[1:])
        self.page.comments = comments
        self.read_tail(tail)

    def read_tail(self, tail: list[Segment]) -> None:
        """After the article (or thread): furniture, bios, menus. Unlabelled lines inherit a block's kind."""
        current = "menu"
        for segment in tail:
            kind = self.furniture(segment.text)
            if kind == "nav":
                kind = "menu"  # a row of section links below the article is the site's menu, not its navigation
            if kind is None and (name := bio_author(segment.text)):
                kind = "author_bio"
                self.bio_author = self.bio_author or name
            elif kind is None and BYLINE.match(segment.text) and self.read_byline(segment.text):
                kind = "byline"  # "Posted by X at 11:42 AM" below the article
            if kind:
                # a bare heading ("Related posts", "Share this:") labels the lines under it; a labelled
                # line with its own values ("Categories: Analysis") does not
                heading = kind in TAIL_STICKY_KINDS and not re.search(r":\s*\S", segment.text)
                current = kind if heading else "menu"
                self.add(kind, segment.text)
            elif comment_header_count(segment.text)[0]:
                self.add("comment_header", segment.text)
            else:
                self.add(current, segment.text)

    # --- segment tests ---------------------------------------------------------------------------

    def split_tail(self, zone: list[Segment]) -> int:
        """Index where trailing furniture starts: labelled lines, author bios and menu-like runs."""
        start = len(zone)
        while start > 0:
            text = zone[start - 1].text
            if self.labelled(text) or is_menu_item(text):
                start -= 1
            else:
                break
        # Unlabelled short lines at the front of the tail stay article text unless they form a menu run.
        run = start
        while run < len(zone) and not self.labelled(zone[run].text):
            run += 1
        if run - start and not (run - start >= MIN_MENU_RUN and all(is_menu_item(s.text, 5) for s in zone[start:run])):
            start = run
        return start

    def labelled(self, text: str) -> bool:
        """Recognisably not article text: furniture, an author bio, a byline ("Posted by X at 11:42 AM")."""
        return bool(self.furniture(text) or bio_author(text) or BYLINE.match(text))

    def is_caption(self, zone: list[Segment], kinds: list[str | None], index: int) -> bool:
        """A line that describes a photo: beside an image placeholder, a credit under a caption, or unmarked."""
        text = zone[index].text
        if word_count(text) > 40:
            return False
        neighbours = [kinds[i] for i in (index - 1, index + 1) if 0 <= i < len(kinds)]
        if "image" in neighbours:
            # a sentence between an image and its credit line is still its caption
            return "caption" in neighbours or not text.endswith((".", "!", "?", "…", ":"))
        if index and kinds[index - 1] == "caption" and _is_name_line(text):
            return True  # "Photo: A team marks a field." then the photographer's name
        return self.is_unmarked_caption(zone, kinds, index)

    @staticmethod
    def is_unmarked_caption(zone: list[Segment], kinds: list[str | None], index: int) -> bool:
        """One short sentence, unquoted, between two long article paragraphs: what a photo caption looks like
        once the photo is gone. Short article paragraphs quote, ask, or run on; captions just describe."""
        text = zone[index].text
        if not MIN_CAPTION_WORDS <= word_count(text) <= MAX_CAPTION_WORDS or not text.endswith("."):
            return False
        if re.search(r"[\"“”:;?!]|\.\s", text):  # a quotation, a question, more than one sentence
            return False
        return all(
            0 <= i < len(zone) and kinds[i] is None and is_prose(zone[i].text)
            and word_count(zone[i].text) > word_count(text)
            for i in (index - 1, index + 1)
        )

    def furniture(self, text: str) -> str | None:
        if comment_header_count(text)[0]:
            return None
        return classify_line(text)

    def _author_at(self, index: int) -> AuthorLine | None:
        return self._author_in(self.segments, index)[0]

    def _author_in(self, segments: list[Segment], index: int) -> tuple[AuthorLine | None, int]:
        """An author line at index, and how many segments it spans (a bare name + a date line is two)."""
        text = segments[index].text
        if author := parse_author_line(text):
            return author, 1
        if index + 1 < len(segments) and _is_name_line(text):
            date_line = segments[index + 1].text
            posted = parse_date_line(date_line)
            if posted or is_relative_date_line(date_line):  # "2 days ago" dates nothing: posted stays null
                return AuthorLine(text.strip().lstrip("•·*◦▪‣–- "), posted), 2
        return None, 1

    def _bare_author_at(self, segments: list[Segment], index: int) -> bool:
        """A name alone on its line with the comment's text under it (its date comes after the text);
        a label such as Blogger's "Replies" has an author line under it instead."""
        text = segments[index].text
        if not _is_name_line(text) or self.labelled(text) or comment_header_count(text)[0]:
            return False
        following = _text_at(segments, index + 1)
        return bool(following) and not self.labelled(following) and self._author_in(segments, index + 1)[0] is None

    @staticmethod
    def _dedented(segment: Segment, author_indent: int, text: list[Segment]) -> bool:
        """Comment text indented under its author line, then a line back at or left of it: thread over."""
        return bool(text) and text[0].indent > author_indent and segment.indent <= author_indent

    def add(self, kind: str, text: str) -> None:
        self.page.boilerplate.append(Boilerplate(kind, text))
        if kind == "tags":
            values = text.split(":", 1)[1] if ":" in text else ""
            self.page.tags.extend(tag.strip() for tag in re.split(r"[,;|]", values) if tag.strip())
        if kind == "author_bio" and not self.bio_author:
            self.bio_author = bio_author(text)

    # --- metadata ------------------------------------------------------------------------------

    def settle_metadata(self) -> None:
        page = self.page
        page.author = self.byline_author or self.bio_author
        if self.url and (match := URL_DATE.search(self.url)):
            self.dates.setdefault("url", "-".join(match.groups()))
        image_dates = [
            "-".join(match.groups())
            for item in page.boilerplate if item.kind == "image"
            for match in [IMAGE_DATE.search(item.text)] if match
        ]
        if image_dates:
            self.dates["image_filename"] = max(image_dates)  # published on or after its last screenshot
        comment_dates = [c.posted[:10] for c in page.comments if c.posted]
        if comment_dates:
            self.dates["first_comment"] = min(comment_dates)
        for source in ("byline", "url", "image_filename", "first_comment"):
            if source in self.dates:
                page.published, page.date_source = self.dates[source], source
                break
        page.comment_path = "text" if page.comments else "none"
        if page.comments_declared is not None and page.comments_declared != len(page.comments):
            page.warnings.append(
                f"page declares {page.comments_declared} comments, {len(page.comments)} found")
        if not page.body:
            page.warnings.append("no article body found")


def _text_at(segments: list[Segment], index: int) -> str:
    """The segment's text, or "" past the end."""
    return segments[index].text if index < len(segments) else ""


def _is_name_line(text: str) -> bool:
    """A bare name; an abbreviated surname ("Ivan Sh.") is a name too, not a sentence."""
    return is_short_name_line(ABBREVIATED_END.sub("", text.strip()))


def _place_name_line(text: str) -> str | None:
    """'Taras Levchenko, Kherson' or a bare name: the name, when the line is nothing else."""
    name, _, place = text.partition(", ")
    if _is_name_line(name) and word_count(place) <= MAX_PLACE_WORDS:
        return name.strip()
    return None


def _fields_byline(text: str) -> AuthorLine | None:
    """'Name | Place | March 3, 2024': a name first, a date among the fields, nothing long."""
    fields = FIELD_SEPARATOR.split(text.strip())
    if len(fields) < 2 or not _is_name_line(fields[0]):
        return None
    parsed = [(field, parse_date_line(field)) for field in fields[1:]]
    dates = [posted for _, posted in parsed if posted]
    if len(dates) != 1 or any(word_count(field) > MAX_PLACE_WORDS for field, posted in parsed if not posted):
        return None
    return AuthorLine(fields[0].strip(), dates[0])


def segment_text(text: str, url: str | None = None) -> Extraction:
    """Extraction of one plain-text page rendering."""
    return PageSegmenter(text, url).run()
