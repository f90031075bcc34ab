"""Language of a text with py3langid: its model ships inside the package, so nothing is downloaded."""

from __future__ import annotations

from functools import lru_cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

MIN_WORDS = 3
SAMPLE_CHARACTERS = 1500  # about 250 words: enough for a confident answer; the cost grows with the length
MIN_CONFIDENCE = 0.5  # short comments get wild guesses ('la' at 0.16 for an English one-liner): abstain


@lru_cache(maxsize=1)
def identifier() -> LanguageIdentifier:
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str | None) -> str | None:
    """ISO 639-1 code, or None when the text is too short or the model is not confident."""
    if not text or len(text.split()) < MIN_WORDS:
        return None
    language, confidence = identifier().classify(text[:SAMPLE_CHARACTERS])
    return language if confidence >= MIN_CONFIDENCE else None
