"""Offline mode: read local seed files (.txt renderings, saved .html pages) as if they were fetched."""

from __future__ import annotations

import errno
import os
import stat
from collections import deque
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

import scrapy
from scrapy.http import HtmlResponse

from crawler.extraction.decode import PAGE_SUFFIXES
from crawler.items import RawPage, utc_now
from crawler.sites import KnownSites
from crawler.spiders.head import head_selector

ARCHIVE_SUFFIXES = (".warc", ".warc.gz", ".wacz")  # read by crawler/spiders/archive.py
NOT_REGULAR_KINDS = {stat.S_ISFIFO: "a FIFO (named pipe)", stat.S_ISSOCK: "a socket",
               stat.S_ISCHR: "a character device", stat.S_ISBLK: "a block device"}


class Seed(NamedTuple):
    """One input of an import: a file to read, or an entry that is not read, with the reason."""
    path: Path
    error: str | None = None  # a reject: not a regular file, a broken link, unreadable, unsupported type
    skipped: str | None = None  # left out on purpose: a link out of the folder, a file already read by another name


def seed_files(paths: list[str | Path], follow_links: bool = False, archives: bool = False) -> list[Seed]:
    """Files named on the command line (always looked at), plus what folders hold: seed-like files
    (.txt/.html/.htm, optionally .gz), with archives also web archives (.warc, .warc.gz, .wacz), and the
    entries that are not read, each with its reason."""
    accepts = is_input_name if archives else is_seed_name
    seeds: list[Seed] = []
    for path in (Path(os.fsdecode(p)).absolute() for p in paths):
        seeds.extend(FolderWalk(path, follow_links, accepts).seeds() if path.is_dir()
                     else [named_file(path, accepts)])
    return seeds


def named_file(path: Path, accepts=None) -> Seed:
    accepts = accepts or is_seed_name
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        return Seed(path, error=link_problem(path, exc) if path.is_symlink() else
                    "not found" if exc.errno == errno.ENOENT else os_problem(exc))
    if stat.S_ISREG(mode) and not accepts(path):
        expected = "expected .txt, .html or .htm" + (", or a web archive (.warc, .warc.gz, .wacz)"
                                                     if accepts is is_input_name else "")
        return Seed(path, error=f"unsupported file type {path.suffix or '(none)'!r}; {expected}")
    return Seed(path, error=not_regular(mode))


class FolderWalk:
    """One imported folder. Hidden entries are left out, and so are regular files of other types. Symbolic
    links are resolved after the folder itself, so that a file is read under its own name and once only;
    a link out of the folder is followed only when asked. Nothing else is opened: a FIFO could hang the run."""

    def __init__(self, root: Path, follow_links: bool, accepts=None):
        self.real_root = root.resolve()
        self.follow_links = follow_links
        self.accepts = accepts or is_seed_name  # which regular files are inputs, by name
        self.read_as: dict[Path, Path] = {self.real_root: root}  # real path of each folder and file taken
        self.folders: list[tuple[Path, Path]] = [(root, self.real_root)]  # to walk: (path, real path)
        self.links: deque[Path] = deque()  # followed once the folders are walked
        self.found: list[Seed] = []

    def seeds(self) -> list[Seed]:
        while self.folders or self.links:
            if self.folders:
                self.walk(*self.folders.pop())
            else:
                self.follow(self.links.popleft())
        return self.found

    def walk(self, folder: Path, real: Path) -> None:
        try:
            with os.scandir(folder) as scan:
                entries = sorted((entry for entry in scan if not entry.name.startswith(".")),
                                 key=lambda entry: entry.name)
        except OSError as exc:
            self.found.append(Seed(folder, error=os_problem(exc)))
            return
        subfolders = []
        for entry in entries:
            path = Path(entry.path)
            try:
                if entry.is_symlink():
                    self.links.append(path)
                elif entry.is_dir(follow_symlinks=False):
                    subfolders.append((path, real / entry.name))
                elif entry.is_file(follow_symlinks=False):
                    self.take(path, real / entry.name)
                else:
                    self.found.append(Seed(path, error=not_regular(entry.stat(follow_symlinks=False).st_mode)))
            except OSError as exc:  # where the folder listing holds no file types, finding one needs a stat
                self.found.append(Seed(path, error=os_problem(exc)))
        self.read_as.update((sub_real, sub) for sub, sub_real in subfolders)
        self.folders.extend(reversed(subfolders))

    def follow(self, link: Path) -> None:
        try:
            mode = link.stat().st_mode
        except OSError as exc:
            self.found.append(Seed(link, error=link_problem(link, exc)))
            return
        if stat.S_ISREG(mode) and not self.accepts(link):
            return
        real = link.resolve()
        if real in self.read_as:
            self.found.append(Seed(link, skipped=f"symbolic link to {shown(self.read_as[real])}, read under that name"))
        elif not (self.follow_links or real.is_relative_to(self.real_root)):
            self.found.append(Seed(link, skipped=f"symbolic link out of the folder: {shown(real)}"))
        elif stat.S_ISDIR(mode):
            self.read_as[real] = link
            self.folders.append((link, real))
        elif stat.S_ISREG(mode):
            self.take(link, real)
        else:
            self.found.append(Seed(link, error=not_regular(mode)))

    def take(self, path: Path, real: Path) -> None:
        if self.accepts(path):
            self.read_as[real] = path
            self.found.append(Seed(path))


def not_regular(mode: int) -> str | None:
    """Why a file of this mode is not read, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    return next((f"{kind}, not a regular file" for is_kind, kind in NOT_REGULAR_KINDS.items() if is_kind(mode)),
                "not a regular file")


def link_problem(link: Path, exc: OSError) -> str:
    if exc.errno == errno.ENOENT:
        return f"broken symbolic link to {shown(os.readlink(link))}"
    return "symbolic link loop" if exc.errno == errno.ELOOP else os_problem(exc)


def os_problem(exc: OSError) -> str:
    """"permission denied", not "[Errno 13] Permission denied: '/path'": the path is in the reject's input."""
    return exc.strerror.lower() if exc.strerror else type(exc).__name__


def shown(path: str | Path) -> str:
    """A path as text that any terminal or database takes: bytes that are not UTF-8 become \\xNN."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def is_seed_name(path: Path) -> bool:
    return _page_suffix(path) in PAGE_SUFFIXES


def is_archive_name(path: Path) -> bool:
    return path.name.lower().endswith(ARCHIVE_SUFFIXES)


def is_input_name(path: Path) -> bool:
    """What `frontline import` reads: seed files and web archives."""
    return is_seed_name(path) or is_archive_name(path)


def _page_suffix(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes[-2:]]
    return suffixes[0] if suffixes[-1:] == [".gz"] and len(suffixes) == 2 else path.suffix.lower()


class SeedsSpider(scrapy.Spider):
    """scrapy crawl seeds -a path=seeds/ [-a follow_links=1]   (several paths: separate them with os.pathsep)"""

    name = "seeds"
    custom_settings = {
        "DOWNLOAD_HANDLERS": {"file": "crawler.file_handler.SizeLimitedFileDownloadHandler"},
        "ROBOTSTXT_OBEY": False,
        "DOWNLOAD_DELAY": 0,
        "CONCURRENT_REQUESTS": 4,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 4,
        "RETRY_ENABLED": False,
        "AUTOTHROTTLE_ENABLED": False,
        # Scrapy starts this many tasks for each response's output, here one item: the default 100 cost 7% of
        # an import. Not for crawls: there a low value let responses pile up (+190 MB over 1,000 pages).
        "CONCURRENT_ITEMS": 4,
    }

    def __init__(self, path: str | list[str] = "seeds", follow_links: bool | str = False,
                 seeds: list[Seed] | None = None, **kwargs):
        """seeds: the inputs already walked (`frontline import` counts them for its progress bar and names the
        ones not attempted when the database fails), so that the spider reads exactly those."""
        super().__init__(**kwargs)
        self.paths = path.split(os.pathsep) if isinstance(path, str) else list(path)
        self.follow_links = str(follow_links).lower() in {"1", "true", "yes"}
        self.seeds = seeds
        self.sites = KnownSites.load()
        # crawl_runs.target: the first path and how many more (20,000 paths in one row made `status` print 740 KB)
        self.target = shown(self.paths[0]) + (f" and {len(self.paths) - 1:,} more" if len(self.paths) > 1 else "")

    async def start(self):
        for seed in self.seeds if self.seeds is not None else seed_files(self.paths, self.follow_links):
            if seed.error or seed.skipped:
                yield self.raw_page(seed.path, error=seed.error, skipped=seed.skipped)
            else:
                yield scrapy.Request(seed.path.as_uri(), callback=self.parse, errback=self.failed,
                                     cb_kwargs={"file": seed.path}, dont_filter=True)

    def parse(self, response, file: Path):
        page = self.raw_page(file, body=response.body)
        if isinstance(response, HtmlResponse) and (origin := named_origin(response)):
            page.url, page.source = self.sites.place(origin)  # the file's path stays, as origin_path
        return page

    def failed(self, failure):
        file, error = failure.request.cb_kwargs["file"], failure.value
        return self.raw_page(file, error=os_problem(error) if isinstance(error, OSError) else
                             str(error) or type(error).__name__)

    def raw_page(self, file: Path, body: bytes = b"", error: str | None = None, skipped: str | None = None) -> RawPage:
        """The file's URI percent-encodes any name, even one that is not UTF-8."""
        return RawPage(url=file.as_uri(), source=self.name, body=body, error=error, skipped=skipped,
                       fetched_at=utc_now(), arrived_via="file", origin_path=shown(file))


def named_origin(response: HtmlResponse) -> str | None:
    """The address a saved page gives as its own (rel=canonical, else og:url), so that the saved copy and a
    crawl of the same article are one article; None when it names no absolute http(s) address. Read in the
    page's head alone (crawler/spiders/head.py)."""
    head = head_selector(response)
    for query in ("//link[@rel='canonical']/@href", "//meta[@property='og:url']/@content"):
        href = (head.xpath(query).get() or "").strip()
        if href.startswith(("http://", "https://")) and urlsplit(href).hostname:
            return href
    return None
