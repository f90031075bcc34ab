"""`frontline import` on odd folders: FIFOs, sockets, devices, symbolic links, unreadable entries, file names
that are not UTF-8, and paths that do not exist. Every entry is imported, rejected or skipped, with its reason."""

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import sqlite_utils

from crawler.progress import RemainingTime, format_remaining
from tests.conftest import REPO, SEED, frontline, system_program

HTML_SEED = REPO / "tests" / "fixtures" / "pages" / "wordpress-article.html"
NOT_UTF8 = b"caf\xe9.txt"  # Latin-1 bytes: no valid UTF-8 name, as left by old archives and Windows copies


def make_odd_folder(tmp):
    """A folder with one of everything, and beside it the things its links point to."""
    folder, outside = tmp / "odd", tmp / "outside"
    (folder / "sub").mkdir(parents=True)
    (outside / "more").mkdir(parents=True)
    shutil.copy(SEED, folder / "a.txt")
    shutil.copy(SEED, os.path.join(os.fsencode(folder), NOT_UTF8))
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4")  # not a seed: left alone
    (folder / ".draft.txt").write_bytes(b"hidden")
    os.mkfifo(folder / "pipe.txt")
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(folder / "control.sock"))
    os.symlink("missing.txt", folder / "broken.txt")
    os.symlink("loop-b.txt", folder / "loop-a.txt")
    os.symlink("loop-a.txt", folder / "loop-b.txt")
    os.symlink("../a.txt", folder / "sub" / "inner.txt")  # inside: a.txt is read once, under its own name
    os.symlink("sub", folder / "latest")  # a folder inside: walked once
    shutil.copy(HTML_SEED, outside / "elsewhere.html")
    (outside / "more" / "deeper.html").write_text(  # its own article: another address in rel=canonical
        HTML_SEED.read_text(encoding="utf-8").replace("drone-strikes-kharkiv/", "drone-strikes-kharkiv-2/"),
        encoding="utf-8")
    os.symlink(outside / "elsewhere.html", folder / "elsewhere.html")
    os.symlink(outside / "more", folder / "more")
    os.symlink("/dev/null", folder / "null.txt")
    direct = os.path.join(os.fsencode(tmp), b"direct-" + NOT_UTF8)
    shutil.copy(SEED, direct)
    os.symlink("nowhere.txt", tmp / "gone.txt")
    os.mkfifo(tmp / "direct.pipe")
    return folder, [os.fsdecode(direct), tmp / "gone.txt", tmp / "direct.pipe"]  # named directly: looked at


def outcome(tmp, *options):
    folder, named = make_odd_folder(tmp)
    db_path = tmp / "frontline.db"
    result = frontline("import", "--db", db_path, *options, folder, *named)
    db = sqlite_utils.Database(db_path)
    names = lambda table, column: {relative_uri(row[column], tmp): row for row in db[table].rows}  # noqa: E731
    articles = {relative_uri(row["url"] if row["url"].startswith("file:") else Path(row["origin_path"]).as_uri(),
                             tmp): row for row in db["articles"].rows}  # a saved page is stored under its address
    return result, db, articles, names("rejects", "input"), names("skipped", "input"), folder


def relative_uri(uri, tmp):
    """'a.txt' for a file in the folder, 'direct-caf%E9.txt' for one beside it."""
    return uri.removeprefix((tmp / "odd").as_uri() + "/").removeprefix(tmp.as_uri() + "/")


@pytest.fixture(scope="module")
def odd_import(tmp_path_factory):
    return outcome(tmp_path_factory.mktemp("plain"))


@pytest.fixture(scope="module")
def odd_import_following_links(tmp_path_factory):
    return outcome(tmp_path_factory.mktemp("follow"), "--follow-links")


ODD_ENTRIES = {
    "pipe.txt": "a FIFO (named pipe), not a regular file",
    "control.sock": "a socket, not a regular file",
    "broken.txt": "broken symbolic link to missing.txt",
    "loop-a.txt": "symbolic link loop",
    "loop-b.txt": "symbolic link loop",
    "gone.txt": "broken symbolic link to nowhere.txt",
    "direct.pipe": "a FIFO (named pipe), not a regular file",
}


def test_odd_entries_are_rejected_with_their_reason(odd_import):
    result, db, articles, rejects, skipped, folder = odd_import
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert {name: row["reason"] for name, row in rejects.items()} == ODD_ENTRIES
    for name in ("pipe.txt", "broken.txt"):
        assert f"rejected {(folder / name).as_uri()}: {ODD_ENTRIES[name]}" in result.stderr


def test_links_out_of_the_folder_are_skipped_and_links_inside_read_once(odd_import):
    result, db, articles, rejects, skipped, folder = odd_import
    outside = folder.parent / "outside"
    assert {name: row["reason"] for name, row in skipped.items()} == {
        "elsewhere.html": f"symbolic link out of the folder: {outside / 'elsewhere.html'}",
        "more": f"symbolic link out of the folder: {outside / 'more'}",
        "null.txt": "symbolic link out of the folder: /dev/null",
        "sub/inner.txt": f"symbolic link to {folder / 'a.txt'}, read under that name",
        "latest": f"symbolic link to {folder / 'sub'}, read under that name",
    }
    assert f"skipped {(folder / 'null.txt').as_uri()}: symbolic link out of the folder: /dev/null" in result.stderr
    assert {row["input"] for row in db["skipped"].rows} == {(folder / name).as_uri() for name in skipped}
    assert db["articles"].count == 3 and set(articles) >= {"a.txt", "caf%E9.txt"}
    run = next(db["crawl_runs"].rows)
    assert (run["imported"], run["rejected"], run["finish_reason"]) == (3, 7, "finished")


def test_follow_links_reads_what_links_point_to_but_never_a_device(odd_import_following_links):
    result, db, articles, rejects, skipped, folder = odd_import_following_links
    assert result.returncode == 0, result.stderr
    assert {name: row["reason"] for name, row in rejects.items()} == \
        {**ODD_ENTRIES, "null.txt": "a character device, not a regular file"}
    assert set(skipped) == {"sub/inner.txt", "latest"}
    assert set(articles) == {"a.txt", "caf%E9.txt", "elsewhere.html", "more/deeper.html", "direct-caf%E9.txt"}
    assert articles["more/deeper.html"]["title"] == "Drone strikes test air defenses around Kharkiv"


def test_file_names_that_are_not_utf8_are_imported_under_their_percent_encoded_uri(odd_import):
    result, db, articles, rejects, skipped, folder = odd_import
    assert articles["caf%E9.txt"]["url"] == (folder / os.fsdecode(NOT_UTF8)).as_uri()
    assert articles["caf%E9.txt"]["url"].endswith("/odd/caf%E9.txt")
    direct = articles["direct-caf%E9.txt"]
    assert direct["comment_count"] == 12 and direct["title"] == articles["a.txt"]["title"]
    raw = db.execute("select count(*) from raw_pages where url like '%caf\\%E9.txt' escape '\\'").fetchone()[0]
    assert raw == 2
    assert next(db["crawl_runs"].rows)["target"] == f"{folder} and 3 more"


def test_a_run_target_that_is_not_utf8_is_stored_as_text():
    from crawler.spiders.seeds import SeedsSpider

    spider = SeedsSpider(path=[os.fsdecode(b"/data/caf\xe9.txt"), "/data/b.txt"])
    assert spider.target == "/data/caf\\xe9.txt and 1 more"


# --- paths that cannot be read: root reads anything, so as root the import runs without its capabilities ---

def test_unreadable_files_and_folders_are_rejected_as_permission_denied(tmp_path):
    folder = tmp_path / "seeds"
    (folder / "locked").mkdir(parents=True)
    for path in (folder / "a.txt", folder / "locked" / "b.txt", folder / "secret.txt"):
        shutil.copy(SEED, path)
    for path in (folder / "locked", folder / "secret.txt"):
        path.chmod(0)
    without_privileges = [system_program("setpriv"), "--bounding-set=-all", "--inh-caps=-all"] \
        if os.geteuid() == 0 else []
    try:
        result = subprocess.run([*without_privileges, sys.executable, "-m", "crawler.cli", "import",
                                 "--db", str(tmp_path / "frontline.db"), str(folder)],
                                cwd=REPO, capture_output=True, text=True, timeout=300)
    finally:
        (folder / "locked").chmod(0o755)  # so that pytest can clean up
    assert result.returncode == 0, result.stderr
    db = sqlite_utils.Database(tmp_path / "frontline.db")
    assert {row["input"]: row["reason"] for row in db["rejects"].rows} == {
        (folder / "locked").as_uri(): "permission denied",
        (folder / "secret.txt").as_uri(): "permission denied",  # found by the walk, refused when read
    }
    assert [row["url"] for row in db["articles"].rows] == [(folder / "a.txt").as_uri()]
    assert f"rejected {(folder / 'locked').as_uri()}: permission denied" in result.stderr


# --- a path that does not exist: said at once, nothing written --------------------------------------------

def test_missing_path_fails_at_once_without_a_run(tmp_path):
    db_path = tmp_path / "data" / "frontline.db"
    missing = os.fsdecode(os.path.join(os.fsencode(tmp_path), b"no-" + NOT_UTF8))
    result = frontline("import", "--db", db_path, SEED, tmp_path / "seedz", missing)
    assert result.returncode == 2
    assert result.stderr == f"frontline import: no such file or folder: {tmp_path / 'seedz'}, " \
                            f"{tmp_path}/no-caf\ufffd.txt\n"
    assert result.stdout == ""
    assert not (tmp_path / "data").exists()


def test_missing_path_leaves_an_existing_database_untouched(imported_db, db_path, tmp_path):
    before = sqlite_utils.Database(db_path)["crawl_runs"].count
    result = frontline("import", "--db", db_path, tmp_path / "typo.txt")
    assert result.returncode == 2 and "no such file or folder" in result.stderr
    db = sqlite_utils.Database(db_path)
    assert (db["crawl_runs"].count, db["rejects"].count) == (before, 0)


# --- the remaining time: from the first finished page, so start-up does not count -------------------------

class Clock:
    def __init__(self, now=0.0):
        self.now = now

    def __call__(self):
        return self.now


def test_remaining_time_is_right_after_a_few_pages_whatever_the_start_up():
    clock = Clock()
    remaining = RemainingTime(1000, clock)
    clock.now = 12.0  # Scrapy and trafilatura loading: no page yet
    estimates = []
    for _ in range(5):
        clock.now += 0.2  # 5 pages a second from then on: 995 pages left take 199 s
        estimates.append(remaining.page_done())
    assert estimates[0] is None
    assert estimates[-1] == pytest.approx(199.0)
    assert estimates[1:] == pytest.approx([199.6, 199.4, 199.2, 199.0])


def test_remaining_time_follows_an_uneven_pace_and_ends_at_zero():
    clock = Clock()
    remaining = RemainingTime(4, clock)
    for step in (0.0, 1.0, 2.0):  # 1.5 s a page on average after the first
        clock.now += step
        estimate = remaining.page_done()
    assert estimate == pytest.approx(1.5)
    clock.now += 1.5
    assert remaining.page_done() == 0


def test_remaining_time_shown_as_hours_minutes_seconds():
    assert format_remaining(None) is None
    assert format_remaining(199.4) == "ETA 0:03:19"
    assert format_remaining(3 * 3600 + 61) == "ETA 3:01:01"


def test_file_handler_never_opens_a_fifo_put_in_a_seeds_place(tmp_path):
    """The walk saw a file; by the time it is read, a FIFO stands in its place: refused, not read (it would hang)."""
    import asyncio

    from scrapy import Request
    from scrapy.utils.test import get_crawler

    from crawler.extraction import RejectedInput
    from crawler.file_handler import SizeLimitedFileDownloadHandler

    os.mkfifo(tmp_path / "seed.txt")
    handler = SizeLimitedFileDownloadHandler(get_crawler())
    with pytest.raises(RejectedInput, match=r"^a FIFO \(named pipe\), not a regular file$"):
        asyncio.run(handler.download_request(Request((tmp_path / "seed.txt").as_uri())))
