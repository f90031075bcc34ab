"""What a person running frontline sees: `-v` lines for each response and each page, the live status line of
a crawl on a terminal (a real pseudo-terminal), and `cron` refusing a target that `crawl` would refuse."""

import json
import os
import pty
import re
import select
import subprocess
import sys
import time

import sqlite_utils

from tests.conftest import REPO, SEED, frontline
from tests.unreliable_site import UnreliableSite
from tests.wordpress_site import A_PATH, FixtureSite

FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "FRONTLINE_RETRY_BACKOFF=0",
        "-s", "FRONTLINE_ENRICH=False"]
STATUS_LINE = re.compile(r"fetched (\d+), stored (\d+), skipped (\d+), rejected (\d+) \((\d+) pages/min\)")
K_PATH, E_PATH, MISSING = "/2024/03/19/conditional-get/", "/2024/03/18/drone-war-notes/", "/2024/03/20/missing-report/"


def test_verbose_crawl_logs_each_response_and_each_page_outcome(tmp_path):
    db_path = tmp_path / "frontline.db"
    with FixtureSite() as site:
        base = site.base_url
        first = frontline("crawl", "-v", "--db", db_path, f"{base}/category/syria/", *FAST)
        site.set_version("k", 2)
        second = frontline("crawl", "-v", "--db", db_path, f"{base}/category/syria/", *FAST)
    assert first.returncode == second.returncode == 0, first.stderr[-2000:] + second.stderr[-2000:]
    log = first.stderr
    for line in (f"Crawled (200) {base}/robots.txt", f"Crawled (503) {base}{E_PATH}",  # the 503 a retry consumed
                 f"Retrying {base}{E_PATH} in 0.0 s (retry 1 of 3)", f"Crawled (200) {base}{E_PATH}",
                 f"Crawled (404) {base}{MISSING}", f"Stored {base}{A_PATH} (imported)",
                 f"Rejected {base}{MISSING}: HTTP 404"):
        assert line in log, line
    assert log.count(" (imported)") == 6 and "RawPage(" not in log  # one line per page, never the item
    assert f"Stored {base}{K_PATH} (updated)" in second.stderr
    assert f"Stored {base}{E_PATH} (unchanged)" in second.stderr
    assert "\x1b[K" not in log and "fetched " not in log  # no status line without a terminal


def test_without_verbose_page_lines_go_to_the_log_file_only(tmp_path):
    db_path = tmp_path / "frontline.db"
    with UnreliableSite(articles=2) as site:
        result = frontline("crawl", "--db", db_path, site.base_url + "/", *FAST)
    assert result.returncode == 0, result.stderr
    assert "Crawled (" not in result.stderr and "Stored " not in result.stderr
    log_file = next((tmp_path / "logs").iterdir()).read_text()
    assert log_file.count(" (imported)") == 2 and f"Crawled (200) {site.base_url}/sitemap.xml" in log_file


def test_verbose_import_logs_each_file_outcome(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = frontline("import", "-v", "--db", tmp_path / "frontline.db", SEED, empty)
    assert result.returncode == 0, result.stderr
    assert f"Stored {SEED.as_uri()} (imported)" in result.stderr
    assert f"Rejected {empty.as_uri()}: empty file (0 bytes)" in result.stderr


class Terminal:
    """The reading end of a pseudo-terminal that a child process writes its stderr to."""

    def __init__(self, leader: int):
        self.leader = leader
        self.output = ""

    def read(self, timeout: float) -> bool:
        """What arrived within `timeout` s; False once the child closed the terminal."""
        ready, _, _ = select.select([self.leader], [], [], timeout)
        if not ready:
            return True
        try:
            data = os.read(self.leader, 65536)
        except OSError:  # EIO: every writer has closed it
            return False
        self.output += data.decode("utf-8", "replace")
        return bool(data)

    def wait_for(self, pattern: re.Pattern, timeout: float = 120) -> re.Match:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if match := pattern.search(self.output):
                return match
            assert self.read(0.2), "the crawl closed the terminal first:\n" + self.output
        raise AssertionError(f"no {pattern.pattern!r} on the terminal after {timeout} s:\n{self.output}")

    def read_to_end(self) -> str:
        while self.read(1):
            pass
        os.close(self.leader)
        return self.output


def test_a_crawl_on_a_terminal_shows_a_live_status_line(tmp_path):
    db_path = tmp_path / "frontline.db"
    leader, follower = pty.openpty()
    with UnreliableSite(articles=4, hold_after=2) as site:
        crawl = subprocess.Popen([sys.executable, "-m", "crawler.cli", "crawl", "--db", str(db_path),
                                  site.base_url + "/", *FAST], cwd=REPO, stdout=subprocess.PIPE, stderr=follower,
                                 text=True)
        os.close(follower)
        terminal = Terminal(leader)
        site.gate.wait_until_held(1)
        # updated while the crawl waits for the rest: a live line, not only a final one
        # (skipped 1: the home page, which links the articles and is no article itself)
        terminal.wait_for(re.compile(r"\x1b\[Kfetched \d+, stored 2, skipped 1, rejected 0 \(\d+ pages/min\)"))
        site.gate.release()
        screen = terminal.read_to_end()
        stdout, _ = crawl.communicate(timeout=120)
    assert crawl.returncode == 0, screen
    *_, final = STATUS_LINE.finditer(screen)
    stats = json.loads(next(sqlite_utils.Database(db_path)["crawl_runs"].rows)["stats"])
    assert [int(n) for n in final.groups()[:4]] == [stats["downloader/response_count"], 4, 1, 0]
    assert int(final[5]) > 0
    assert screen.rstrip().endswith(final[0])  # the last line is final, and ends with a newline
    assert stdout.startswith("imported 4, updated 0, unchanged 0, rejected 0")


def test_quiet_crawl_on_a_terminal_shows_no_status_line(tmp_path):
    leader, follower = pty.openpty()
    with UnreliableSite(articles=1) as site:
        crawl = subprocess.run([sys.executable, "-m", "crawler.cli", "crawl", "--quiet", "--db",
                                str(tmp_path / "frontline.db"), site.base_url + "/", *FAST], cwd=REPO,
                               stdout=subprocess.PIPE, stderr=follower, timeout=300)
    os.close(follower)
    assert crawl.returncode == 0 and crawl.stdout == b""
    assert Terminal(leader).read_to_end() == ""


def test_cron_refuses_a_misspelled_profile_before_touching_the_crontab(tmp_path):
    marker = tmp_path / "crontab-was-run"
    fake = tmp_path / "bin" / "crontab"  # stands in for the system's crontab: records that it ran
    fake.parent.mkdir()
    fake.write_text(f"#!/bin/sh\ntouch {marker}\n")
    fake.chmod(0o755)
    env = {**os.environ, "PATH": f"{fake.parent}:{os.environ['PATH']}"}
    for install in ([], ["--install"]):
        result = subprocess.run([sys.executable, "-m", "crawler.cli", "cron", "lwjj", "--every", "6h", *install],
                                cwd=REPO, capture_output=True, text=True, env=env, timeout=60)
        crawl = frontline("crawl", "--db", tmp_path / "x.db", "lwjj")
        assert result.returncode == crawl.returncode == 1
        assert result.stdout == ""
        assert result.stderr == crawl.stderr and "'lwjj' is neither a site profile (" in result.stderr
    assert not marker.exists()
