"""Recognise page furniture (navigation, share buttons, captions, comment forms...) line by line.

Each pattern is matched against a whole short line, so a body paragraph that merely mentions
"Twitter" or "Reply" is never taken for furniture.
"""

from __future__ import annotations

import re

MAX_FURNITURE_WORDS = 16
MAX_FOOTER_PIECE_WORDS = 4

_I = re.IGNORECASE

# kind -> whole-line patterns, tried in this order (first match wins)
PATTERNS: list[tuple[str, re.Pattern]] = [
    ("image", re.compile(
        r"^(?:screen ?shot|screenshot|img[_ -]?\d|dsc[_ -]?\d|image\s*\d*$|photo\s*\d*$"
        r"|\[(?:image|photo|img|picture|video)\b.*\]$|\((?:image|photo)\)$"
        r"|[\w .()-]+\.(?:jpe?g|png|gif|webp|tiff?)$)", _I)),
    ("caption", re.compile(
        r"^(?:\(?(?:photo|image|picture|credit|caption|pictured|above|top|video|map|source)\s*(?:credit)?\s*:"
        r"|\(?(?:AP|AFP|Reuters|Getty)(?: Images)?\s*(?:photo)?\s*[/:|]"
        r"|(?:photo|image)s? (?:by|courtesy of|via)\b"
        r"|.*\((?:photo:?\s[^)]*|AP|AFP|Reuters|EPA|Getty(?: Images)?)\)$)", _I)),  # "... mass. (AFP)"
    ("tags", re.compile(r"^(?:tags|tagged(?: with| as)?|topics|keywords|labels)\s*:", _I)),
    ("categories", re.compile(r"^(?:filed under|categor(?:y|ies)|posted in|sections?)\s*:", _I)),
    ("comment_form", re.compile(
        r"^(?:leave a (?:reply|comment|response)|post (?:a )?comment|submit comment|cancel reply"
        r"|your email address will not be published|required fields are marked|comments are closed"
        r"|(?:name|email|e-mail|website|comment|message)\s*[*:]$|quick reply$|submit$"
        r"|notify me of|save my name|this site uses akismet"
        r"|you must be (?:logged|signed) in|add (?:a |your )?comment|join the (?:discussion|conversation)"
        r"|comment policy|(?:type|enter) your (?:email|e-mail|comment|name)\b)", _I)),
    ("comment_ui", re.compile(
        r"^(?:reply(?:\s*↓)?|log in to reply|report(?: comment| abuse)?|(?:like|reply)\s*\(\d+\)|like|unlike"
        r"|\d+ likes?|loading\.{0,3}|load more(?: comments| replies)?\.{0,3}|permalink|flag|upvote|downvote"
        r"|show (?:more )?replies|view replies"
        r"|sort by:?.*|newest|oldest|most popular|re:\s.+)$", _I)),  # "Re: Title" heads a forum reply
    ("share", re.compile(
        r"^(?:share(?: this(?: article| story| post)?)?:?|share (?:on|to) \w+|click to (?:share|email|print)\b.*"
        r"|tweet|facebook|twitter|x|email(?: this)?|e-mail|print|linkedin|reddit|whatsapp|telegram|pinterest"
        r"|tumblr|pocket|more|like this:?|like loading\.{0,3}|blogthis!?)$", _I)),
    ("related", re.compile(
        r"^(?:(?:related|similar)(?: \w+)?:?$|read more\b|read next\b"
        r"|see also:|you (?:may|might) also (?:like|be interested in)|recommended(?: for you)?:?$"
        r"|more (?:from|on|in) [\w ]{1,30}:?$|(?:previous|next) (?:post|article|story)\b|[«‹←]|.*[»›→]$)", _I)),
    ("ad", re.compile(r"^(?:advertisement|sponsored(?: content)?|ad|story continues below(?: advertisement)?)$", _I)),
    ("footer", re.compile(
        r"^(?:©|\(c\)\s*\d{4}|copyright\b|all rights reserved|privacy(?: policy)?$|terms (?:of|and) (?:use|service)"
        r"|powered by\b|contact us$|about us$|back to top|cookie (?:policy|settings)|subscribe(?: now)?$"
        r"|sign up for\b|get our newsletter|donate$|support our work"
        r"|(?:blog|website) at wordpress\.com)", _I)),
    ("nav", re.compile(
        r"^(?:skip to (?:main )?content|skip navigation|menu|main menu|search|search for:?|home|log ?in|sign ?in"
        r"|log ?out|register|toggle navigation|close|open menu|navigation)$", _I)),
]

BIO_ROLE = re.compile(
    r"\b(?:editor|fellow|correspondent|journalist|reporter|writer|analyst|author|contributor|researcher"
    r"|director|professor|columnist|freelance|photographer|producer|chief|founder|expert|scholar|officer"
    r"|veteran|specialist|consultant|associate|staff|student|lecturer|commentator|historian|investigator"
    r"|blogger|manager|head of|member of)", re.IGNORECASE)
NAME_WORD = r"[A-ZÀ-ÖØ-ÞĀ-ſ][\w'’.-]*"
NAME_PARTICLE = r"(?:al|el|bin|ibn|abu|de|da|del|der|van|von|la|le|du|dos|di)"
PERSON_NAME = rf"{NAME_WORD}(?:[ -](?:{NAME_WORD}|{NAME_PARTICLE})){{1,4}}"
BIO = re.compile(
    rf"^(?P<name>{PERSON_NAME}(?: and {PERSON_NAME})?)(?:,[^,]{{1,60}},)?\s+"
    rf"(?:is|was|are|has been|have been|serves as|works as|writes)\b", re.UNICODE)


SEPARATORS = re.compile(r"\s+[|•·∙/]\s+|\s*\|\s*|\s{2,}")
NAV_LINE = re.compile(  # Home | World | Analysis, or "Top  Latest  Discussions"
    r"^[^|•·/.!?]{1,30}?(?:(?:\s*[|•·/]\s*|\s{2,})[^|•·/.!?]{1,30}?){2,}$")


def word_count(text: str) -> int:
    return len(text.split())


def classify_line(text: str) -> str | None:
    """The furniture kind of one short line, or None when it may be article or comment text."""
    if word_count(text) > MAX_FURNITURE_WORDS:
        return None
    stripped = text.strip(" \t•·*-–—|")
    for kind, pattern in PATTERNS:
        if pattern.match(stripped):
            return kind
    pieces = [piece for piece in SEPARATORS.split(stripped) if piece]
    if len(pieces) > 1:  # "Like · Reply · Report", "Print | Email": the kind its pieces share
        kinds = {classify_line(piece) for piece in pieces}
        if len(kinds) == 1 and None not in kinds:
            return kinds.pop()
        if "footer" in kinds and all(word_count(piece) <= MAX_FOOTER_PIECE_WORDS for piece in pieces):
            return "footer"  # "About | Privacy Policy | © 2024 Site": one footer link makes the row a footer
    if kind := _labelled_row(stripped):
        return kind
    return "nav" if NAV_LINE.match(stripped) else None


def _labelled_row(text: str) -> str | None:
    """'Share this: Twitter Facebook Email': a furniture label whose values are all of its kind."""
    label, colon, values = text.partition(":")
    if not colon or not values.strip():
        return None
    kind = classify_line(label + ":")
    if kind is None or classify_line(values.strip()) == kind:
        return kind
    return kind if all(classify_line(word) == kind for word in values.split()) else None


def bio_author(text: str) -> str | None:
    """'Thomas Joscelyn is a Senior Fellow at ...' -> 'Thomas Joscelyn'; None for ordinary prose."""
    if word_count(text) > 90:
        return None
    match = BIO.match(text.strip())
    if not match or not BIO_ROLE.search(text):
        return None
    return match.group("name")
