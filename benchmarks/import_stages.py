"""Where an import spends its time: each pipeline stage timed in one process, without Scrapy.

    .venv/bin/python benchmarks/import_stages.py --articles 500 --kind html|text

Runs the stages that `frontline import` chains (decode, extract, normalize, enrich with the near-duplicate
signature, store, then the near-duplicate clustering once at the end) over a synthetic corpus (benchmarks/synthetic.py) into a fresh
SQLite file, and prints milliseconds per article for each. For HTML, bare `trafilatura.extract` over the
same pages is timed in the same run as the baseline. The gazetteer is loaded before timing starts; the
import's own fixed cost is measured by import_throughput.py. The steady rate there, compared with the sum
here, shows what Scrapy itself adds.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

import synthetic  # noqa: E402
import trafilatura  # noqa: E402

from crawler.enrichment.duplicates import near_duplicate_clusters, signature  # noqa: E402
from crawler.enrichment.enrich import enrich  # noqa: E402
from crawler.enrichment.language import detect_language  # noqa: E402
from crawler.enrichment.matcher import load_matcher  # noqa: E402
from crawler.extraction import decode_page, extract_page  # noqa: E402
from crawler.items import RawPage  # noqa: E402
from db.articles import save_article  # noqa: E402
from db.enrichment import duplicate_candidates, save_duplicate_clusters, signature_reader  # noqa: E402
from db.schema import open_database  # noqa: E402
from pipelines.normalize import content_hash, normalize_extraction  # noqa: E402


def time_stages(pages: list[tuple[str, bytes]], db_path: Path) -> dict[str, float]:
    matcher = load_matcher()
    detect_language("Warm the language model up with one sentence.")
    db = open_database(db_path)
    seconds: dict[str, float] = {}

    def lap(stage: str, since: float) -> float:
        now = time.perf_counter()
        seconds[stage] = seconds.get(stage, 0.0) + now - since
        return now

    for name, body in pages:
        t = time.perf_counter()
        item = RawPage(url=f"file:///corpus/{name}", source="seeds", body=body)
        item.decoded = decode_page(body, name)
        t = lap("decode", t)
        item.extraction = page = extract_page(item.decoded)
        t = lap("extract", t)
        normalize_extraction(page)
        item.word_count, item.language = len(page.body.split()), detect_language(page.body)
        item.content_hash = content_hash(page.to_json())
        t = lap("normalize", t)
        item.enrichment = enrich(matcher, page.title, page.body, page.comments)
        item.signature = signature(page.body)
        t = lap("enrich", t)
        save_article(db, item, "benchmark")
        lap("store", t)
    t = time.perf_counter()
    save_duplicate_clusters(db, near_duplicate_clusters(duplicate_candidates(db), signature_reader(db)))
    lap("near-duplicates (once, at the end)", t)
    db.close()
    return seconds


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--kind", choices=["html", "text"], default="html")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    pages = [(name, text.encode()) for name, text in synthetic.documents(args.articles, args.kind, args.seed)]
    n = len(pages)
    baseline = None
    if args.kind == "html":
        start = time.perf_counter()
        for _, body in pages:
            trafilatura.extract(body.decode("utf-8"), include_comments=False)
        baseline = (time.perf_counter() - start) * 1000 / n
    with tempfile.TemporaryDirectory() as work:
        seconds = time_stages(pages, Path(work) / "frontline.db")
    total = sum(seconds.values()) * 1000 / n
    print(f"| stage ({n} {args.kind} articles) | ms/article | share |")
    print("| --- | --- | --- |")
    for stage, spent in seconds.items():
        print(f"| {stage} | {spent * 1000 / n:.2f} | {spent * 1000 / n / total:.0%} |")
    print(f"| all stages | {total:.2f} | 100% |")
    if baseline:
        print(f"| baseline: bare trafilatura.extract | {baseline:.2f} | |")
    print(f"BENCH stages kind={args.kind} articles={n} total_ms={total:.3f}"
          + "".join(f" {stage.split()[0]}_ms={spent * 1000 / n:.3f}" for stage, spent in seconds.items())
          + (f" baseline_ms={baseline:.3f}" if baseline else ""))


if __name__ == "__main__":
    main()
