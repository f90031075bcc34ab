"""The database as a source of faults: a full disk, a read-only file, a file that is not frontline's. Each ends
in one line and a non-zero exit, with what was stored intact and what was not named. Real child processes, a
real file-size limit, real SQLite files."""

import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import sqlite_utils

from db.articles import record_skip, start_run
from db.schema import SCHEMA_VERSION, open_database
from db.transactions import DatabaseUnwritable, write_transaction
from tests.conftest import REPO, SEED, frontline, system_program
from tests.test_operations import assert_consistent
from tests.unreliable_site import UnreliableSite

sys.path.insert(0, str(REPO / "benchmarks"))
import synthetic  # noqa: E402

FAST_CRAWL = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=4",
              "-s", "FRONTLINE_ENRICH=False"]  # 2 s of gazetteer per crawl, and not what these test
# `frontline` under a file-size limit (RLIMIT_FSIZE, SIGXFSZ ignored): every write past it fails as on a full disk.
# The gazetteer cache (29 MB) is written before the limit is set, and the worker pool's fork server
# (pipelines/work.py) is started before it too: the limit stands for the database's disk.
LIMITED = """
import multiprocessing.forkserver, resource, signal, sys
from crawler.enrichment.matcher import load_matcher
load_matcher()
multiprocessing.forkserver.ensure_running()
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[1]),) * 2)
from crawler.cli import cli
cli(sys.argv[2:], prog_name="frontline")
"""
LIMIT = 1_000_000  # bytes: the WAL reaches it after a few articles


def limited_frontline(limit: int, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", LIMITED, str(limit), *map(str, args)], cwd=REPO,
                          capture_output=True, text=True, timeout=300)


def stored_urls(db_path) -> set[str]:
    return {row[0] for row in sqlite3.connect(db_path).execute("select url from articles")}


def assert_complete(db_path) -> None:
    """Integrity, no orphans, every article with its comments, raw page and search entry."""
    assert_consistent(db_path)
    db = sqlite_utils.Database(db_path)
    assert db.execute("select count(*) from articles where id not in (select article_id from raw_pages)").fetchone() \
        == (0,)
    assert db.execute("select count(*) from articles_fts").fetchone() == (db["articles"].count,)


def test_a_full_disk_stops_the_import_and_names_every_file_not_stored(tmp_path):
    db_path = tmp_path / "frontline.db"
    files = synthetic.write_corpus(tmp_path / "in", 40, "text", seed=3)
    open_database(db_path).close()
    result = limited_frontline(LIMIT, "import", "--db", db_path, tmp_path / "in")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    stored = stored_urls(db_path)
    assert 0 < len(stored) < 40
    missing = [f for f in files if f.as_uri() not in stored]
    listing = next((tmp_path / "logs").glob("import-not-attempted-*.txt"))
    assert (f"frontline import: the database could not be written (disk I/O error); {len(missing)} file(s) not "
            f"attempted, listed in {listing}:") in result.stderr
    assert listing.read_text().splitlines() == [str(f) for f in missing]
    assert f"  not attempted: {missing[0]}" in result.stderr and f"... and {len(missing) - 5} more" in result.stderr
    assert sqlite_utils.Database(db_path)["rejects"].count == 0
    assert_complete(db_path)
    again = frontline("import", "--db", db_path, tmp_path / "in")  # room again: the same command does the rest
    assert again.returncode == 0 and f"imported {len(missing)}, updated 0, unchanged {len(stored)}" in again.stdout


def test_a_full_disk_stops_a_crawl_and_the_next_run_fetches_what_it_could_not_store(tmp_path):
    db_path = tmp_path / "frontline.db"
    open_database(db_path).close()
    with UnreliableSite(articles=30) as site:
        result = limited_frontline(LIMIT, "crawl", "--db", db_path, site.base_url + "/", *FAST_CRAWL)
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr
        assert (f"frontline crawl {site.base_url}/: the database could not be written (disk I/O error); the run "
                f"stopped, the next run resumes it.") in result.stderr
        stored = stored_urls(db_path)
        assert 0 < len(stored) < 30
        assert_complete(db_path)
        again = frontline("crawl", "--db", db_path, site.base_url + "/", *FAST_CRAWL)
        assert again.returncode == 0, again.stderr
    assert stored_urls(db_path) == {site.base_url + path for path in site.articles}
    reasons = [r["finish_reason"] for r in sqlite_utils.Database(db_path)["crawl_runs"].rows]
    assert reasons[-1] == "finished"


@pytest.fixture
def read_only(tmp_path):
    """Makes a file read-only even for root (chattr +i), and writable again afterwards."""
    made = []

    def make(path: Path) -> None:
        path.chmod(0o444)
        if os.geteuid() == 0:
            subprocess.run([system_program("chattr"), "+i", str(path)], check=True)
        made.append(path)

    yield make
    for path in made:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(path)], check=True)
        path.chmod(0o644)


def test_a_read_only_database_is_not_written_and_every_file_is_named(tmp_path, read_only):
    db_path = tmp_path / "frontline.db"
    assert frontline("import", "--db", db_path, SEED).returncode == 0
    before = db_path.read_bytes()
    read_only(db_path)
    files = synthetic.write_corpus(tmp_path / "in", 3, "text", seed=4)
    result = frontline("import", "--db", db_path, tmp_path / "in")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-4:] == [
        "frontline import: the database could not be written (attempt to write a readonly database); "
        "3 file(s) not attempted:", *(f"  not attempted: {f}" for f in files)]
    assert db_path.read_bytes() == before


def foreign_database(path: Path) -> None:
    db = sqlite_utils.Database(path)
    db["notes"].insert({"id": 1, "text": "my own data"}, pk="id")
    db["articles"].insert({"id": 1, "headline": "not frontline's"}, pk="id")
    db.close()


def damaged_database(path: Path) -> None:
    assert frontline("import", "--db", path, SEED).returncode == 0
    with path.open("r+b") as handle:  # garbage over the start of every third page: the b-trees no longer parse
        for page in range(2, path.stat().st_size // 4096, 3):
            handle.seek(page * 4096)
            handle.write(b"\xff" * 64)


@pytest.mark.parametrize("make, message", [
    (foreign_database, "is not a frontline database (it holds other tables: articles, notes); "
                       "frontline leaves it untouched"),
    # SQLite's own error or quick_check's findings, depending on which pages the garbage hit
    (damaged_database, r"is damaged \((database disk image is malformed|PRAGMA quick_check: .+)\); "
                       r"frontline leaves it untouched"),
    (lambda path: path.write_text("name,place\nOlena,Kharkiv\n"), "is not an SQLite database; "
                                                                   "frontline leaves it untouched"),
    (lambda path: path.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200),
     "is damaged (file is not a database); frontline leaves it untouched"),
], ids=["other-schema", "damaged", "csv", "truncated"])
def test_a_file_that_is_not_frontlines_is_refused_in_one_line_and_left_unchanged(tmp_path, make, message):
    path = tmp_path / "other.db"
    make(path)
    pattern = message if make is damaged_database else re.escape(message)
    assert_refused(path, re.compile(f"{re.escape(f'Error: {path}')} {pattern}"), "import", SEED)


@pytest.mark.parametrize("command", [["crawl", "http://127.0.0.1:9/"], ["status"], ["enrich"], ["serve"]])
def test_every_command_refuses_another_applications_database(tmp_path, command):
    path = tmp_path / "other.db"
    foreign_database(path)
    assert_refused(path, f"Error: {path} is not a frontline database (it holds other tables: articles, notes); "
                         f"frontline leaves it untouched", *command)


def assert_refused(path: Path, line: str | re.Pattern, *command) -> None:
    before = path.read_bytes()
    result = frontline(command[0], "--db", path, *command[1:])
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert (len(lines) == 1 and line.fullmatch(lines[0])) if isinstance(line, re.Pattern) else lines == [line], lines
    assert path.read_bytes() == before
    for companion in (Path(f"{path}-wal"), Path(f"{path}-journal")):  # a read of a WAL file may leave an empty -wal
        assert not companion.exists() or companion.stat().st_size == 0


def test_a_newer_frontline_database_is_refused(db_path):
    open_database(db_path).close()
    sqlite3.connect(db_path).execute("update frontline_meta set value = ?", [str(SCHEMA_VERSION + 1)]).connection \
        .commit()
    result = frontline("status", "--db", db_path)
    assert result.returncode == 1
    assert f"was made by a newer frontline (schema version {SCHEMA_VERSION + 1}" in result.stderr


def test_an_empty_file_is_initialised_with_the_marker(db_path):
    db_path.write_bytes(b"")
    assert frontline("import", "--db", db_path, SEED).returncode == 0
    assert sqlite_utils.Database(db_path)["frontline_meta"].get("schema_version")["value"] == str(SCHEMA_VERSION)


def earlier_frontline_database(path: Path) -> None:
    """What frontline made before the marker: one row per sighting of a reject, with its own time."""
    db = sqlite_utils.Database(path)
    db["crawl_runs"].insert_all([{"id": n, "spider": "seeds", "target": "seeds/"} for n in (1, 2, 3)], pk="id")
    db["articles"].create({"id": int, "url": str}, pk="id")
    db["raw_pages"].create({"id": int, "article_id": int}, pk="id")
    db["rejects"].insert_all([
        {"input": "file:///gone.txt", "reason": "not found", "source": "seeds", "run_id": run,
         "rejected_at": f"2026-11-0{run}T06:00:00+00:00"} for run in (1, 2, 3)
    ] + [{"input": "https://x.org/a/", "reason": "HTTP 404", "source": "site", "run_id": 2,
          "rejected_at": "2026-11-02T06:00:00+00:00"}], pk="id")
    db.close()


def test_a_database_from_an_earlier_frontline_is_adopted_and_its_rejects_merged(db_path):
    earlier_frontline_database(db_path)
    result = frontline("import", "--db", db_path, SEED)
    assert result.returncode == 0, result.stderr
    db = sqlite_utils.Database(db_path)
    assert db["frontline_meta"].get("schema_version")["value"] == str(SCHEMA_VERSION)
    rows = list(db.query("select input, reason, run_id, first_seen, last_seen, count from rejects order by input"))
    assert rows == [
        {"input": "file:///gone.txt", "reason": "not found", "run_id": 3, "first_seen": "2026-11-01T06:00:00+00:00",
         "last_seen": "2026-11-03T06:00:00+00:00", "count": 3},
        {"input": "https://x.org/a/", "reason": "HTTP 404", "run_id": 2, "first_seen": "2026-11-02T06:00:00+00:00",
         "last_seen": "2026-11-02T06:00:00+00:00", "count": 1},
    ]
    assert "rejected_at" not in db["rejects"].columns_dict and db["articles"].count == 1


def test_the_same_reject_on_every_run_is_one_row_counted(tmp_path, db_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    for _ in range(3):
        assert frontline("import", "--db", db_path, SEED, empty).returncode == 0
    db = sqlite_utils.Database(db_path)
    (row,) = db["rejects"].rows
    assert (row["input"], row["reason"], row["count"], row["run_id"]) == (empty.as_uri(), "empty file (0 bytes)", 3, 3)
    assert row["first_seen"] <= row["last_seen"]
    run = db["crawl_runs"].get(3)
    assert (run["rejected"], run["skipped"]) == (1, 0)
    assert json.loads(run["reasons"]) == {"rejected": {"empty file": 1}, "skipped": {}}


def test_the_same_skip_is_one_row_counted(db_path):
    db = open_database(db_path)
    runs = [start_run(db, "site", "lwj") for _ in range(2)]
    for run in runs:
        record_skip(db, "https://x.org/private/", "forbidden by robots.txt", "site", run)
    record_skip(db, "https://x.org/private/", "out of scope", "site", runs[0])
    assert [(r["reason"], r["count"], r["run_id"]) for r in db["skipped"].rows_where(order_by="id")] == [
        ("forbidden by robots.txt", 2, runs[1]), ("out of scope", 1, runs[0])]


def test_a_writer_that_never_gets_the_lock_fails_clearly(db_path):
    open_database(db_path).close()
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("begin immediate")
    db = sqlite_utils.Database(sqlite3.connect(db_path, isolation_level=None))
    db.execute("pragma busy_timeout = 10")
    try:
        with pytest.raises(DatabaseUnwritable, match="^another process held the write lock"):
            with write_transaction(db):
                db.execute("insert into sources (name, kind) values ('x', 'site')")
    finally:
        holder.execute("rollback")
    assert db.execute("select count(*) from sources").fetchone() == (0,)
