"""One entry point for every page, whatever its format."""

from __future__ import annotations

from .decode import DecodedPage
from .html import extract_html
from .model import Extraction
from .text import segment_text


def extract_page(page: DecodedPage, url: str | None = None) -> Extraction:
    extraction = extract_html(page.text, url) if page.format == "html" else segment_text(page.text, url)
    extraction.warnings[:0] = page.warnings
    return extraction


def extractor_version(extractor: str) -> str:
    """Recorded with each article, so re-extraction can tell which pages an upgrade may change."""
    from crawler import __version__

    if extractor == "trafilatura":
        import trafilatura

        return f"trafilatura {trafilatura.__version__}; frontline {__version__}"
    return f"frontline {__version__}"
