"""The CLI contract: extract (no database), import summaries, serve."""

import json
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.conftest import FIXTURES, REPO, SEED, frontline
from tests.local_server import free_port

HTML_PAGE = FIXTURES / "pages" / "wordpress-article.html"


def test_extract_touches_no_database(tmp_path):
    result = frontline("extract", SEED, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["comments_declared"] == 12
    assert list(tmp_path.iterdir()) == []


def test_extract_several_files_prints_json_lines_with_path():
    result = frontline("extract", SEED, HTML_PAGE)
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["path"] for line in lines] == [str(SEED), str(HTML_PAGE)]
    assert [line["title"] for line in lines] == [
        "With sudden advances in Aleppo, Islamic State provokes counteroffensive",
        "Drone strikes test air defenses around Kharkiv"]
    assert lines[1]["comments"][1] == {"author": "Marta", "author_url": None, "posted": "2023-03-14T11:47:00",
                                       "posted_text": "March 14, 2023 at 11:47 am",
                                       "text": "@steppe_watcher agreed, and they need more of the radar-guided "
                                               "guns to do it.", "reply_to": 0, "structure": "wordpress"}


def test_extract_reports_a_rejected_file_and_continues(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = frontline("extract", empty, SEED)
    assert result.returncode == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines[0] == {"path": str(empty), "error": "empty file (0 bytes)"}
    assert lines[1]["title"].startswith("With sudden advances")
    single = frontline("extract", empty)
    assert single.returncode == 1 and single.stderr.strip() == f"Error: {empty}: empty file (0 bytes)"


def test_extract_url_gives_a_date_when_the_page_has_none(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text("Shelling resumes\n\nArtillery fire resumed along the southern front line on Tuesday, "
                    "local officials said, after two days of calm.\n", encoding="utf-8")
    result = frontline("extract", page, "--url", "https://example.org/2016/02/11/shelling-resumes/")
    assert json.loads(result.stdout)["published"] == "2016-02-11"


def test_import_of_nothing_importable_explains(tmp_path):
    result = frontline("import", "--db", tmp_path / "x.db", tmp_path)
    assert result.returncode == 1
    assert "no .txt, .html or .htm files under" in result.stderr


def test_serve_without_database_explains(tmp_path):
    result = frontline("serve", "--db", tmp_path / "none.db")
    assert result.returncode == 1 and "frontline import --db" in result.stderr


def test_help_lists_examples():
    result = frontline("import", "--help")
    assert "frontline import --db data/frontline.db seeds/" in result.stdout


def test_serve_runs_datasette_on_localhost(imported_db, db_path):
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "crawler.cli", "serve", "--db", str(db_path), "--port", str(port)],
                              cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        url = f"http://127.0.0.1:{port}/frontline/articles.json?_search=Aleppo&_shape=array"
        for _ in range(300):
            try:
                rows = json.load(urllib.request.urlopen(url, timeout=2))
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail(server.stderr.read1().decode())
        assert [r["title"] for r in rows] == ["With sudden advances in Aleppo, Islamic State provokes counteroffensive"]
    finally:
        server.terminate()
        server.wait(10)
    datasette_left = subprocess.run(["pgrep", "-f", f"datasette serve {db_path}"], capture_output=True, text=True)
    assert datasette_left.stdout == "", "stopping frontline serve must stop its Datasette"


@pytest.mark.parametrize("every, schedule", [("15m", "*/15 * * * *"), ("1h", "0 * * * *"), ("6h", "0 */6 * * *"),
                                             ("24h", "0 3 * * *"), ("1d", "0 3 * * *"), ("2d", "0 3 */2 * *")])
def test_cron_schedules(every, schedule):
    from crawler.schedule import cron_schedule

    assert cron_schedule(every) == schedule


def test_cron_prints_a_quiet_crawl_line(tmp_path):
    result = frontline("cron", "lwj", "--every", "6h", "--db", "data/x.db", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    line = result.stdout.strip()
    assert line.startswith(f"0 */6 * * * cd {tmp_path} && ") and line.endswith("# frontline lwj")
    assert f"frontline crawl --quiet --db {tmp_path}/data/x.db lwj  #" in line
    bad = frontline("cron", "lwj", "--every", "7h")
    assert bad.returncode == 2 and "divisors of an hour or a day" in bad.stderr


def test_status_summarises_the_database(imported_db, db_path):
    result = frontline("status", "--db", db_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{db_path}: 1 articles, 12 comments")
    assert "  seeds: 1 articles, newest published 2015-06-01" in lines
    assert "imported 1, updated 0, unchanged 0, rejected 0" in lines[-1]
