"""Raw bytes to text, or a clear reason why these bytes are not a page we can read.

UTF-8 is tried first even when a page declares another charset: valid multi-byte UTF-8 is almost never
an accident, while wrong charset declarations are common. Then the declared charset, then detection.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from charset_normalizer import from_bytes
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom, resolve_encoding

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
TEXT_SUFFIXES = {".txt", ".text"}
PAGE_SUFFIXES = HTML_SUFFIXES | TEXT_SUFFIXES
HTML_START = re.compile(rb"^\s*(?:<!doctype\s+html|<html|<head|<body|<!--|<meta|<title|<article|<div|<p>)", re.I)
MAGIC = {
    b"%PDF": "a PDF document", b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image", b"PK\x03\x04": "a ZIP archive", b"\x7fELF": "an executable",
    b"RIFF": "a RIFF media file", b"SQLite format 3": "an SQLite database",
}
MAX_CONTROL_SHARE = 0.01
# Unicode category Cc (C0 and C1 controls) except the whitespace ones text legitimately holds
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
WESTERN_MAX_HIGH_BYTES = 0.2  # share of bytes >= 0x80 above which text is not a Western single-byte charset


class RejectedInput(ValueError):
    """Input that cannot become an article. The message is the reason stored in `rejects`."""


@dataclass
class DecodedPage:
    text: str
    encoding: str
    format: str  # "html" or "text"
    warnings: list[str] = field(default_factory=list)


def page_format(body: bytes, name: str | None = None, content_type: str | None = None) -> str:
    suffix = Path(name or "").suffix.lower()
    if suffix == ".gz":
        suffix = Path(Path(name).stem).suffix.lower()
    if suffix in HTML_SUFFIXES or (content_type or "").lower().startswith(("text/html", "application/xhtml")):
        return "html"
    return "html" if HTML_START.match(body[:1024].lstrip(b"\xef\xbb\xbf")) else "text"


def check_size(size: int, max_bytes: int | None) -> None:
    if max_bytes and size > max_bytes:
        raise RejectedInput(f"too large: {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.1f} MB limit")


def gunzip(body: bytes, max_bytes: int | None) -> bytes:
    try:
        decompressor = zlib.decompressobj(wbits=31)
        out = decompressor.decompress(body, max_bytes + 1 if max_bytes else 0)
    except zlib.error as exc:
        raise RejectedInput(f"corrupt gzip data ({exc})") from None
    check_size(len(out), max_bytes)
    if not decompressor.eof:
        raise RejectedInput("truncated gzip data")
    return out


def decode_page(body: bytes, name: str | None = None, content_type: str | None = None,
                max_bytes: int | None = None) -> DecodedPage:
    """Text and format of one page; raises RejectedInput for empty, binary or oversized input."""
    check_size(len(body), max_bytes)
    if body[:2] == b"\x1f\x8b":
        body = gunzip(body, max_bytes)
    if not body:
        raise RejectedInput("empty file (0 bytes)")
    for magic, what in MAGIC.items():
        if body.startswith(magic):
            raise RejectedInput(f"binary data ({what}), not a text or HTML page")
    fmt = page_format(body, name, content_type)
    text, encoding, warnings = decode_bytes(body, content_type, html=fmt == "html")
    if not text.strip():
        raise RejectedInput(f"no text: {len(body)} bytes of whitespace only")
    control = len(CONTROL_CHARACTERS.findall(text))
    if control > MAX_CONTROL_SHARE * len(text):
        raise RejectedInput(f"binary data ({control} control characters in {len(text)}), not a text or HTML page")
    return DecodedPage(text, encoding, fmt, warnings)


def decode_bytes(body: bytes, content_type: str | None = None, html: bool = False) -> tuple[str, str, list[str]]:
    bom_encoding, bom = read_bom(body)
    if bom_encoding:
        return body[len(bom):].decode(bom_encoding, errors="replace"), bom_encoding, []
    try:
        return body.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.start >= len(body) - 3:
            return (body[: exc.start].decode("utf-8"), "utf-8",
                    ["truncated: the file ends inside a UTF-8 character"])
    declared = http_content_type_encoding(content_type) if content_type else None
    if html and not declared:
        declared = html_body_declared_encoding(body)
    declared = resolve_encoding(declared) if declared else None
    if declared and declared not in {"utf-8", "utf8"}:
        try:
            return body.decode(declared), declared, []
        except (UnicodeDecodeError, LookupError):
            pass
    lenient = body.decode("utf-8", errors="replace")
    bad = lenient.count("\ufffd")
    if sum(1 for ch in lenient if ord(ch) > 0x7F) - bad > bad:  # more valid multi-byte UTF-8 than breakage
        return lenient, "utf-8", [f"invalid UTF-8: {bad} undecodable byte sequence(s) replaced with U+FFFD"]
    encoding = guess_encoding(body)
    return body.decode(encoding, errors="replace"), encoding, [f"not UTF-8: decoded as {encoding}"]


def guess_encoding(body: bytes) -> str:
    """cp1252 for mostly-ASCII text, as browsers default for Western pages without a declared charset;
    statistical detection only where most letters are high bytes (Cyrillic, Greek, Arabic charsets).

    Detectors misjudge short Western text (French read as cp1257 gives "Hélčne"), which is the common
    case here. The cost: an undeclared Polish or Czech cp1250 file reads as cp1252; a charset
    declaration in the HTML, when present, is always used first.
    """
    sample = body[:200_000]
    if sum(byte > 0x7F for byte in sample) < WESTERN_MAX_HIGH_BYTES * len(sample):
        return "cp1252"
    best = from_bytes(sample).best()
    return best.encoding if best else "cp1252"
