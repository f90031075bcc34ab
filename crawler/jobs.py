"""One crawl job per target: a lock so that cron runs never overlap, and a JOBDIR that survives a kill.

Scrapy's JOBDIR resumes cleanly after a graceful stop (Ctrl-C once, SIGTERM): on close it writes the
index of its request queue (active.json) and flushes requests.seen. After SIGKILL, an OOM kill or a
power cut, the queue index is missing and requests.seen holds fingerprints of requests that were
scheduled but never fetched, so a plain resume would skip those pages for good. So job.json records
when the job started and whether a process is running it. A job found still "running" was killed:
its Scrapy queue and seen-file are dropped, the crawl re-discovers, and articles that the database
received since the job started are not fetched again. The database is the ledger.

    data/frontline.db
    data/jobs/lwj.lock        held by the running `frontline crawl lwj` (flock)
    data/jobs/lwj/            its JOBDIR: job.json and Scrapy's requests.queue/, requests.seen
    data/logs/crawl-lwj.log   its log, rotated
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from crawler.items import utc_now

LOCKED_EXIT_CODE = 75  # EX_TEMPFAIL from sysexits.h: "try again later"
SCRAPY_QUEUE_STATE = ("requests.queue", "requests.seen", "spider.state")


class Locked(RuntimeError):
    """Another process holds the lock of this target."""


def target_slug(target: str) -> str:
    """'lwj' -> 'lwj'; 'https://example.org/news/' -> 'example.org-news': a safe file name."""
    name = re.sub(r"^https?://", "", target)
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.")[:100] or "default"


def jobs_dir(db_path: str | Path) -> Path:
    return Path(db_path).resolve().parent / "jobs"


def logs_dir(db_path: str | Path) -> Path:
    return Path(db_path).resolve().parent / "logs"


@contextmanager
def target_lock(path: Path):
    """flock(LOCK_NB) on PATH for the duration; raises Locked naming the holder. The kernel drops the lock
    when its process dies, however it dies, so a killed run never leaves a stale lock behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            raise Locked(handle.read().strip() or "another process") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}, started {utc_now()}\n")
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@dataclass
class Job:
    directory: Path
    started_at: str
    resumed: str | None  # None: a new job; "paused": Scrapy resumes its queue; "killed": recovered as above


def open_job(directory: Path) -> Job:
    """Start a new job in DIRECTORY or resume the one there. Call it while holding the target's lock."""
    state_file = directory / "job.json"
    try:
        state = json.loads(state_file.read_text(encoding="utf-8"))
        started_at = state["started_at"]
    except (OSError, ValueError, KeyError, TypeError):
        state = None
    if state is None:
        shutil.rmtree(directory, ignore_errors=True)  # no readable job.json: nothing in there can be trusted
        resumed, started_at = None, utc_now()
    elif state.get("running"):
        drop_queue_state(directory)
        resumed = "killed"
    else:
        resumed = "paused"
    directory.mkdir(parents=True, exist_ok=True)
    _write_state(state_file, {"started_at": started_at, "running": True, "pid": os.getpid()})
    return Job(directory, started_at, resumed)


def drop_queue_state(directory: Path) -> None:
    for name in SCRAPY_QUEUE_STATE:
        stale = directory / name
        shutil.rmtree(stale) if stale.is_dir() else stale.unlink(missing_ok=True)


def close_job(job: Job, finish_reason: str | None) -> None:
    """A finished job is deleted, so the next run starts afresh; any other end leaves it to resume. A run the
    database stopped had fetched pages it could not store, which Scrapy's seen-set would skip for good: its
    queue is dropped as after a kill, and the next run re-discovers what the database does not hold."""
    from pipelines.store import DATABASE_UNWRITABLE

    if finish_reason == "finished":
        shutil.rmtree(job.directory, ignore_errors=True)
    else:
        if finish_reason == DATABASE_UNWRITABLE:
            drop_queue_state(job.directory)
        _write_state(job.directory / "job.json", {"started_at": job.started_at, "running": False,
                                                  "stopped": finish_reason or "did not start"})


def _write_state(path: Path, state: dict) -> None:
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(state), encoding="utf-8")
    os.replace(temporary, path)  # atomic: a kill leaves the old or the new state, never half a file
