import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import sqlite_utils

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "seeds" / "lwj-2015-06-aleppo-counteroffensive.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session", autouse=True)
def gazetteer_cache(tmp_path_factory) -> Path:
    """The built matcher cached for this session's processes, the CLI's children included, never in the
    user's cache."""
    path = tmp_path_factory.mktemp("cache")
    os.environ["FRONTLINE_CACHE_DIR"] = str(path)
    return path


@pytest.fixture
def seed_path() -> Path:
    return SEED


@pytest.fixture
def db_path(tmp_path) -> Path:
    """Named frontline.db so Datasette serves it under the name metadata.yml uses."""
    return tmp_path / "frontline.db"


def frontline(*args, cwd=None) -> subprocess.CompletedProcess:
    """The real CLI in a child process: each crawl needs a fresh Twisted reactor."""
    return subprocess.run([sys.executable, "-m", "crawler.cli", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd or REPO, timeout=300)


def system_program(name: str) -> str:
    """The path of a system program a test needs; skip without it, except in CI (.ci/run installs it)."""
    path = shutil.which(name)
    if not path:
        missing(f"{name} is not installed (.ci/run installs it with apt-get)")
    return path


def tool_program(name: str) -> str:
    """The path of a program from the tools environment (`make tools`, which `make test` runs), or the one
    FRONTLINE_<NAME>_TOOL names; skip without it, except in CI."""
    path = Path(os.environ.get(f"FRONTLINE_{name.upper()}_TOOL") or REPO / ".venv-tools" / "bin" / name)
    if not path.is_file():
        missing(f"{path} is not installed (`make tools` installs it)")
    return str(path)


def missing(message: str) -> None:
    """A program a test needs is not there: a skip on a developer's machine, a failure in CI (FRONTLINE_CI)."""
    pytest.fail(message) if os.environ.get("FRONTLINE_CI") else pytest.skip(message)


@pytest.fixture
def run_frontline():
    return frontline


@pytest.fixture(scope="session")
def seed_database(tmp_path_factory) -> Path:
    """The seed, imported once per session by the real CLI (an import costs seconds); tests work on copies."""
    path = tmp_path_factory.mktemp("seed") / "frontline.db"
    result = frontline("import", "--db", path, SEED)
    assert result.returncode == 0, result.stderr
    return path


@pytest.fixture(scope="session")
def showcase_database(tmp_path_factory) -> Path:
    """The seed, a saved WordPress page and a hostile page, imported once per session for what Datasette and
    the browser tests show; each module works on its own copy."""
    path = tmp_path_factory.mktemp("showcase") / "frontline.db"
    pages = FIXTURES / "pages"
    result = frontline("import", "--db", path, SEED, pages / "wordpress-article.html", pages / "hostile.txt")
    assert result.returncode == 0, result.stderr
    return path


@pytest.fixture(scope="session")
def threaded_database(tmp_path_factory, showcase_database) -> Path:
    """The showcase and a saved WordPress page whose thread nests three deep and whose first thread has five
    replies, imported twice (its body changed in between) so the article has an earlier version."""
    folder = tmp_path_factory.mktemp("threaded")
    path = copy_database(showcase_database, folder / "frontline.db")
    page = folder / "nested-thread.html"
    original = (FIXTURES / "pages" / "nested-thread.html").read_text(encoding="utf-8")
    for text in (original.replace("most of Tuesday", "all of Tuesday"), original):
        page.write_text(text, encoding="utf-8")
        result = frontline("import", "--db", path, page)
        assert result.returncode == 0, result.stderr
    return path


def copy_database(source: Path, target: Path) -> Path:
    """A consistent copy through SQLite's backup API (WAL mode and all)."""
    original, copy = sqlite3.connect(source), sqlite3.connect(target)
    original.backup(copy)
    original.close()
    copy.close()
    return target


@pytest.fixture
def imported_db(db_path, seed_database) -> sqlite_utils.Database:
    """db_path holding what `frontline import --db db_path SEED` stores."""
    return sqlite_utils.Database(copy_database(seed_database, db_path))
