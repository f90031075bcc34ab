"""Find every gazetteer alias in a text in one pass (Aho-Corasick), on word boundaries, longest first."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import ahocorasick

from .gazetteer import Alias, Entity, Gazetteer

BIG_TOWN = 100_000
# curly quotes read as straight ones; any hyphen or dash matches a space ("al-Nusra", "al Nusra")
FOLD = str.maketrans({"’": "'", "‘": "'", "‐": " ", "‑": " ", "–": " ", "-": " "})


@dataclass(frozen=True)
class Mention:
    entity: Entity
    surface: str  # the text as written
    start: int


NON_WORD = re.compile(r"\W")


def searchable(text: str) -> str:
    """Folded, every non-word character a space, one space around: an alias key " deir ez zor " then only
    matches whole words, and the automaton never reports the many aliases hidden inside longer words."""
    return " " + NON_WORD.sub(" ", fold(text)) + " "


def fold(text: str) -> str:
    """Lower case and unify quotes/hyphens without changing the length, so offsets stay valid."""
    text = text.translate(FOLD)
    lowered = text.lower()
    if len(lowered) == len(text):  # no character lowered into two (the common case, and a fast one)
        return lowered
    return "".join(c if len(low := c.lower()) != 1 else low for c in text)


class EntityMatcher:
    def __init__(self, gazetteer: Gazetteer):
        self.gazetteer = gazetteer
        self.automaton = ahocorasick.Automaton()
        by_key: dict[str, list[Alias]] = {}
        for alias in gazetteer.aliases:
            by_key.setdefault(searchable(alias.text), []).append(alias)
        for key, aliases in by_key.items():
            self.automaton.add_word(key, (len(key), aliases))
        self.automaton.make_automaton()

    def candidates(self, text: str) -> list[tuple[int, int, list[Alias]]]:
        """(start, end, aliases that fit there), longest non-overlapping spans only."""
        spans = []
        for end_index, (length, aliases) in self.automaton.iter(searchable(text)):
            start, end = end_index - length + 1, end_index - 1  # in text: the key less its two spaces
            fitting = [a for a in aliases if not a.case_sensitive or _exact_case(text, start, end, a.text)]
            if fitting:
                spans.append((start, end, fitting))
        kept, taken = [], bytearray(len(text))  # taken[i] == 1: character i belongs to a kept span
        for start, end, aliases in sorted(spans, key=lambda s: (-(s[1] - s[0]), s[0])):
            if taken.find(1, start, end) == -1:
                kept.append((start, end, aliases))
                taken[start:end] = b"\x01" * (end - start)
        return sorted(kept)

    def mentions(self, text: str, theater: Counter | None = None) -> list[Mention]:
        """Mentions with ambiguous names resolved toward the theater: country codes weighted by the
        unambiguous curated entities and big towns the text names (plus `theater`, e.g. the article's for
        its comments). Small towns are no evidence: any capitalised word may be one somewhere."""
        found = self.candidates(text)
        weights = Counter(theater or {})
        for _, _, aliases in found:
            entities = {a.entity for a in aliases}
            if len(entities) == 1 and _plausible(entity := next(iter(entities)), Counter()):
                weights.update(entity.countries)
        mentions = []
        for start, end, aliases in found:
            plausible = [a for a in aliases if _plausible(a.entity, weights)]
            if plausible:
                mentions.append(Mention(_resolve(plausible, weights), text[start:end], start))
        return mentions


def _plausible(entity: Entity, weights: Counter) -> bool:
    """A geonames town counts inside the theater, or anywhere if it is big: "read Kora" is not about
    Kora, Kenya. Curated entities always count."""
    return (entity.gazetteer != "geonames" or weights[entity.country_code] > 0
            or entity.population >= BIG_TOWN)


def _resolve(aliases: list[Alias], weights: Counter) -> Entity:
    entities = list(dict.fromkeys(a.entity for a in aliases))
    return max(entities, key=lambda e: (max((weights[c] for c in e.countries), default=0), e.rank, e.population))


def _exact_case(text: str, start: int, end: int, alias: str) -> bool:
    if text[start:end].translate(FOLD) != alias.translate(FOLD):
        return False
    window = text[max(0, start - 30): end + 30]
    letters = [c for c in window if c.isalpha()]
    return sum(c.isupper() for c in letters) < 0.6 * len(letters)  # not a shouted ALL-CAPS line


def count_mentions(mentions: list[Mention]) -> Counter:
    return Counter((m.entity, m.surface) for m in mentions)
