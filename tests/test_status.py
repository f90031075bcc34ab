"""`frontline status`: one short line per run whatever its target, its rejected and skipped pages by reason."""

import sys

import sqlite_utils

from db.articles import finish_run, start_run
from db.schema import open_database
from tests.conftest import REPO, frontline

sys.path.insert(0, str(REPO / "benchmarks"))
import synthetic  # noqa: E402


def test_an_import_of_many_files_is_one_short_line_with_its_reasons(tmp_path, db_path):
    files = synthetic.write_corpus(tmp_path / "in", 25, "text", seed=5)
    empty = tmp_path / "in" / "empty.txt"
    empty.write_bytes(b"")
    png = tmp_path / "in" / "scan.html"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    result = frontline("import", "--db", db_path, *files, empty, png)
    assert result.returncode == 0, result.stderr
    run = next(sqlite_utils.Database(db_path)["crawl_runs"].rows)
    assert run["target"] == f"{files[0]} and 26 more"
    lines = frontline("status", "--db", db_path).stdout.splitlines()
    assert lines[0].endswith(" 2 rejects, 0 skipped")
    runs = lines[lines.index("last runs:") + 1:]
    assert runs[0].startswith(f"  #1 seeds {str(files[0])[:59]}") and len(runs[0]) < 250
    assert "imported 25, updated 0, unchanged 0, rejected 2, skipped 0;" in runs[0]
    assert runs[1:] == ["      rejected: binary data (a PNG image), not a text or HTML page ×1, empty file ×1"]


def test_a_long_target_is_cut_and_skips_are_counted_by_reason(db_path):
    db = open_database(db_path)
    run = start_run(db, "seeds", " ".join(f"/home/me/seeds/page-{n:05}.txt" for n in range(20_000)))
    finish_run(db, run, "finished", {"frontline/imported": 3, "frontline/skipped": 3, "frontline/skipped/not an article": 2,
                                     "frontline/skipped/forbidden by robots.txt": 1}, [])
    start_run(db, "site", "lwj")
    db.close()
    lines = frontline("status", "--db", db_path, "-n", "2").stdout.splitlines()
    runs = lines[lines.index("last runs:") + 1:]
    assert runs[0].startswith("  #2 site lwj ") and "running or killed" in runs[0]
    assert runs[1].startswith("  #1 seeds /home/me/seeds/page-00000.txt /home/me/seeds/page-00001.txt… ")
    assert len(runs[1]) < 250 and "skipped 3;" in runs[1]
    assert runs[2:] == ["      skipped: not an article ×2, forbidden by robots.txt ×1"]
    assert len(frontline("status", "--db", db_path, "-n", "1").stdout.splitlines()) == len(lines) - 2
