"""Tidy text the same way for every source, then derive what storage compares: counts, language, hashes."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata

from crawler.enrichment.language import detect_language

INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
SPACES = re.compile(r"[ \t]+")
BLANK_LINES = re.compile(r"\n{3,}")


def normalize_text(text: str | None) -> str | None:
    """NFC, no invisible characters, single spaces, at most one blank line between paragraphs. Each
    pattern runs once over the whole text (`str.translate` with a table and a substitution per line were
    most of this stage's time)."""
    if text is None:
        return None
    text = INVISIBLE.sub("", unicodedata.normalize("NFC", text)).replace("\u00a0", " ")
    lines = [line.strip() for line in SPACES.sub(" ", text).splitlines()]
    return BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def content_hash(document: dict) -> str:
    return hashlib.sha256(json.dumps(document, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def normalize_extraction(page) -> None:
    """The same tidying for `frontline extract` output and for what is stored."""
    page.title, page.author, page.body = map(normalize_text, (page.title, page.author, page.body))
    page.tags = [normalize_text(tag) for tag in page.tags]
    for comment in page.comments:
        comment.author, comment.text = normalize_text(comment.author), normalize_text(comment.text)
    for segment in page.boilerplate:
        segment.text = normalize_text(segment.text)


class NormalizePipeline:
    def process_item(self, item):
        page = item.extraction
        normalize_extraction(page)
        item.word_count = len(page.body.split())
        item.language = detect_language(page.body)
        item.content_hash = content_hash(page.to_json())
        return item
