"""Is a run healthy? Flags for `crawl_runs.flags` and the exit code, computed from Scrapy's own stats.

A crawl that "finished" can still be broken: a site redesign makes every page a reject, a changed
sitemap yields nothing. The thresholds are settings (FRONTLINE_MIN_ARTICLES, FRONTLINE_MAX_ERROR_RATE,
FRONTLINE_MAX_ERRORS), so a cron job can be made stricter or looser per run with -s.
"""

from __future__ import annotations

import re

ARTICLE_OUTCOMES = ("imported", "updated", "unchanged", "queued")


PARTIAL_THREAD_STAT = "frontline/partial_comment_threads"  # pages whose thread was read in part


def run_counts(stats: dict) -> dict:
    """The figures every run row holds, whatever the spider: pages, errors, time."""
    articles = sum(stats.get(f"frontline/{key}", 0) for key in ARTICLE_OUTCOMES)
    rejected = stats.get("frontline/rejected", 0)
    return {
        "articles": articles,
        "rejected": rejected,
        "requests": stats.get("downloader/request_count", 0),
        "items": stats.get("item_scraped_count", 0),
        "errors": stats.get("log_count/ERROR", 0),
        "retries": stats.get("retry/count", 0),
        "duration_seconds": round(stats.get("elapsed_time_seconds", 0.0), 3),
    }


def reason_kind(reason: str) -> str:
    """What a reason says without its particulars, so a run's rejects can be counted by kind:
    'timeout: Getting https://... took longer than 60 s' -> 'timeout', 'empty file (0 bytes)' -> 'empty file'."""
    kind = re.split(r": |; ", reason, maxsplit=1)[0]
    return re.sub(r"\s*\([^)]*\d[^)]*\)", "", kind).strip() or reason


def count_reason(stats, outcome: str, reason: str) -> None:
    """outcome is 'rejected' or 'skipped'; crawl_runs.reasons is built from these stats by reason_counts()."""
    stats.inc_value(f"frontline/{outcome}")
    stats.inc_value(f"frontline/{outcome}/{reason_kind(reason)}")


def reason_counts(stats: dict) -> dict:
    """{"rejected": {kind: n}, "skipped": {kind: n}} of one run."""
    return {outcome: {key.split("/", 2)[2]: value for key, value in sorted(stats.items())
                      if key.startswith(f"frontline/{outcome}/")} for outcome in ("rejected", "skipped")}


def run_flags(stats: dict, settings) -> list[str]:
    """Why this run needs a look, in words; empty when it is healthy."""
    counts = run_counts(stats)
    articles, rejected = counts["articles"], counts["rejected"]
    flags = []
    minimum = settings.getint("FRONTLINE_MIN_ARTICLES")
    if articles < minimum:
        flags.append(f"{articles} article(s), fewer than FRONTLINE_MIN_ARTICLES={minimum}")
    pages = articles + rejected
    max_rate = settings.getfloat("FRONTLINE_MAX_ERROR_RATE")
    if pages and rejected / pages > max_rate:
        flags.append(f"{rejected} of {pages} pages rejected ({rejected / pages:.0%}), "
                     f"above FRONTLINE_MAX_ERROR_RATE={max_rate:g}")
    for key, count in sorted(stats.items()):
        if key.startswith("frontline/bound/"):
            name = key.removeprefix("frontline/bound/")
            flags.append(f"bound {name}={settings.getint(name)} reached {count} time(s): a crawler trap, or a "
                         f"site larger than the bound (see `skipped`)")
    max_errors = settings.getint("FRONTLINE_MAX_ERRORS")
    if counts["errors"] > max_errors:
        flags.append(f"{counts['errors']} error(s) logged, above FRONTLINE_MAX_ERRORS={max_errors}")
    return flags
