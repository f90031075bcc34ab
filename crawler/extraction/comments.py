"""Comment threads as pages render them: the header that declares a count, author lines, reply links."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from .dates import DATE_TIME, is_relative_date_line, parse_date, parse_date_line
from .model import Comment

NUMBER_WORDS = {
    "no": 0, "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}
_COUNT = r"(?P<n>\d[\d,]*|" + "|".join(NUMBER_WORDS) + r")"
_NOUN = r"(?:comments?|responses?|replies|thoughts?|reactions?|opinions?)"
_BARE_NOUN = r"(?:comments|responses|reader comments)"  # alone on a line; "Reply" alone is a button
COMMENT_HEADERS = [
    re.compile(rf"^{_COUNT}\s+{_NOUN}(?:\s+(?:on|to|for)\b.*)?:?$", re.IGNORECASE),
    re.compile(rf"^{_NOUN}\s*[(\[:]\s*{_COUNT}\s*[)\]]?:?$", re.IGNORECASE),
    re.compile(rf"^{_BARE_NOUN}:?$", re.IGNORECASE),
    re.compile(r"^(?:reader comments|discussion|the discussion)(?:\s*\((?P<n>\d+)\))?:?$", re.IGNORECASE),
]

BULLET = r"[•·*◦▪‣–-]"
NOT_A_NAME_START = {
    "the", "a", "an", "he", "she", "it", "they", "we", "i", "you", "this", "that", "which", "who", "what",
    "one", "someone", "everyone", "nobody", "report", "statement", "article", "video", "and", "but", "or",
    "his", "her", "their", "its", "our", "my", "if", "when", "as",
}
SAYS = re.compile(
    rf"^(?:{BULLET}\s*)?(?P<name>[^\s:].{{0,48}}?)\s+(?:on\s+(?P<date>.+?)\s+)?"
    r"(?:says|said|wrote|writes|commented|replied)\s*(?::|\.{3}|…)?$", re.IGNORECASE)
NAME_THEN_DATE = re.compile(rf"^(?:{BULLET}\s*)?(?P<name>[^|—–·]{{1,50}}?)\s*[|—–·]\s*(?P<rest>.+)$")
MENTION = re.compile(r"^(?:@\s*(?P<at>.+)|(?:in )?reply to\s+(?P<to>.+))", re.IGNORECASE)


@dataclass
class AuthorLine:
    name: str
    posted: str | None = None


def comment_header_count(text: str) -> tuple[bool, int | None]:
    """(is a comment header, declared count): '12 Comments' -> (True, 12); 'Comments' -> (True, None)."""
    stripped = text.strip(" \t•·*-–—")
    for pattern in COMMENT_HEADERS:
        match = pattern.match(stripped)
        if match:
            raw = (match.groupdict().get("n") or "").lower().replace(",", "")
            if not raw:
                return True, None
            return True, int(raw) if raw.isdigit() else NUMBER_WORDS[raw]
    return False, None


def looks_like_name(name: str) -> bool:
    words = name.split()
    if not 1 <= len(words) <= 5 or len(name) > 50:
        return False
    if words[0].lower().strip("'’\"") in NOT_A_NAME_START:
        return False
    # "Rachel K." ends in a period; a sentence does not end in an initial
    return not re.search(r"[!?;:,\"“”]$|(?<!\b[A-Z])\.$|[\"“”]", name) and not name.startswith("@")


def parse_author_line(text: str) -> AuthorLine | None:
    """'Name says:', '• Name says:', 'Name on June 2, 2015 at 3:01 pm said:', 'Name | June 2, 2015'."""
    stripped = text.strip()
    match = SAYS.match(stripped)
    if match:
        name = match.group("name").strip()
        posted = parse_date(match.group("date")) if match.group("date") else None
        if match.group("date") and not posted:
            return None
        return AuthorLine(name, posted) if looks_like_name(name) else None
    match = NAME_THEN_DATE.match(stripped)
    if match and DATE_TIME.search(match.group("rest")):
        posted = parse_date_line(match.group("rest"))
        name = match.group("name").strip()
        if posted and looks_like_name(name):
            return AuthorLine(name, posted)
    return None


def is_short_name_line(text: str) -> bool:
    """A bare commenter name, as threads that print the date on the next line show it."""
    name = text.strip().lstrip("•·*◦▪‣–- ")
    return len(name.split()) <= 4 and looks_like_name(name) and parse_date_line(name) is None \
        and not is_relative_date_line(name)  # "3 hours ago" dates a comment, it does not sign one


def mention_target(comment: Comment) -> str | None:
    """The name a comment opens by addressing: '@ idi', '@Hispanic ...', 'In reply to James'."""
    first_line = comment.text.strip().split("\n", 1)[0]
    match = MENTION.match(first_line)
    if not match:
        return None
    target = (match.group("at") or match.group("to")).strip()
    return target or None


def _name_score(candidate: str, mention: str) -> float:
    """How well an earlier commenter's name matches the start of a mention (0-100), typos allowed."""
    mention_words = re.sub(r"[^\w\s']|_", " ", mention.lower()).split()
    name = " ".join(re.sub(r"[_-]", " ", candidate.lower()).split())  # jun_dela_cruz = @jun dela cruz
    size = len(name.split())
    if len(mention_words) < size:
        return 0.0
    head = " ".join(mention_words[:size])
    return max(fuzz.ratio(name, head), fuzz.ratio(name.replace(" ", ""), mention_words[0]))


def link_replies_by_mention(comments: list[Comment], min_score: float = 75.0) -> None:
    """Point each unlinked comment that opens with a mention at the latest earlier comment by that person."""
    for index, comment in enumerate(comments):
        if comment.reply_to is not None:
            continue
        mention = mention_target(comment)
        if not mention:
            continue
        best_score, best_index = 0.0, None
        for earlier in range(index - 1, -1, -1):  # latest first, so ties go to the most recent comment
            author = comments[earlier].author
            if not author or author == comment.author:
                continue
            score = _name_score(author, mention)
            if score > best_score:
                best_score, best_index = score, earlier
        if best_index is not None and best_score >= min_score:
            comment.reply_to, comment.reply_by = best_index, "mention"


def link_replies_by_nesting(comments: list[Comment], indents: list[int]) -> None:
    """Deeper-indented author lines are replies to the nearest earlier, shallower comment."""
    levels = sorted(set(indents))
    if len(levels) < 2:
        return
    for index, indent in enumerate(indents):
        for earlier in range(index - 1, -1, -1):
            if indents[earlier] < indent:
                comments[index].reply_to, comments[index].reply_by = earlier, "nesting"
                break
