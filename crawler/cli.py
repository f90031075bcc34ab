"""The `frontline` command: a thin click layer over the crawler, extraction and database modules."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import click

from crawler import __version__

DEFAULT_DB = "data/frontline.db"


def db_option(command):
    return click.option(
        "--db", "db_path", default=DEFAULT_DB, show_default=True, envvar="FRONTLINE_DB",
        type=click.Path(dir_okay=False), help="SQLite database file.")(command)


@click.group()
@click.version_option(__version__, prog_name="frontline")
def cli():
    """Collect long-form war and conflict reporting, with comment threads, into SQLite."""


@cli.command(name="import")
@db_option
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--follow-links", is_flag=True,
              help="Follow symbolic links that point out of an imported folder (by default they are skipped).")
@click.option("--domain", "domains", multiple=True, metavar="HOST",
              help="Web archives: only the pages of this host and its subdomains (repeatable).")
@click.option("--profile", metavar="NAME",
              help="Web archives: only the pages of this site profile (its hosts and article URLs), e.g. lwj.")
@click.option("-v", "--verbose", is_flag=True, help="Log every page, not only problems.")
def import_(db_path, paths, follow_links, domains, profile, verbose):
    """Import seed files (.txt renderings, saved .html pages) or web archives (.warc, .warc.gz, .wacz), or
    folders of them.

    \b
    Examples:
        frontline import --db data/frontline.db seeds/ ~/saved/page.html
        frontline import CC-NEWS-20240101-*.warc.gz --profile lwj
        frontline import crawl.wacz --domain example.org

    Re-importing is safe: unchanged files are skipped, changed files update their
    article (the previous version is kept in article_versions). Files that cannot be
    read as an article are listed and recorded in the rejects table, and so are FIFOs,
    devices, broken links and unreadable entries in folders. A saved page that names
    its original address (rel=canonical, og:url) is stored under that address.

    In a web archive each HTML response record is a page, fetched at its WARC-Date;
    records that are not HTML or not HTTP 200 are skipped with the reason, and a
    truncated or corrupt record is rejected while the import goes on. Seed files and
    web archives are imported by separate commands.

    Fewer than FRONTLINE_POOL_MIN_FILES (16) seed files are imported in this process,
    more by FRONTLINE_WORKERS worker processes (README: "Worker processes").

    Exits with 1 when every input was rejected, or when the database could not be
    written (disk full, read-only) or the worker processes could not start: the import
    then stops and names the files it did not store. Exits with 2, before anything is
    written, when a PATH does not exist.
    """
    missing = [click.format_filename(path) for path in paths if not os.path.lexists(path)]
    if missing:  # before loading Scrapy and trafilatura, and before any database or run row exists
        click.echo(f"frontline import: no such file or folder: {', '.join(missing)}", err=True)
        sys.exit(2)
    from crawler.runner import project_settings
    from crawler.spiders.seeds import is_archive_name, seed_files
    from db.transactions import DatabaseUnwritable

    inputs = seed_files(paths, follow_links, archives=True)
    archives = [seed for seed in inputs if is_archive_name(seed.path) and not (seed.error or seed.skipped)]
    if archives and len(archives) < len([seed for seed in inputs if not (seed.error or seed.skipped)]):
        raise click.UsageError("import web archives (.warc, .warc.gz, .wacz) and seed files in separate commands")
    if (domains or profile) and not archives:
        raise click.UsageError("--domain and --profile choose pages of web archives; no .warc, .warc.gz or "
                               ".wacz file was given")
    if not inputs:
        raise click.ClickException(f"no .txt, .html or .htm files under {', '.join(map(click.format_filename, paths))}"
                                   f", nor web archives (.warc, .warc.gz, .wacz)")
    if profile:
        spider_target(profile)  # a misspelled profile fails here, before anything is read
    try:
        open_for_writing(db_path).close()
    except DatabaseUnwritable as exc:
        stop_unwritable("import", str(exc), [seed.path for seed in inputs], db_path)
    settings = project_settings(FRONTLINE_DB=db_path, LOG_LEVEL="INFO" if verbose else "WARNING")
    stats = (import_archives(settings, inputs, paths, domains, profile) if archives
             else import_seeds(settings, inputs, paths, follow_links))
    counts = print_summary(stats, db_path)
    if stats.get("frontline/skipped"):
        show_rejects(db_path, stats.get("frontline/run_id"), "skipped", "skipped")
    if cause := stop_cause(stats):  # an archive is read again whole: its stored pages count unchanged
        from crawler.spiders.seeds import shown

        done = set(stats["frontline/inputs_done"])
        stop_run("import", cause, None if archives else
                 [seed.path for seed in inputs if shown(seed.path) not in done], db_path)
    stored = counts["imported"] + counts["updated"] + counts["unchanged"]
    if counts["rejected"] and not stored and not stats.get("frontline/skipped"):
        sys.exit(1)  # every input rejected


def import_seeds(settings, seeds, paths, follow_links) -> dict:
    """One page per file: the progress bar counts files. A handful of files is done in this process."""
    from crawler.progress import RemainingTime, format_remaining
    from crawler.spiders.seeds import SeedsSpider

    if sum(not (seed.error or seed.skipped) for seed in seeds) < settings.getint("FRONTLINE_POOL_MIN_FILES"):
        settings.set("FRONTLINE_WORKERS", 0, priority="cmdline")

    remaining = RemainingTime(len(seeds))
    with click.progressbar(length=len(seeds), label=f"Importing {len(seeds)} file(s)", file=sys.stderr,
                           show_eta=False, item_show_func=format_remaining) as bar:
        return run_import(SeedsSpider, settings, on_page=lambda: bar.update(1, remaining.page_done()),
                          path=list(paths), follow_links=follow_links, seeds=seeds)


def import_archives(settings, files, paths, domains, profile) -> dict:
    """Many pages per file, read as a stream: the progress bar counts bytes read."""
    from crawler.progress import RemainingTime, format_remaining
    from crawler.spiders.archive import ArchiveSpider

    size = sum(file.path.stat().st_size for file in files if not (file.error or file.skipped))
    remaining = RemainingTime(size)
    with click.progressbar(length=size, label=f"Importing {len(files)} archive(s), {size / 1e6:,.1f} MB",
                           file=sys.stderr, show_eta=False, item_show_func=format_remaining) as bar:
        stats = run_import(ArchiveSpider, settings, on_bytes=lambda n: bar.update(n, remaining.page_done(n)),
                           path=list(paths), domain=list(domains), profile=profile, files=files)
    if filtered := stats.get("frontline/archive_records_filtered"):
        click.echo(f"left out {filtered:,} page record(s) of other sites (--domain, --profile)", err=True)
    return stats


def run_import(spider_cls, settings, **spider_args) -> dict:
    from crawler.runner import CrawlFailed, run_spider

    try:
        return run_spider(spider_cls, settings, **spider_args)
    except CrawlFailed as exc:
        raise click.ClickException(str(exc)) from None


def open_for_writing(db_path: str):
    """The --db file, checked (SQLite, PRAGMA quick_check, frontline's own) and with its schema in place.
    A file that is not frontline's is refused in one line and left untouched; a database that cannot be
    written raises DatabaseUnwritable."""
    from db.schema import NotFrontlineDatabase, open_database

    try:
        return open_database(db_path)
    except NotFrontlineDatabase as exc:
        raise click.ClickException(str(exc)) from None


def open_existing(db_path: str):
    """The --db file of a command that reads or rewrites what is stored: it must exist and be writable."""
    from db.transactions import DatabaseUnwritable

    if not Path(db_path).exists():
        raise click.ClickException(f"no database at {db_path}")
    try:
        return open_for_writing(db_path)
    except DatabaseUnwritable as exc:
        raise click.ClickException(f"the database could not be written ({exc})") from None


def run_stored(what: str, spider_cls, db_path: str, label: str, **settings) -> dict:
    """reextract and enrich: a spider over what the database holds, with a progress bar. They store article by
    article: each one done stays done, and a run the database stopped is rerun to do the rest."""
    from crawler.runner import CrawlFailed, project_settings, run_spider

    db = open_existing(db_path)
    total = db["articles"].count
    db.close()
    settings = project_settings(FRONTLINE_DB=db_path, LOG_LEVEL="WARNING", **settings)
    with click.progressbar(length=total, label=f"{label} {total} article(s)", file=sys.stderr) as bar:
        try:
            stats = run_spider(spider_cls, settings, on_page=lambda: bar.update(1))
        except CrawlFailed as exc:
            raise click.ClickException(str(exc)) from None
    if cause := stop_cause(stats):
        click.echo(f"\nfrontline {what}: {cause}; the articles done so far are stored, run it again to do the rest.",
                   err=True)
        sys.exit(1)
    return stats


NOT_ATTEMPTED_SHOWN = 10  # more than this: the first few on the terminal, all of them in a file


STOP_CAUSES = {"frontline/database_error": "the database could not be written",  # pipelines/store.py
               "frontline/worker_error": "the worker processes could not start"}  # pipelines/work.py


def stop_cause(stats: dict) -> str | None:
    """Why a run stopped before its end, when the database or the worker processes failed."""
    return next((f"{cause} ({stats[key]})" for key, cause in STOP_CAUSES.items() if key in stats), None)


def stop_unwritable(what: str, error: str, not_attempted: list[Path] | None = None, db_path: str = DEFAULT_DB) -> None:
    stop_run(what, f"{STOP_CAUSES['frontline/database_error']} ({error})", not_attempted, db_path)


def stop_run(what: str, cause: str, not_attempted: list[Path] | None = None, db_path: str = DEFAULT_DB) -> None:
    """One line saying why the run stopped, then the inputs it did not store, exit 1. Every input stored before
    stays stored: running the same command again once the cause is fixed (the disk has room) is safe."""
    line = f"frontline {what}: {cause}"
    if not_attempted is None:
        click.echo(f"{line}; the run stopped, the next run resumes it.", err=True)
        sys.exit(1)
    listed = list_not_attempted(not_attempted, db_path) if len(not_attempted) > NOT_ATTEMPTED_SHOWN else None
    click.echo(f"{line}; {len(not_attempted)} file(s) not attempted" +
               (f", listed in {listed}:" if listed else ":"), err=True)
    shown = not_attempted[:5] if listed else not_attempted
    for file in shown:
        click.echo(f"  not attempted: {file}", err=True)
    if len(shown) < len(not_attempted):
        click.echo(f"  ... and {len(not_attempted) - len(shown):,} more", err=True)
    sys.exit(1)


def list_not_attempted(files: list[Path], db_path: str) -> Path | None:
    """All the files, one per line, beside the logs (for `xargs frontline import`); None when even that small
    file cannot be written, and the terminal then gets every name."""
    from crawler.items import utc_now
    from crawler.jobs import logs_dir

    path = logs_dir(db_path) / f"import-not-attempted-{utc_now().replace(':', '')}.txt"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(f"{file}\n" for file in files), encoding="utf-8")
    except OSError:
        path.unlink(missing_ok=True)
        return None
    return path


def show_rejects(db_path: str, run_id: int | None, table: str = "rejects", verb: str = "rejected") -> None:
    """This run's rejects (or skipped pages), one line each. Read-only: it also runs after a run the
    database stopped."""
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(f"{Path(db_path).resolve().as_uri()}?mode=ro", uri=True)) as conn:
        for url, reason in conn.execute(f"select input, reason from {table} where run_id = ? order by id", [run_id]):
            click.echo(f"  {verb} {url}: {reason}", err=True)


def settings_option(command):
    return click.option("-s", "--set", "overrides", multiple=True, metavar="NAME=VALUE",
                        help="Override a Scrapy setting for this run, e.g. -s DOWNLOAD_DELAY=5.")(command)


@cli.command()
@db_option
@click.argument("target")
@settings_option
@click.option("--redis", "redis_url", envvar="FRONTLINE_REDIS", metavar="URL",
              help="Share the crawl with other processes through Redis, e.g. redis://127.0.0.1:6379; "
                   "pages are then stored by `frontline ingest`.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing unless the run fails or is flagged (for cron).")
@click.option("-v", "--verbose", is_flag=True,
              help="Log each response (status, URL) and each page's outcome, not only problems.")
def crawl(db_path, target, overrides, redis_url, quiet, verbose):
    """Crawl a site: TARGET is a site profile name (see crawler/sites/) or a start URL.

    Re-crawls are incremental: unchanged pages are skipped (sitemap lastmod, ETag and
    Last-Modified), recent articles are re-fetched for new comments, changed articles
    are updated and their previous version kept.

    Safe under cron: a second run of the same TARGET exits at once (lock in
    DATA_DIR/jobs/); a stopped or killed run resumes on the next start (JOBDIR in
    DATA_DIR/jobs/TARGET/); the log also goes to DATA_DIR/logs/crawl-TARGET.log.

    On a terminal, a status line shows what the run fetched, stored, skipped and
    rejected, and its rate in pages per minute (not with --quiet, nor in a pipe).

    \b
    Exit status:
        0   the run finished
        1   the run failed or was stopped before the end (it resumes next time)
        3   it finished but crossed a threshold (crawl_runs.flags says which)
        75  another run of TARGET holds the lock

    \b
    Examples:
        frontline crawl lwj
        frontline crawl https://example.org/ -s DOWNLOAD_DELAY=5
        frontline crawl lwj --redis redis://10.0.0.5:6379   # one worker of a shared crawl
    """
    from crawler.jobs import LOCKED_EXIT_CODE, Locked, jobs_dir, logs_dir, target_lock, target_slug

    spider_args = spider_target(target)
    settings = run_settings(db_path, overrides, "ERROR" if quiet else "INFO" if verbose else "WARNING")
    if not quiet and sys.stderr.isatty():
        settings.set("FRONTLINE_PROGRESS", True, priority="project")  # -s FRONTLINE_PROGRESS=False still wins
    slug = target_slug(target)
    try:
        with target_lock(jobs_dir(db_path) / f"{slug}.lock"):
            stats = run_crawl(db_path, target, settings, spider_args, redis_url, logs_dir(db_path) / f"crawl-{slug}.log")
    except Locked as exc:
        click.echo(f"frontline crawl {target}: another run is in progress ({exc}); not starting.", err=True)
        sys.exit(LOCKED_EXIT_CODE)
    if not quiet:
        print_summary(stats, db_path)
    exit_with_run_status(stats, settings, f"crawl {target}")


def spider_target(target: str) -> dict:
    from crawler.sites import profile_names

    if target in profile_names():
        return {"profile": target}
    if target.startswith(("http://", "https://")):
        return {"url": target}
    raise click.ClickException(f"{target!r} is neither a site profile ({', '.join(profile_names())}) "
                               f"nor an http(s) start URL")


def run_settings(db_path: str, overrides, log_level: str):
    from crawler.runner import project_settings

    settings = project_settings(FRONTLINE_DB=db_path, LOG_LEVEL=log_level)
    for override in overrides:
        name, sep, value = override.partition("=")
        if not sep:
            raise click.BadParameter(f"expected NAME=VALUE, got {override!r}", param_hint="-s")
        settings.set(name, value, priority="cmdline")
    return settings


def run_crawl(db_path, target, settings, spider_args, redis_url, log_file) -> dict:
    """One run under the target's lock: a Redis worker, or a local crawl with its resumable JOBDIR."""
    from scrapy.settings import SETTINGS_PRIORITIES

    from crawler.distributed import redis_settings
    from crawler.jobs import close_job, jobs_dir, open_job, target_slug
    from crawler.runner import CrawlFailed, run_spider
    from crawler.spiders.site import SiteSpider
    from db.articles import close_abandoned_runs
    from db.transactions import DatabaseUnwritable

    job = None
    if redis_url:
        shared = redis_settings(redis_url, target, settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN"))
        if settings.getpriority("CONCURRENT_REQUESTS") >= SETTINGS_PRIORITIES["cmdline"]:
            del shared["CONCURRENT_REQUESTS"]  # -s CONCURRENT_REQUESTS=N wins
        shared["EXTENSIONS"] = {**settings.getdict("EXTENSIONS"), **shared["EXTENSIONS"]}  # the progress line too
        settings.setdict(shared, priority="cmdline")
    else:
        try:
            db = open_for_writing(db_path)
            close_abandoned_runs(db, SiteSpider.name, target)
        except DatabaseUnwritable as exc:
            stop_unwritable(f"crawl {target}", str(exc))
        db.close()
        job = open_job(Path(settings.get("JOBDIR") or jobs_dir(db_path) / target_slug(target)))
        settings.set("JOBDIR", str(job.directory), priority="cmdline")
        if job.resumed:
            spider_args["resume_since"] = job.started_at
            click.echo(f"Resuming the crawl started {job.started_at} (previous run {job.resumed}).", err=True)
    stats = {}
    try:
        stats = run_spider(SiteSpider, settings, log_file=log_file, **spider_args)
    except CrawlFailed as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        if job:
            close_job(job, stats.get("finish_reason"))
    return stats


def exit_with_run_status(stats: dict, settings, what: str) -> None:
    """Non-zero when the run did not finish (1) or finished with flags (3), so cron and scripts can tell."""
    from crawler.monitoring import run_flags

    reason = stats.get("finish_reason")
    if cause := stop_cause(stats):
        stop_run(what, cause)
    if reason != "finished":
        click.echo(f"frontline {what}: the run ended early ({reason}); the next run resumes it.", err=True)
        sys.exit(1)
    flags = run_flags(stats, settings)
    if flags:
        click.echo(f"frontline {what}: run flagged: {'; '.join(flags)}", err=True)
        sys.exit(3)


@cli.command()
@db_option
@click.option("--redis", "redis_url", envvar="FRONTLINE_REDIS", metavar="URL", required=True,
              help="The Redis the crawlers queue their pages on, e.g. redis://127.0.0.1:6379.")
@click.option("--follow", is_flag=True, help="Keep waiting for pages instead of stopping when the queue is empty.")
@settings_option
@click.option("-v", "--verbose", is_flag=True, help="Log every page, not only problems.")
def ingest(db_path, redis_url, follow, overrides, verbose):
    """Store the pages that `frontline crawl --redis` workers queued: the one writer of the database.

    Runs extraction, enrichment and storage, exactly as a local crawl does. Also
    records each crawler process's run in crawl_runs. Exit status as for crawl.

    A page leaves Redis only once it is stored, rejected or skipped: what a killed
    ingest had taken goes back on the queue when the next one starts, once
    FRONTLINE_INGEST_TIMEOUT (60 s) has passed.

    \b
    Examples:
        frontline ingest --redis redis://10.0.0.5:6379            # drain the queue, then stop
        frontline ingest --redis redis://10.0.0.5:6379 --follow   # run alongside the crawlers
    """
    from crawler.jobs import LOCKED_EXIT_CODE, Locked, jobs_dir, logs_dir, target_lock
    from crawler.runner import CrawlFailed, run_spider
    from crawler.spiders.ingest import IngestSpider
    from db.transactions import DatabaseUnwritable

    settings = run_settings(db_path, overrides, "INFO" if verbose else "WARNING")
    try:
        open_for_writing(db_path).close()
    except DatabaseUnwritable as exc:
        stop_unwritable("ingest", str(exc))
    try:
        with target_lock(jobs_dir(db_path) / "ingest.lock"):
            stats = run_spider(IngestSpider, settings, log_file=logs_dir(db_path) / "ingest.log",
                               redis_url=redis_url, follow=follow)
    except Locked as exc:
        click.echo(f"frontline ingest: another ingest writes {db_path} ({exc}); not starting.", err=True)
        sys.exit(LOCKED_EXIT_CODE)
    except CrawlFailed as exc:
        raise click.ClickException(str(exc)) from None
    print_summary(stats, db_path)
    exit_with_run_status(stats, settings, "ingest")


def print_summary(stats: dict, db_path: str) -> dict:
    counts = {key: stats.get(f"frontline/{key}", 0) for key in ("imported", "updated", "unchanged", "rejected")}
    if "frontline/queued" in stats or stats.get("frontline/redis_round"):
        click.echo(f"queued {stats.get('frontline/queued', 0)} page(s) for `frontline ingest`, "
                   f"rejected {counts['rejected']} (recorded by the ingest)")
        return counts
    click.echo(", ".join(f"{key} {value}" for key, value in counts.items()) + f" -> {db_path}")
    if counts["rejected"]:
        show_rejects(db_path, stats.get("frontline/run_id"))
    return counts


@cli.command()
@db_option
@click.option("--no-enrich", is_flag=True, help="Only extraction; leave actor/place links as they are.")
def reextract(db_path, no_enrich):
    """Re-run extraction on the raw pages stored in the database, without any network.

    Articles whose extraction changes are updated and their previous version kept.

    \b
    Example:
        frontline reextract --db data/frontline.db
    """
    from crawler.spiders.stored import ReextractSpider

    stats = run_stored("reextract", ReextractSpider, db_path, "Re-extracting", FRONTLINE_ENRICH=not no_enrich)
    counts = {"updated": stats.get("frontline/updated", 0), "unchanged": stats.get("frontline/unchanged", 0),
              "failed": stats.get("frontline/rejected", 0), "no_raw_page": stats.get("frontline/no_raw_page", 0)}
    click.echo(", ".join(f"{key} {value}" for key, value in counts.items()))


@cli.command()
@db_option
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "warc", "wacz"]), default="jsonl",
              show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), default="-",
              help="File to write (default: standard output; a WACZ needs a file).")
def export(db_path, fmt, output):
    """Write every article with its comments: one JSON object per line, CSV, or a web archive.

    \b
    Each JSON record: {"url", "title", "author", "authors", "published", "body",
                       "tags", "categories", "comment_path", "comment_coverage",
                       "comments": [{"author", "author_url", "posted", "posted_text",
                                     "text", "structure", "parent_index"}],
                       "provenance": {"arrived_via", "fetched_at", "origin_path",
                                      "origin_offset"}}
    parent_index is the 0-based index of the comment replied to, or null;
    structure says how the comment was read (README: "How comments are found").
    In CSV, authors, tags, categories, comments and provenance are JSON text.

    \b
    warc: a warcinfo record, then each stored raw page as a response record
    (its original status and headers; a resource record for a page read from a
    file) with a metadata record (JSON: extraction, comments, provenance)
    referring to it. `frontline import` reads it back into the same articles.
    wacz: that WARC with a CDXJ index and pages.jsonl (URL, title, date and
    text of each article), for ReplayWeb.page; `wacz validate` accepts it.

    \b
    Examples:
        frontline export --format jsonl > articles.jsonl
        frontline export --format csv -o articles.csv
        frontline export --format warc -o collection.warc.gz
        frontline export --format wacz -o collection.wacz
    """
    from db.export import write_csv, write_jsonl, write_wacz, write_warc

    db = open_existing(db_path)
    if fmt == "wacz":
        if output == "-":
            raise click.UsageError("a WACZ is a zip file: name it with -o FILE.wacz")
        count = write_wacz(db, Path(output))
    elif fmt == "warc":
        with click.open_file(output, "wb") as out:
            count = write_warc(db, out, Path(output).name if output != "-" else "frontline.warc.gz")
    else:
        with click.open_file(output, "w", encoding="utf-8") as out:
            count = (write_jsonl if fmt == "jsonl" else write_csv)(db, out)
    click.echo(f"exported {count} article(s)", err=True)


@cli.command()
@db_option
@click.argument("target")
@click.option("--every", required=True, help="How often: 30m, 6h, 1d ...")
@click.option("--install", is_flag=True, help="Add the line to your crontab instead of printing it.")
def cron(db_path, target, every, install):
    """Schedule `frontline crawl TARGET` with cron: runs never overlap, and cron mails only failures.

    \b
    Examples:
        frontline cron lwj --every 6h             # print the crontab line
        frontline cron lwj --every 6h --install   # add it to your crontab
    """
    import shutil

    from crawler.schedule import crontab_line

    spider_target(target)  # a misspelled profile fails here, as `crawl` would, before any crontab is touched
    executable = shutil.which("frontline") or str(Path(sys.executable).with_name("frontline"))
    try:
        line = crontab_line(target, every, db_path, executable, Path.cwd())
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--every") from None
    if not install:
        click.echo(line)
        return
    if not shutil.which("crontab"):
        raise click.ClickException("no crontab command on this machine; add this line to your scheduler:\n" + line)
    current = subprocess.run(["crontab", "-l"], capture_output=True, text=True).stdout
    kept = [entry for entry in current.splitlines() if not entry.endswith(f"# frontline {target}")]
    subprocess.run(["crontab", "-"], input="\n".join([*kept, line]) + "\n", text=True, check=True)
    click.echo(f"installed: {line}")


@cli.command()
@db_option
@click.option("-n", "--runs", default=5, show_default=True, help="How many recent runs to list.")
def status(db_path, runs):
    """What the database holds and how the last runs went.

    One line per run, then its rejected and skipped pages counted by kind of
    reason, and why it was flagged, if it was.

    \b
    Example:
        frontline status --db data/frontline.db
    """
    db = open_existing(db_path)
    click.echo(f"{db_path}: " + ", ".join(f"{db[t].count} {t}"
                                          for t in ("articles", "comments", "entities", "rejects", "skipped")))
    for name, articles, newest in db.execute(
            "select s.name, count(a.id), max(a.published) from sources s left join articles a on a.source_id = s.id "
            "group by s.id order by s.name"):
        click.echo(f"  {name}: {articles} articles, newest published {newest or '-'}")
    click.echo("last runs:")
    for row in db.query("select * from crawl_runs order by id desc limit ?", [runs]):
        click.echo("  " + describe_run(row))
    db.close()


TARGET_SHOWN = 60  # characters of a run's target in its status line


def describe_run(row: dict) -> str:
    """One short line per run, whatever its target: what it did, how long it took; then its rejected and
    skipped pages by kind of reason, its warnings, and why it was flagged, each on a line of its own when there
    are any."""
    from crawler.monitoring import PARTIAL_THREAD_STAT

    outcome = row["finish_reason"] or ("running or killed" if not row["finished_at"] else "?")
    target = row["target"] or ""
    if len(target) > TARGET_SHOWN:
        target = target[:TARGET_SHOWN - 1] + "…"
    lines = [f"#{row['id']} {row['spider']} {target} {row['started_at']}: {outcome}; "
             f"imported {row['imported'] or 0}, updated {row['updated'] or 0}, unchanged {row['unchanged'] or 0}, "
             f"rejected {row['rejected'] or 0}, skipped {row['skipped'] or 0}; {row['requests'] or 0} requests, "
             f"{row['errors'] or 0} errors, {row['duration_seconds'] or 0:.0f} s"]
    for outcome, counts in json.loads(row["reasons"] or "{}").items():
        if counts:
            lines.append(f"      {outcome}: " + ", ".join(f"{kind} ×{n}" for kind, n in
                                                        sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))))
    if partial := json.loads(row["stats"] or "{}").get(PARTIAL_THREAD_STAT):
        lines.append(f"      warnings: comment thread read in part ×{partial}")
    if row["flags"]:
        lines.append(f"      FLAGGED: {row['flags']}")
    return "\n".join(lines)


@cli.command()
@db_option
def enrich(db_path):
    """Re-run enrichment on stored articles: actors, places, comment languages, reply links, near-duplicates.

    Nothing is fetched or re-extracted, so this is how a gazetteer update reaches old articles.

    \b
    Example:
        frontline enrich --db data/frontline.db
    """
    from crawler.spiders.stored import EnrichSpider

    stats = run_stored("enrich", EnrichSpider, db_path, "Enriching")
    click.echo(f"enriched {stats.get('frontline/enriched', 0)} article(s): {stats.get('frontline/mentions', 0)} actor "
               f"and place mentions, {stats.get('frontline/near_duplicates', 0)} article(s) with a near-duplicate")


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--url", help="The page's address: used for relative links and dates in URLs.")
def extract(files, url):
    """Print what extraction finds in .txt or .html files, without touching any database.

    \b
    One file: one JSON document.
        frontline extract seeds/lwj-2015-06-aleppo-counteroffensive.txt
    Several files: one JSON object per line, each with its "path" (and "error" if rejected).
        frontline extract a.txt b.html > pages.jsonl
    """
    from crawler.extraction import RejectedInput

    if len(files) == 1:
        try:
            document = extract_file(files[0], url)
        except RejectedInput as exc:
            raise click.ClickException(f"{files[0]}: {exc}") from None
        click.echo(json.dumps(document, ensure_ascii=False, indent=2))
        return
    failed = 0
    for path in files:
        try:
            line = {"path": path, **extract_file(path, url)}
        except RejectedInput as exc:
            line, failed = {"path": path, "error": str(exc)}, failed + 1
        click.echo(json.dumps(line, ensure_ascii=False))
    if failed:
        sys.exit(1)


def extract_file(path: str, url: str | None) -> dict:
    from crawler.extraction import RejectedInput, decode_page, extract_page
    from crawler.extraction.decode import check_size
    from crawler.settings import DOWNLOAD_MAXSIZE as max_bytes  # the module itself: Scrapy is not needed here
    from pipelines.normalize import normalize_extraction

    file = Path(path)
    if not file.is_file():
        raise RejectedInput("not found")
    check_size(file.stat().st_size, max_bytes)
    page = extract_page(decode_page(file.read_bytes(), name=file.name, max_bytes=max_bytes), url=url)
    normalize_extraction(page)
    return page.to_json()


@cli.command()
@db_option
@click.option("--port", default=8001, show_default=True, type=int)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to listen on; 0.0.0.0 exposes the database to your network.")
def serve(db_path, port, host):
    """Explore the database in Datasette (read-only) at http://127.0.0.1:8001/

    \b
    Example:
        frontline serve --db data/frontline.db --port 8001
    """
    import tempfile

    from db.datasette import datasette_command, metadata_for

    if not Path(db_path).exists():
        raise click.ClickException(f"no database at {db_path}; create one with: frontline import --db {db_path} seeds/")
    open_existing(db_path).close()  # schema and WAL mode in place before Datasette opens it
    with tempfile.NamedTemporaryFile("w", suffix=".json", prefix="frontline-metadata-") as metadata_file:
        json.dump(metadata_for(db_path), metadata_file)
        metadata_file.flush()
        click.echo(f"Serving {db_path} at http://{host}:{port}/", err=True)
        server = subprocess.Popen(datasette_command(db_path, metadata_file.name, host, port))
        signal.signal(signal.SIGTERM, lambda *_: server.terminate())  # stopping us stops Datasette too
        try:
            code = server.wait()
        except KeyboardInterrupt:
            server.terminate()
            code = server.wait()
    sys.exit(code)


if __name__ == "__main__":
    cli()
