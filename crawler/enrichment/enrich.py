"""Everything enrichment adds to one extracted page: entity mentions, theater, comment languages, replies."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field

from crawler.extraction.comments import link_replies_by_mention
from crawler.extraction.model import Comment

from .gazetteer import Entity
from .language import detect_language
from .matcher import EntityMatcher, count_mentions


# "Jane Doe is a senior fellow at ...": the author's bio a text rendering leaves at the end of the body. Its
# places and institutions are the author's, not the article's.
BIO = re.compile(
    r"^(?i:about the authors?:?\s*)?(?:(?:Dr|Col|Gen|Maj|Capt|Lt)\.?\s+)?(?:[A-Z][\w'’.-]*\s+){0,3}[A-Z][\w'’.-]*"
    r"(?:,[^,.]{1,80},)?\s+(?:is|was|has been|serves as|served as|writes|covers|reports)\b[^.]{0,160}?"
    r"\b(?i:fellow|analyst|editor|journalist|researcher|correspondent|director|professor|lecturer|writer|"
    r"contributor|reporter|author|scholar|student|candidate|officer|veteran|expert|associate|consultant|founder|"
    r"chair|member|specialist|adviser|advisor|commentator|columnist|historian|investigator|freelance)")
BIO_MAX_WORDS = 120


def without_author_bio(body: str) -> str:
    """The body less a last paragraph that is the author's bio ("X is a senior fellow at ..."); the body
    as it is when there is none, or when that paragraph is all there is."""
    head, sep, last = body.rstrip().rpartition("\n\n")
    if sep and len(last.split()) <= BIO_MAX_WORDS and BIO.match(last):
        return head
    return body


@dataclass
class Enrichment:
    article_mentions: Counter = field(default_factory=Counter)  # (Entity, surface) -> count
    comment_mentions: list[Counter] = field(default_factory=list)
    aliases: dict[Entity, list[str]] = field(default_factory=dict)  # of the entities mentioned


def enrich(matcher: EntityMatcher, title: str | None, body: str, comments: list[Comment]) -> Enrichment:
    """Comments are read in the article's theater, so "Georgia" in a comment follows the article."""
    article = matcher.mentions("\n\n".join(filter(None, [title, without_author_bio(body)])))
    theater = Counter(c for m in article for c in m.entity.countries)
    result = Enrichment(article_mentions=count_mentions(article))
    for comment in comments:
        comment.language = detect_language(comment.text)
        result.comment_mentions.append(count_mentions(matcher.mentions(comment.text, theater)))
    link_replies_by_mention(comments)
    for counter in [result.article_mentions, *result.comment_mentions]:
        for entity, _ in counter:
            if entity not in result.aliases:
                result.aliases[entity] = matcher.aliases_of(entity)
    return result


def entity_row(entity: Entity, aliases: list[str]) -> dict:
    return {
        "name": entity.name, "kind": entity.kind, "place_type": entity.place_type,
        "country_code": entity.country_code, "latitude": entity.latitude, "longitude": entity.longitude,
        "aliases": json.dumps(aliases, ensure_ascii=False), "description": entity.description,
        "gazetteer": entity.gazetteer,
    }
