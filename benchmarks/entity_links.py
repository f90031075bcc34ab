"""Precision and recall of place and actor links on hand-written passages with expected links.

    .venv/bin/python benchmarks/entity_links.py [--misses] [--fixtures tests/fixtures/entities]

The passages (tests/fixtures/entities/, format in its README) were written from the specification by
someone who had not read the matcher: features named after towns, transliterations, ambiguous names,
actor abbreviations, and articles ending in an author bio. Each passage goes through `enrich()` as an
article body, as an import would. An expected name matches a linked entity when it equals the entity's
name or one of its aliases, folded (case, diacritics, hyphens, apostrophes); a qualifier in parentheses
("Georgia (US state)", "Tripoli (Lebanon)") must agree with the entity's country and kind. Every link
that matches no expected name is a false positive.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from crawler.enrichment.enrich import enrich  # noqa: E402
from crawler.enrichment.matcher import load_matcher  # noqa: E402

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "entities"
QUALIFIED = re.compile(r"^(.*?)\s*\(([^)]*)\)$")


def folded(name: str) -> str:
    """The comparison the fixtures' README asks for: case, diacritics, hyphens and apostrophes ignored."""
    name = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    name = re.sub(r"['’‘`ʿʾʻʼ.]", "", name.casefold())
    return " ".join(re.sub(r"[-‐‑–,]", " ", name).split())


class Names:
    """Folded names of every entity a run linked, and the country codes the qualifiers name."""

    def __init__(self, matcher):
        self.matcher = matcher
        self.countries = {}
        for name in ("United States", "US", "Libya", "Lebanon", "Georgia", "Greece"):
            for mention in matcher.mentions(name):
                if mention.entity.place_type == "country":
                    self.countries[folded(name)] = mention.entity.country_code

    def spelled(self, name: str, entity) -> bool:
        """The name is a spelling the matcher accepts for the entity ("Jisr al-Shughur" for the gazetteer's
        "Jisr ash Shughūr"): read alone, it is one span whose aliases include the entity."""
        spans = self.matcher.candidates(name)
        return len(spans) == 1 and spans[0][:2] == (0, len(name)) and any(a.entity is entity for a in spans[0][2])

    def fits(self, expected: str, entity) -> bool:
        qualified = QUALIFIED.match(expected)
        name, qualifier = (qualified.group(1), qualified.group(2)) if qualified else (expected, None)
        if folded(name) not in {folded(n) for n in [entity.name, *self.matcher.aliases_of(entity)]} \
                and not self.spelled(name, entity):
            return False
        if qualifier is None:
            return True
        qualifier = folded(qualifier)
        if qualifier == "country":
            return entity.place_type == "country"
        if qualifier == "us state":
            return entity.country_code == "US" and entity.place_type == "admin1"
        return entity.country_code == self.countries.get(qualifier.rsplit(" ", 1)[-1], qualifier.upper())


def score(matcher, passages: list[dict], bios: list[dict]) -> dict:
    """Counts per kind (place, actor): true and false positives, misses, hard negatives linked; the misses
    and false links themselves, for --misses."""
    names = Names(matcher)
    counts = {kind: Counter() for kind in ("place", "actor")}
    details = []
    cases = [(p["id"], p["text"], p["places"], p["actors"], p["not_places"], p["not_actors"]) for p in passages]
    cases += [(b["id"], b["body"], b["places"], b["actors"], b["bio_places"], b["bio_actors"]) for b in bios]
    for case_id, text, places, actors, not_places, not_actors in cases:
        linked = list(dict.fromkeys(entity for entity, _ in enrich(matcher, None, text, []).article_mentions))
        for kind, expected, traps in (("place", places, not_places), ("actor", actors, not_actors)):
            found = [e for e in linked if (e.kind == "place") == (kind == "place")]
            matched = {name: next((e for e in found if names.fits(name, e)), None) for name in expected}
            false = [e for e in found if not any(names.fits(name, e) for name in expected)]
            counts[kind].update(tp=sum(e is not None for e in matched.values()), fp=len(false),
                                fn=sum(e is None for e in matched.values()), traps=len(traps),
                                traps_linked=sum(any(names.fits(t, e) for e in false) for t in traps))
            details += [f"{case_id}: missed {kind} {name}" for name, e in matched.items() if e is None]
            details += [f"{case_id}: false {kind} {e.name} ({e.country_code or '-'})" for e in false]
    return {"counts": counts, "details": details}


def ratios(counts: Counter) -> tuple[float, float]:
    precision = counts["tp"] / ((counts["tp"] + counts["fp"]) or 1)
    recall = counts["tp"] / ((counts["tp"] + counts["fn"]) or 1)
    return precision, recall


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fixtures", type=Path, default=FIXTURES)
    parser.add_argument("--misses", action="store_true", help="List every missed and every false link.")
    args = parser.parse_args()
    passages, bios = read_jsonl(args.fixtures / "passages.jsonl"), read_jsonl(args.fixtures / "bios.jsonl")
    result = score(load_matcher(), passages, bios)
    if args.misses:
        print("\n".join(result["details"]))
    fields = [f"passages={len(passages)}", f"bios={len(bios)}"]
    print(f"{len(passages)} passages, {len(bios)} articles with an author bio")
    print("| links | precision | recall | true | false | missed | traps linked |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for kind, counts in result["counts"].items():
        precision, recall = ratios(counts)
        print(f"| {kind} | {precision:.3f} | {recall:.3f} | {counts['tp']} | {counts['fp']} | {counts['fn']} "
              f"| {counts['traps_linked']} of {counts['traps']} |")
        fields += [f"{kind}_precision={precision:.3f}", f"{kind}_recall={recall:.3f}",
                   f"{kind}_traps_linked={counts['traps_linked']}"]
    print("BENCH " + " ".join(fields))


if __name__ == "__main__":
    main()
