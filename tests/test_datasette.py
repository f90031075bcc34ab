"""Datasette with frontline's metadata, through Datasette's own ASGI test client."""

import asyncio

import pytest
from datasette.app import Datasette

from db.datasette import SETTINGS, datasette_command, metadata_for
from tests.conftest import FIXTURES, SEED, frontline


@pytest.fixture(scope="module")
def db_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("datasette") / "frontline.db"
    result = frontline("import", "--db", path, SEED, FIXTURES / "pages" / "wordpress-article.html")
    assert result.returncode == 0, result.stderr
    return path


@pytest.fixture
def datasette(db_path):
    return Datasette([str(db_path)], metadata=metadata_for(db_path), settings=SETTINGS)


def get(datasette, path):
    return asyncio.run(datasette.client.get(path))


def test_home_page_titles_and_describes(datasette):
    response = get(datasette, "/")
    assert response.status_code == 200
    assert "frontline — war and conflict reporting" in response.text


def test_search_articles_and_comments(datasette):
    articles = get(datasette, "/frontline/articles.json?_search=counteroffensive&_shape=array").json()
    assert [a["author"] for a in get(datasette, "/frontline/articles.json?_search=Saltivka&_shape=array").json()] \
        == ["Olena Kovalenko"]
    assert [a["author"] for a in articles] == ["Thomas Joscelyn"]
    comments = get(datasette, "/frontline/comments.json?_search=Khawarij&_shape=array").json()
    assert [c["author"] for c in comments] == ["Hispanic", "James"]


def test_facets_on_source_author_and_tags(datasette):
    facets = get(datasette, "/frontline/articles.json").json()["facet_results"]
    assert {"source_id", "author", "tags", "language"} <= set(facets)
    assert [r["label"] for r in facets["source_id"]["results"]] == ["seeds"]
    assert sorted(r["value"] for r in facets["author"]["results"]) == ["Olena Kovalenko", "Thomas Joscelyn"]
    assert sorted(r["value"] for r in facets["tags"]["results"]) == ["Air defense", "Drones", "Kharkiv"]


def test_internal_tables_hidden(datasette):
    tables = {t["name"]: t["hidden"] for t in get(datasette, "/frontline.json").json()["tables"]}
    assert tables["raw_pages"] and tables["articles_fts"]
    assert not tables["articles"] and not tables["comments"] and not tables["rejects"]


def test_metadata_follows_the_database_file_name(tmp_path):
    metadata = metadata_for(tmp_path / "conflict.db")
    assert list(metadata["databases"]) == ["conflict"]
    assert "/conflict/articles" in metadata["description_html"]


def test_served_read_write_never_immutable_and_local(db_path):
    command = datasette_command(db_path, "m.json", "127.0.0.1", 8001)
    assert "-i" not in command and "--immutable" not in command
    assert command[command.index("--host") + 1] == "127.0.0.1"
    assert command[command.index("sql_time_limit_ms") + 1] == "3000"
