"""Language detectors on our fixtures: accuracy, load time, time per call and memory, each in its own process.

    .venv/bin/python benchmarks/language_detection.py                 # the detectors installed here
    /tmp/langs/bin/python benchmarks/language_detection.py            # a venv with the candidates too

The texts: every article body and comment that extraction finds in tests/fixtures and seeds/ (all of
them English), and tests/fixtures/languages/comments.jsonl (comments in eight other languages). Every
detector reads the same first SAMPLE_CHARACTERS of texts of at least MIN_WORDS words, as ours does; an
answer it is unsure of counts as "abstained", not wrong. Candidates that are not installed are skipped.
Nothing here downloads anything: each package ships its model.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from crawler.enrichment.language import MIN_WORDS, SAMPLE_CHARACTERS  # noqa: E402

# Languages a comment under conflict reporting is likely to be in: what a restricted detector may answer.
TIMEOUT = 240  # seconds for one detector over every text: slower than that is out of the question anyway
LANGUAGES = ["en", "fr", "de", "es", "it", "pt", "nl", "pl", "ru", "uk", "ar", "fa", "tr", "he"]


def ours():
    from crawler.enrichment.language import detect_language

    return detect_language


def py3langid(languages: list[str] | None = None):
    """What frontline used before (0.5 confidence), on all its 97 languages or on LANGUAGES."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    if languages:
        identifier.set_languages(languages)

    def detect(text):
        language, confidence = identifier.classify(text)
        return language if confidence >= 0.5 else None

    return detect


def lingua_subset(low_accuracy: bool = False):
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    builder = LanguageDetectorBuilder.from_iso_codes_639_1(*(getattr(IsoCode639_1, c.upper()) for c in LANGUAGES))
    detector = (builder.with_low_accuracy_mode() if low_accuracy else builder).build()

    def detect(text):
        language = detector.detect_language_of(text)
        return language.iso_code_639_1.name.lower() if language else None

    return detect


def langdetect_all():
    from langdetect import DetectorFactory, detect_langs

    DetectorFactory.seed = 0  # langdetect is random unless seeded

    def detect(text):
        best = detect_langs(text)[0]
        return best.lang if best.prob >= 0.5 else None

    return detect


def simplemma_subset():
    from simplemma import langdetect

    def detect(text):
        language, score = langdetect(text, lang=tuple(LANGUAGES))[0]
        return language if language != "unk" and score >= 0.5 else None

    return detect


DETECTORS = {
    "pycld2 (ours)": ours, "py3langid": py3langid, "py3langid, 14 languages": lambda: py3langid(LANGUAGES),
    "lingua, 14 languages": lingua_subset, "lingua, 14 languages, low accuracy": lambda: lingua_subset(low_accuracy=True),
    "langdetect": langdetect_all, "simplemma, 14 languages": simplemma_subset,
}


def fixture_texts() -> list[tuple[str, str]]:
    """(expected language, text): English bodies and comments of the fixtures, then the other languages."""
    from crawler.extraction import RejectedInput, decode_page, extract_page

    texts = []
    files = sorted([*(REPO / "tests" / "fixtures").rglob("*.html"), *(REPO / "tests" / "fixtures").rglob("*.txt"),
                    *(REPO / "seeds").glob("*.txt")])
    for path in files:
        try:
            page = extract_page(decode_page(path.read_bytes(), name=path.name))
        except RejectedInput:
            continue
        texts += [("en", text) for text in [page.body, *(c.text for c in page.comments)] if text]
    others = REPO / "tests" / "fixtures" / "languages" / "comments.jsonl"
    texts += [(row["language"], row["text"]) for row in map(json.loads, others.read_text(encoding="utf-8").splitlines())]
    return [(language, text[:SAMPLE_CHARACTERS]) for language, text in texts if len(text.split()) >= MIN_WORDS]


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike getrusage's ru_maxrss, it starts afresh at exec,
    so a child does not report its parent's peak)."""
    status = Path("/proc/self/status").read_text()
    return int(status.split("VmHWM:")[1].split()[0]) / 1024


def measure(name: str, texts: list[tuple[str, str]]) -> dict:
    """In this process: memory and time of loading the detector, then every text once."""
    before = peak_rss_mb()
    start = time.perf_counter()
    detect = DETECTORS[name]()
    detect("Warm the detector up with one short English sentence.")
    loaded = time.perf_counter() - start
    memory = peak_rss_mb() - before
    start = time.perf_counter()
    answers = [detect(text) for _, text in texts]
    per_call = (time.perf_counter() - start) / len(texts)
    counts = {}
    for (expected, _), answer in zip(texts, answers):
        group = "en" if expected == "en" else "other"
        outcome = "abstained" if answer is None else "right" if answer == expected else "wrong"
        counts[f"{group}_{outcome}"] = counts.get(f"{group}_{outcome}", 0) + 1
    return {"name": name, "load_s": loaded, "per_call_us": per_call * 1e6, "memory_mb": memory, **counts}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help=argparse.SUPPRESS)  # one detector, in a child process
    parser.add_argument("--texts", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.only:
        print(json.dumps(measure(args.only, json.loads(Path(args.texts).read_text(encoding="utf-8")))))
        return
    texts = fixture_texts()
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8", delete=False) as file:
        json.dump(texts, file)
    texts_file = Path(file.name)
    english = sum(language == "en" for language, _ in texts)
    print(f"{len(texts)} texts: {english} English (fixtures), {len(texts) - english} in 8 other languages")
    print("| detector | English right / abstained / wrong | other right / abstained / wrong | load s | µs per call | MB |")
    print("| --- | --- | --- | --- | --- | --- |")
    results = []
    try:
        for name in DETECTORS:
            try:
                child = subprocess.run([sys.executable, __file__, "--only", name, "--texts", str(texts_file)],
                                       capture_output=True, text=True, timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                print(f"| {name} | not done in {TIMEOUT} s ({TIMEOUT / len(texts) * 1e3:.0f}+ ms per text) | | | | |")
                continue
            if child.returncode:
                print(f"| {name} | not installed here | | | | |" if "ModuleNotFoundError" in child.stderr
                      else f"| {name} | failed: {child.stderr.strip().splitlines()[-1]} | | | | |")
                continue
            r = json.loads(child.stdout)
            results.append(r)
            print(f"| {name} | {r.get('en_right', 0)} / {r.get('en_abstained', 0)} / {r.get('en_wrong', 0)} "
                  f"| {r.get('other_right', 0)} / {r.get('other_abstained', 0)} / {r.get('other_wrong', 0)} "
                  f"| {r['load_s']:.2f} | {r['per_call_us']:.0f} | {r['memory_mb']:.0f} |")
    finally:
        texts_file.unlink()
    ours_result = results[0]
    print(f"BENCH texts={len(texts)} ours_en_right={ours_result.get('en_right', 0)} "
          f"ours_other_right={ours_result.get('other_right', 0)} ours_load_s={ours_result['load_s']:.2f} "
          f"ours_per_call_us={ours_result['per_call_us']:.0f} ours_memory_mb={ours_result['memory_mb']:.0f} "
          f"detectors={len(results)}")


if __name__ == "__main__":
    main()
