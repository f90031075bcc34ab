"""Everything enrichment adds to one extracted page: entity mentions, theater, comment languages, replies."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field

from crawler.extraction.comments import link_replies_by_mention
from crawler.extraction.model import Comment

from .gazetteer import Entity
from .language import detect_language
from .matcher import EntityMatcher, count_mentions


@dataclass
class Enrichment:
    article_mentions: Counter = field(default_factory=Counter)  # (Entity, surface) -> count
    comment_mentions: list[Counter] = field(default_factory=list)
    aliases: dict[Entity, list[str]] = field(default_factory=dict)  # of the entities mentioned


def enrich(matcher: EntityMatcher, title: str | None, body: str, comments: list[Comment]) -> Enrichment:
    """Comments are read in the article's theater, so "Georgia" in a comment follows the article."""
    article = matcher.mentions("\n\n".join(filter(None, [title, body])))
    theater = Counter(c for m in article for c in m.entity.countries)
    result = Enrichment(article_mentions=count_mentions(article))
    for comment in comments:
        comment.language = detect_language(comment.text)
        result.comment_mentions.append(count_mentions(matcher.mentions(comment.text, theater)))
    link_replies_by_mention(comments)
    for counter in [result.article_mentions, *result.comment_mentions]:
        for entity, _ in counter:
            if entity not in result.aliases:
                result.aliases[entity] = matcher.gazetteer.aliases_of(entity)
    return result


def entity_row(entity: Entity, aliases: list[str]) -> dict:
    return {
        "name": entity.name, "kind": entity.kind, "place_type": entity.place_type,
        "country_code": entity.country_code, "latitude": entity.latitude, "longitude": entity.longitude,
        "aliases": json.dumps(aliases, ensure_ascii=False), "description": entity.description,
        "gazetteer": entity.gazetteer,
    }
