"""The built matcher on disk: loaded while its inputs are unchanged, rebuilt when they change or the files
are damaged, and never in the way when the cache directory cannot be written."""

import logging
import shutil

import pytest

from crawler.enrichment import cache, gazetteer
from tests.conftest import SEED

build_or_load = cache.cached_matcher.__wrapped__  # without the once-per-process memo


def links(matcher, text):
    return [(m.surface, m.entity.name, m.entity.kind, m.start) for m in matcher.mentions(text)]


@pytest.fixture
def gazetteer_files(tmp_path, monkeypatch):
    """Copies of the data files the build reads, to edit; the in-process gazetteer memo cleared around it."""
    for name in ("ACTORS_FILE", "PLACES_FILE"):
        copy = tmp_path / "data" / getattr(gazetteer, name).name
        copy.parent.mkdir(exist_ok=True)
        shutil.copy(getattr(gazetteer, name), copy)
        monkeypatch.setattr(gazetteer, name, copy)
    gazetteer.load_gazetteer.cache_clear()
    yield tmp_path / "data"
    gazetteer.load_gazetteer.cache_clear()


@pytest.fixture
def built(tmp_path):
    """The session's build (made once for every test that enriches) and a copy of its files: a build costs
    seconds, a copy nothing."""
    matcher = cache.cached_matcher()
    shutil.copytree(cache.cache_dir(), tmp_path / "cache")
    return matcher, tmp_path / "cache"


def test_loaded_with_the_same_links_and_rebuilt_when_damaged(built):
    built, directory = built
    [file] = directory.iterdir()
    assert file.name == f"gazetteer-{cache.build_key()}.pickle"
    written = file.stat().st_mtime_ns

    loaded = build_or_load(directory)
    assert file.stat().st_mtime_ns == written and list(directory.iterdir()) == [file]  # read, not rebuilt
    text = SEED.read_text(encoding="utf-8")
    assert links(loaded, text) == links(built, text) and len(links(built, text)) > 50
    entity = loaded.mentions("Fighting in Aleppo.")[0].entity
    assert loaded.aliases_of(entity) == built.aliases_of(built.mentions("Fighting in Aleppo.")[0].entity)

    file.write_bytes(file.read_bytes()[:1000])  # a torn write: rebuilt, not a crash
    assert links(build_or_load(directory), text) == links(built, text)
    assert file.stat().st_size > 1000


def test_an_edited_gazetteer_is_rebuilt_and_the_old_build_removed(built, gazetteer_files):
    before, directory = built
    old_files = set(directory.iterdir())
    assert links(before, "Convoys reached Qasr Frontlinia.") == []
    places = gazetteer_files / "places.yml"
    places.write_text(places.read_text(encoding="utf-8") + "- {name: Qasr Frontlinia, type: base, country: SY, "
                      "latitude: 35.0, longitude: 38.0}\n", encoding="utf-8")
    after = build_or_load(directory)
    assert links(after, "Convoys reached Qasr Frontlinia.") == [("Qasr Frontlinia", "Qasr Frontlinia", "place", 16)]
    assert not old_files & set(directory.iterdir()) and len(list(directory.iterdir())) == 1


def test_a_cache_directory_that_cannot_be_written_costs_only_time(tmp_path, caplog):
    (tmp_path / "not-a-directory").write_text("a file", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="crawler.enrichment.cache"):
        matcher = build_or_load(tmp_path / "not-a-directory" / "cache")
    assert links(matcher, "Talks in Damascus.") == [("Damascus", "Damascus", "place", 9)]
    assert "gazetteer cache not written" in caplog.text


def test_the_cache_directory_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("FRONTLINE_CACHE_DIR", str(tmp_path / "mine"))
    assert cache.cache_dir() == tmp_path / "mine"
    monkeypatch.delenv("FRONTLINE_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_dir() == tmp_path / "xdg" / "frontline"
