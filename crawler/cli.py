"""The `frontline` command: a thin click layer over the crawler, extraction and database modules."""

from __future__ import annotations

import json
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
@click.option("-v", "--verbose", is_flag=True, help="Log every page, not only problems.")
def import_(db_path, paths, verbose):
    """Import seed files: .txt renderings of article pages and saved .html pages, or folders of them.

    \b
    Example:
        frontline import --db data/frontline.db seeds/ ~/saved/page.html

    Re-importing is safe: unchanged files are skipped, changed files update their
    article (the previous version is kept in article_versions). Files that cannot be
    read as an article are listed and recorded in the rejects table. Exits with 1 when
    every input was rejected.
    """
    from crawler.runner import CrawlFailed, project_settings, run_spider
    from crawler.spiders.seeds import SeedsSpider, seed_files

    files = seed_files(paths)
    if not files:
        raise click.ClickException(f"no .txt, .html or .htm files under {', '.join(paths)}")
    settings = project_settings(FRONTLINE_DB=db_path, LOG_LEVEL="INFO" if verbose else "WARNING")
    with click.progressbar(length=len(files), label=f"Importing {len(files)} file(s)", file=sys.stderr) as bar:
        try:
            stats = run_spider(SeedsSpider, settings, on_page=lambda: bar.update(1), path=[str(f) for f in files])
        except CrawlFailed as exc:
            raise click.ClickException(str(exc)) from None
    counts = {key: stats.get(f"frontline/{key}", 0) for key in ("imported", "updated", "unchanged", "rejected")}
    click.echo(", ".join(f"{key} {value}" for key, value in counts.items()) + f" -> {db_path}")
    if counts["rejected"]:
        show_rejects(db_path)
        if counts["rejected"] == len(files):
            sys.exit(1)


def show_rejects(db_path: str) -> None:
    from db.schema import open_database

    db = open_database(db_path)
    run = db.execute("select max(id) from crawl_runs").fetchone()[0]
    for url, reason in db.execute("select input, reason from rejects where run_id = ? order by id", [run]):
        click.echo(f"  rejected {url}: {reason}", err=True)
    db.close()


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
    from crawler.runner import project_settings
    from pipelines.normalize import normalize_extraction

    file = Path(path)
    if not file.is_file():
        raise RejectedInput("not found")
    max_bytes = project_settings().getint("DOWNLOAD_MAXSIZE")
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
    from db.schema import open_database

    if not Path(db_path).exists():
        raise click.ClickException(f"no database at {db_path}; create one with: frontline import --db {db_path} seeds/")
    open_database(db_path).close()  # schema and WAL mode in place before Datasette opens it
    with tempfile.NamedTemporaryFile("w", suffix=".json", prefix="frontline-metadata-") as metadata_file:
        json.dump(metadata_for(db_path), metadata_file)
        metadata_file.flush()
        click.echo(f"Serving {db_path} at http://{host}:{port}/", err=True)
        sys.exit(subprocess.call(datasette_command(db_path, metadata_file.name, host, port)))


if __name__ == "__main__":
    cli()
