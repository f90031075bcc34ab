"""Find every gazetteer alias in a text in one pass (Aho-Corasick), on word boundaries, longest first.

The matcher is tables of plain values (entity fields, alias rows) plus an automaton whose values index
them, so it can be cached on disk as it is (cache.py) and only the entities a text mentions become
objects.
"""

from __future__ import annotations

import marshal
import re
import unicodedata
from array import array
from collections import Counter
from dataclasses import astuple, dataclass
from functools import cache
from itertools import accumulate

import ahocorasick

from .gazetteer import Alias, Entity, Gazetteer, english_words

BIG_TOWN = 100_000


def _fold_table() -> dict[int, str]:
    """One character for one character, so offsets stay valid: curly quotes and the ayn/hamza marks of
    transliterations read as an apostrophe, any hyphen or dash as a space ("al-Nusra", "al Nusra"), and
    Latin letters lose their diacritics ("Khān Yūnis", "Khan Yunis"); case is kept."""
    table = {ord(c): "'" for c in "’‘`ʿʾʻʼ"} | {ord(c): " " for c in "‐‑–-"}
    table |= {ord(a): b for a, b in zip("łŁøØđĐıħĦ", "lLoOdDihH")}
    for code in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        base = unicodedata.normalize("NFD", chr(code))[0]
        if base != chr(code) and base.isascii() and base.isalpha():
            table[code] = base
    return table


FOLD = _fold_table()
NON_WORD = re.compile(r"\W")
APOSTROPHES = re.compile(r"['’‘`ʿʾʻʼ]")
# Arabic's article as reporters write it, assimilated forms included ("ash-Sham", "ar-Raqqa", "ez-Zor").
ARTICLE = re.compile(r"\b(?:al|el|ar|as|ash|at|ath|ad|adh|an|az|ed|en|er|es|et|ez|ul)[\s-]", re.IGNORECASE)
SUN_LETTERS = ("sh", "th", "dh", "t", "d", "r", "z", "s", "n")
ARTICLE_COUNTRIES = {  # where place names carry that article: the Arab League's members
    "DZ", "BH", "KM", "DJ", "EG", "IQ", "JO", "KW", "LB", "LY", "MR", "MA", "OM", "PS", "QA", "SA", "SO", "SD",
    "SY", "TN", "AE", "YE", "EH"}
MIN_VARIANT_LETTERS = 4
# A place name inside another name is not that place: features ("Mosul Dam", "Gulf of Aden", "Suez Canal"),
# ships ("cruiser Moskva", "USS Tripoli", "the Kursk submarine"), agreements and named wars ("Minsk
# agreements", "Crimean War").
FEATURE_AFTER = re.compile(r"[\s-]+(?:dam|canal|pass|straits?|sea|gulf|bay|lake|river|reservoir|(?:air|naval|military)?"
                           r" ?bases?|airbase|airfield|air field|airport|shoal|bridge|corridor)\b", re.IGNORECASE)
FEATURE_BEFORE = re.compile(r"\b(?:gulf|sea|straits?|bay|lake|cape)\s+of\s+(?:the\s+)?$", re.IGNORECASE)
NAMED_AFTER = re.compile(r"\s+(?:(?i:submarine|cruiser|frigate|agreements?|accords?|protocols?|format)\b|War\b)")
NAMED_BEFORE = re.compile(r"\b(?:USS|HMS|INS|(?i:cruiser|frigate|destroyer|corvette|submarine|warship|flagship|vessel|"
                          r"ship|tanker))\s+(?:the\s+)?$")
# In running text, a capitalised word right after a place name goes on with the name: "Kyiv Independent",
# "Israel Katz", "Jordan Ellis", "Kherson Oblast" (unless it is a place of its own, a weekday or a month).
NEXT_CAPITALISED = re.compile(r" ([A-Z][a-z]+)\b")
NOT_A_NAME = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February",
              "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
TITLE_CASE = 0.5  # a line with this share of capitalised words is a headline: capitals say nothing there
# "Kharkiv region", "Kursk Oblast": the unit named after its town (when the gazetteer has it), never the town.
# A region stays itself ("the Donbas region"); "state" is a unit only as a name ("Rakhine State", not "Iran
# state media").
ADMIN_AFTER = re.compile(r"\s+(?:(?i:region|province|oblast|governorate|district|raion)|State)\b")
TOWNS = {"city", "town", "village"}
ADMIN_NAMES = ("Oblast", "Governorate", "Province", "Region", "District", "Raion", "State")


@dataclass(frozen=True)
class Mention:
    entity: Entity
    surface: str  # the text as written
    start: int


def searchable(text: str) -> str:
    """Folded, every non-word character a space, one space around: an alias key " deir ez zor " then only
    matches whole words, and the automaton never reports the many aliases hidden inside longer words."""
    return " " + NON_WORD.sub(" ", fold(text)) + " "


def fold(text: str) -> str:
    """Lower case, quotes, hyphens and diacritics unified without changing the length (offsets stay valid):
    the one character that lowers into two, "İ", is an "I" in FOLD."""
    return text.translate(FOLD).lower()


def spellings(alias: Alias) -> list[str]:
    """The alias as written, then the transliterations reporters use for an Arabic place name: without
    apostrophes ("Sana'a", "Sanaa"), without the leading article ("Al-Arish", "El Arish" and "Arish" all
    contain "Arish"), and with the article spelled al/el or assimilated ("Jisr ash-Shughur", "Jisr
    al-Shughur"). General rules, not a list of names."""
    forms = [alias.text]
    entity = alias.entity
    if entity.kind != "place" or not set(entity.countries) & ARTICLE_COUNTRIES:
        return forms
    plain = APOSTROPHES.sub("", alias.text)
    forms.append(plain)
    if (first := ARTICLE.match(plain)) and _usable_variant(rest := plain[first.end():]):
        forms.append(rest)
    for form in dict.fromkeys([alias.text, plain]):
        for article in ARTICLE.finditer(form):
            if article.start() == 0:
                continue
            following = form[article.end():].lower()
            onset = next((s for s in SUN_LETTERS if following.startswith(s)), "l")
            for spelled in ("al", "el", "a" + onset, "e" + onset):
                forms.append(form[:article.start()] + _same_case(spelled, article.group()) + form[article.end() - 1:])
    return list(dict.fromkeys(forms))


def _same_case(word: str, like: str) -> str:
    return word.capitalize() if like[:1].isupper() else word


def _usable_variant(name: str) -> bool:
    letters = re.sub(r"\W", "", name)
    return len(letters) >= MIN_VARIANT_LETTERS and name[:1].isupper() and name.casefold() not in english_words()


class Packed:
    """Items marshalled one by one into one bytes blob: loading a table of 120,000 items is one read, and a
    process decodes only the items its texts use (marshal-loading the whole table cost 0.2-0.5 s a start)."""

    def __init__(self, offsets: bytes, blob: bytes):
        self.offsets = array("Q", offsets)
        self.blob = memoryview(blob)

    @classmethod
    def of(cls, items) -> Packed:
        parts = [marshal.dumps(item) for item in items]
        return cls(array("Q", accumulate(map(len, parts), initial=0)).tobytes(), b"".join(parts))

    def __getitem__(self, index: int):
        return marshal.loads(self.blob[self.offsets[index]:self.offsets[index + 1]])

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def dump(self) -> tuple[bytes, bytes]:
        return self.offsets.tobytes(), self.blob.tobytes()


class EntityMatcher:
    """`keys[value]` is what automaton value `value` stands for: (key length, rows), a row being (entity
    index, the spelling the key was made from, case-sensitive); `entities[index]` is (Entity fields, the
    entity's names as the gazetteer lists them). Both are decoded on first use."""

    def __init__(self, automaton, keys: Packed, entities: Packed, made: list[Entity] | None = None):
        self.automaton = automaton
        self.keys = keys
        self.entities = entities
        self._entities = made or [None] * len(entities)
        self._index = {entity: i for i, entity in enumerate(made or ())}
        self._hits: dict[int, tuple[int, list[Alias], bool]] = {}  # automaton value -> _hit()

    @classmethod
    def from_gazetteer(cls, gazetteer: Gazetteer) -> EntityMatcher:
        entities = list(dict.fromkeys(alias.entity for alias in gazetteer.aliases))
        index = {entity: i for i, entity in enumerate(entities)}
        names = [[] for _ in entities]
        for alias in gazetteer.aliases:
            names[index[alias.entity]].append(alias.text)
        rows: dict[str, list[tuple[int, str, bool]]] = {}
        for alias in gazetteer.aliases:
            rows.setdefault(searchable(alias.text), []).append((index[alias.entity], alias.text, alias.case_sensitive))
        written = set(rows)  # a spelling variant never joins a key some alias has as written
        for alias in gazetteer.aliases:
            for form in spellings(alias)[1:]:
                if (key := searchable(form)) not in written:
                    rows.setdefault(key, []).append((index[alias.entity], form, alias.case_sensitive))
        automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        for value, key in enumerate(rows):
            automaton.add_word(key, value)
        automaton.make_automaton()
        return cls(automaton, Packed.of((len(key), key_rows) for key, key_rows in rows.items()),
                   Packed.of((astuple(e), n) for e, n in zip(entities, names)), entities)

    def entity(self, index: int) -> Entity:
        entity = self._entities[index]
        if entity is None:
            entity = self._entities[index] = Entity(*self.entities[index][0])
            self._index[entity] = index
        return entity

    def aliases_of(self, entity: Entity) -> list[str]:
        return [name for name in self.entities[self._index[entity]][1] if name != entity.name]

    def _hit(self, value: int) -> tuple[int, list[Alias], bool]:
        """(key length, aliases, whether any alias must match its exact case)."""
        hit = self._hits.get(value)
        if hit is None:
            length, rows = self.keys[value]
            hit = self._hits[value] = (length, [Alias(text, self.entity(i), strict) for i, text, strict in rows],
                                       any(strict for _, _, strict in rows))
        return hit

    def candidates(self, text: str) -> list[tuple[int, int, list[Alias]]]:
        """(start, end, aliases that fit there), longest non-overlapping spans only."""
        return self._read(text)[0]

    def _read(self, text: str) -> tuple[list[tuple[int, int, list[Alias]]], list[list[Alias]]]:
        """The spans to link, and the aliases of places named inside other names: "Lugansk region" links
        no town, but it still says the text is about Ukraine."""
        spans, hits = [], self._hits
        for end_index, value in self.automaton.iter(searchable(text)):
            length, aliases, strict = hits.get(value) or self._hit(value)
            start, end = end_index - length + 1, end_index - 1  # in text: the key less its two spaces
            if strict:  # most hits of a strict key are ordinary words ("is" for "IS"): checked only then
                aliases = [a for a in aliases if not a.case_sensitive or _exact_case(text, start, end, a.text)]
                if not aliases:
                    continue
            spans.append((start, end, aliases))
        kept, taken = [], bytearray(len(text))  # taken[i] == 1: character i belongs to a kept span
        for start, end, aliases in sorted(spans, key=lambda s: (-(s[1] - s[0]), s[0])):
            if taken.find(1, start, end) == -1:
                kept.append((start, end, aliases))
                taken[start:end] = b"\x01" * (end - start)
        kept.sort()
        starts = {start for start, _, _ in kept}
        linked, context = [], []
        for start, end, aliases in kept:
            if not all(a.entity.kind == "place" for a in aliases):
                linked.append((start, end, aliases))
            elif (admin := ADMIN_AFTER.match(text, end)) and any(a.entity.place_type in TOWNS for a in aliases):
                if (unit := self._admin_unit(text[start:end])) is not None:
                    linked.append((start, admin.end(), unit))
                else:
                    context.append(aliases)
            elif _inside_a_name(text, start, end, starts):
                context.append(aliases)
            else:
                linked.append((start, end, aliases))
        return linked, context

    def _admin_unit(self, name: str) -> list[Alias] | None:
        for unit in ADMIN_NAMES:
            value = self.automaton.get(searchable(f"{name} {unit}"), None)
            if value is not None:
                return self._hit(value)[1]
        return None

    def mentions(self, text: str, theater: Counter | None = None) -> list[Mention]:
        """Mentions with ambiguous names resolved toward the theater: country codes weighted by the
        unambiguous curated entities and big towns the text names (plus `theater`, e.g. the article's for
        its comments). Small towns are no evidence: any capitalised word may be one somewhere."""
        found, context = self._read(text)
        weights = Counter(theater or {})
        for aliases in [aliases for _, _, aliases in found] + context:
            entities = {a.entity for a in aliases}
            if len(entities) == 1 and _plausible(entity := next(iter(entities)), Counter()):
                weights.update(entity.countries)
        mentions = []
        for start, end, aliases in found:
            plausible = [a for a in aliases if _plausible(a.entity, weights)]
            if plausible:
                mentions.append(Mention(_resolve(plausible, weights), text[start:end], start))
        return mentions


def _inside_a_name(text: str, start: int, end: int, starts: set[int]) -> bool:
    """The place is part of a longer name the gazetteer does not know: a feature, a ship, an agreement, a
    war, a newspaper, a person (the longest name the gazetteer knows has already won)."""
    before = text[max(0, start - 25):start]
    if FEATURE_AFTER.match(text, end) or NAMED_AFTER.match(text, end) or FEATURE_BEFORE.search(before) \
            or NAMED_BEFORE.search(before):
        return True
    following = NEXT_CAPITALISED.match(text, end)
    if not following or following.group(1) in NOT_A_NAME or end + 1 in starts:
        return False
    line_end = text.find("\n", end)
    line = text[text.rfind("\n", 0, start) + 1:line_end if line_end != -1 else len(text)]
    words = [w for w in line.split() if w[:1].isalpha()]
    return sum(w[:1].isupper() for w in words) < TITLE_CASE * len(words)


def _plausible(entity: Entity, weights: Counter) -> bool:
    """A geonames town counts inside the theater, or anywhere if it is big: "read Kora" is not about
    Kora, Kenya. Curated entities always count."""
    return (entity.gazetteer != "geonames" or weights[entity.country_code] > 0
            or entity.population >= BIG_TOWN)


def _resolve(aliases: list[Alias], weights: Counter) -> Entity:
    entities = list(dict.fromkeys(a.entity for a in aliases))
    return max(entities, key=lambda e: (max((weights[c] for c in e.countries), default=0), e.rank, e.population))


def _exact_case(text: str, start: int, end: int, alias: str) -> bool:
    written = text[start:end]
    if written != alias:
        folded = _folded(alias)  # most calls are an ordinary word against an acronym ("is", "IS"): islower()
        if (written.islower() and not folded.islower()) or written.translate(FOLD) != folded:
            return False
    window = text[max(0, start - 30): end + 30]
    letters = list(filter(str.isalpha, window))  # map and filter: ~4x faster than a generator, called per hit
    return sum(map(str.isupper, letters)) < 0.6 * len(letters)  # not a shouted ALL-CAPS line


@cache
def _folded(alias: str) -> str:
    return alias.translate(FOLD)


def count_mentions(mentions: list[Mention]) -> Counter:
    return Counter((m.entity, m.surface) for m in mentions)


def load_matcher() -> EntityMatcher:
    """The matcher of the bundled gazetteer, from the on-disk cache when its data and code are unchanged."""
    from .cache import cached_matcher

    return cached_matcher()
