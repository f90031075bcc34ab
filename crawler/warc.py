"""Web archives (WARC, and WACZ, a zip of WARCs): read them as a stream of records, write pages as records.

Reading never holds an archive: one record at a time, its payload capped at DOWNLOAD_MAXSIZE. A record that
cannot be read (truncated, a digest that does not match, bytes that are no WARC) is reported with its offset,
and reading resumes at the next record found after it, so one bad record costs only itself.

Writing keeps what an import needs to rebuild the same article: a page's further pages (continuation and
comment pages) follow its record, each naming it in WARC-Concurrent-To, and the page's record says how many
follow (`Frontline-Parts`), so an import regroups them without holding anything but that one article.
"""

from __future__ import annotations

import io
import json
import zipfile
import zlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from http import HTTPStatus
from pathlib import Path
from typing import BinaryIO, Iterator

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler.spiders.seeds import shown
from crawler.timestamps import parse_timestamp

PAGE_RECORDS = {"response", "resource", "revisit"}  # request, metadata, warcinfo... are not pages
PARTS_HEADER = "Frontline-Parts"  # on a page's record: how many of its further pages follow it
PART_ROLE_HEADER = "Frontline-Part-Role"  # on a further page's record: "article" (next page) or "comments"
# (Record.headers holds names in lower case: PARTS_HEADER.lower(), "warc-concurrent-to"...)
GZIP_MAGIC, WARC_MAGIC = b"\x1f\x8b\x08", b"WARC/1."
SCAN_CHUNK = 1 << 20
READ_ERRORS = (ArchiveLoadFailed, zlib.error, zipfile.BadZipFile, EOFError, ValueError, KeyError, IndexError, OSError)


@dataclass
class Record:
    """One record as read: its headers, its payload (decoded from chunked and gzip transfer), or the problem."""
    offset: int  # where it starts (for a gzip file, in the compressed bytes)
    type: str | None = None
    headers: dict[str, str] = field(default_factory=dict)  # WARC headers, names in lower case
    status: int | None = None  # HTTP status of a response or revisit
    http_headers: dict[str, str] = field(default_factory=dict)  # names in lower case
    payload: bytes = b""
    too_large: bool = False
    problem: str | None = None  # truncated or corrupt: the record is lost, reading goes on after it

    @property
    def uri(self) -> str | None:
        return self.headers.get("warc-target-uri")

    @property
    def content_type(self) -> str | None:
        return (self.headers if self.type == "resource" else self.http_headers).get("content-type")


@dataclass(frozen=True)
class Member:
    """One WARC to read: a file, or a WARC inside a WACZ (`FILE.wacz#archive/NAME.warc.gz`)."""
    path: Path
    name: str | None = None  # the zip member of a WACZ

    @property
    def origin(self) -> str:
        return shown(self.path) + (f"#{self.name}" if self.name else "")

    @property
    def via(self) -> str:
        return "wacz" if self.name else "warc"


def archive_members(path: Path) -> list[Member]:
    """The WARCs of one archive file: itself, or those a WACZ holds under archive/."""
    if not path.name.lower().endswith(".wacz"):
        return [Member(path)]
    with zipfile.ZipFile(path) as wacz:
        return [Member(path, name) for name in wacz.namelist()
                if name.startswith("archive/") and name.lower().endswith((".warc", ".warc.gz"))]


@contextmanager
def opened(member: Member) -> Iterator[tuple[BinaryIO, BinaryIO]]:
    """(the WARC stream, the file underneath): the file's position is how far the import has read."""
    with member.path.open("rb") as raw:
        if member.name is None:
            yield raw, raw
        else:
            with zipfile.ZipFile(raw) as wacz, wacz.open(member.name) as stream:
                yield stream, raw


def read_records(stream: BinaryIO, max_bytes: int) -> Iterator[Record]:
    """Every record of a WARC stream, in order. After a record that cannot be read the stream is searched for
    the next record start (a gzip member, or a `WARC/1.` line) and reading goes on from there; a stretch of
    damage is reported once, at the offset where it begins."""
    start = stream.tell()
    magic = stream.read(len(GZIP_MAGIC))
    stream.seek(start)
    marker = GZIP_MAGIC if magic == GZIP_MAGIC else WARC_MAGIC
    damaged = False
    while True:
        iterator = ArchiveIterator(stream, check_digests="raise")
        try:
            for warc_record in iterator:
                record = parsed(warc_record, max_bytes)
                # reads the record to its end, where warcio checks its digests
                record.offset = iterator.get_record_offset()
                start = record.offset + iterator.get_record_length()
                damaged = False
                yield record
            return
        except READ_ERRORS as exc:
            if not damaged:
                yield Record(offset=start, problem=f"truncated or corrupt WARC record: {problem_text(exc)}")
            damaged = True
            start = next_marker(stream, start + 1, marker)
            if start is None:
                return
            stream.seek(start)


def parsed(warc_record, max_bytes: int) -> Record:
    """Read the payload now (the iterator moves on), at most max_bytes + 1 of it. The offset is known once
    the record is read to its end: read_records sets it."""
    http = warc_record.http_headers
    payload = warc_record.content_stream().read(max_bytes + 1)
    return Record(offset=-1, type=warc_record.rec_type, headers=lower_keys(warc_record.rec_headers.headers),
                  status=int(http.get_statuscode()) if http and http.get_statuscode().isdigit() else None,
                  http_headers=lower_keys(http.headers) if http else {}, payload=payload[:max_bytes],
                  too_large=len(payload) > max_bytes)


def lower_keys(headers: list[tuple[str, str]]) -> dict[str, str]:
    return {name.lower(): value for name, value in headers}


def problem_text(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    return (text[:160] + "…" if len(text) > 160 else text) or type(exc).__name__


def next_marker(stream: BinaryIO, position: int, marker: bytes) -> int | None:
    """Where the next record may start, at or after position; None at the end of the stream."""
    stream.seek(position)
    tail = b""
    while chunk := stream.read(SCAN_CHUNK):
        found = (tail + chunk).find(marker)
        if found >= 0:
            return position - len(tail) + found
        position += len(chunk)
        tail = chunk[-(len(marker) - 1):]
    return None


def record_at(member: Member, offset: int, max_bytes: int) -> Record | None:
    """The record that starts at offset (a revisit's original, read again)."""
    with opened(member) as (stream, _):
        stream.seek(offset)
        return next(read_records(stream, max_bytes), None)


# --- writing ---------------------------------------------------------------------------------------------

def warc_date(timestamp: str | None) -> str:
    """WARC-Date (UTC, `Z`) from one of frontline's ISO 8601 timestamps."""
    moment = datetime.fromisoformat(timestamp) if timestamp else datetime.now(timezone.utc)
    moment = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_date(warc_date_value: str | None) -> str | None:
    """frontline's fetched_at from a WARC-Date (which may carry fractions of a second)."""
    moment = parse_timestamp(warc_date_value)
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds") if moment else None


@dataclass
class ArchivedPage:
    """A page to write: what raw_pages (or a fetched RawPage) holds. status None: read from a file, written
    as a resource record; else a response record with its status and headers."""
    url: str
    body: bytes
    fetched_at: str | None
    content_type: str | None = None
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    parts: list[tuple[str, str, bytes, str | None]] = field(default_factory=list)  # (url, role, body, type)


class WarcOutput:
    """Gzip per record, so any record can be read alone from its offset."""

    def __init__(self, out: BinaryIO):
        self.writer = WARCWriter(out, gzip=True)

    def warcinfo(self, filename: str, info: dict) -> None:
        self.writer.write_record(self.writer.create_warcinfo_record(filename, info))

    def page(self, page: ArchivedPage, metadata: dict | None = None) -> str:
        """The page's records (then its metadata, JSON, referring to it); returns the page's WARC-Record-ID."""
        extra = {PARTS_HEADER: str(len(page.parts))} if page.parts else {}
        main = self.content(page.url, page.body, page.fetched_at, page.content_type, page.status, page.headers, extra)
        for url, role, body, content_type in page.parts:
            self.content(url, body, page.fetched_at, content_type, page.status and 200,
                         {"Content-Type": content_type} if content_type else {},
                         {"WARC-Concurrent-To": main, PART_ROLE_HEADER: role})
        if metadata is not None:
            record = self.writer.create_warc_record(
                page.url, "metadata", payload=io.BytesIO(json.dumps(metadata, ensure_ascii=False).encode()),
                warc_content_type="application/json",
                warc_headers_dict={"WARC-Date": warc_date(page.fetched_at), "WARC-Refers-To": main,
                                   "WARC-Concurrent-To": main})
            self.writer.write_record(record)
        return main

    def content(self, url: str, body: bytes, fetched_at: str | None, content_type: str | None, status: int | None,
                headers: dict[str, str], extra: dict[str, str]) -> str:
        warc_headers = {"WARC-Date": warc_date(fetched_at), **extra}
        if status is None:
            record = self.writer.create_warc_record(url, "resource", payload=io.BytesIO(body),
                                                    warc_content_type=content_type or "application/octet-stream",
                                                    warc_headers_dict=warc_headers)
        else:
            http = StatusAndHeaders(f"{status} {status_phrase(status)}",
                                    [*headers.items(), ("Content-Length", str(len(body)))], protocol="HTTP/1.1")
            record = self.writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                    http_headers=http, warc_headers_dict=warc_headers)
        self.writer.write_record(record)
        return record.rec_headers.get_header("WARC-Record-ID")


def status_phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"
