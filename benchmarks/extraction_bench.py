"""Adapter for ../shared/bench/extraction/run_baselines.py: frontline's HTML body extraction.

    .venv/bin/python ../shared/bench/extraction/run_baselines.py --repeat 3 \\
        --extractors trafilatura --custom frontline=benchmarks/extraction_bench.py:body

Scores and times our extract_html (one bare_extraction call with comments kept apart, the headline
and figure captions removed from the body, structured comment parsing) against bare trafilatura on the
same 181 pages in the same process.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from crawler.extraction.html import extract_html  # noqa: E402


def body(html: str, url: str) -> str:
    return extract_html(html, url or None).body
