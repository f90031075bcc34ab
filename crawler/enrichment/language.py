"""Language of a text with CLD2 (pycld2): its tables are compiled into the package, so nothing is downloaded
or unpacked, and a process pays 3 MB and no load time for it (py3langid's model cost 118 MB and 1.8 s per
process for no better answers on our fixtures: benchmarks/language_detection.py)."""

from __future__ import annotations

import pycld2

MIN_WORDS = 3
SAMPLE_CHARACTERS = 1500  # about 250 words: enough for a confident answer; the cost grows with the length
LEGACY_CODES = {"iw": "he", "jw": "jv"}  # CLD2 still answers with these withdrawn ISO 639-1 codes


def detect_language(text: str | None) -> str | None:
    """ISO 639-1 code, or None when the text is too short or CLD2 calls its answer unreliable."""
    if not text or len(text.split()) < MIN_WORDS:
        return None
    try:
        reliable, _, details = pycld2.detect(text[:SAMPLE_CHARACTERS])
    except (pycld2.error, UnicodeEncodeError):  # a lone surrogate, or bytes CLD2 calls invalid UTF-8
        return None
    code = details[0][1].split("-")[0]  # "zh-Hant" is Chinese
    return LEGACY_CODES.get(code, code) if reliable and code != "un" else None
