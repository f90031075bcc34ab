"""Enrichment throughput on a synthetic corpus, as a ratio to bare Aho-Corasick scanning in the same run.

    .venv/bin/python benchmarks/enrich_throughput.py [--articles 3000] [--repeat 3]

The corpus mixes the seed's paragraphs with sentences naming random gazetteer actors and places, plus
comments, so the matcher meets realistic densities. The baseline is pyahocorasick iterating over the same
folded texts with the same automaton: the cost floor of any dictionary scan. `enrich` adds word
boundaries, case rules, overlap and ambiguity resolution, comment languages and reply linking.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from crawler.enrichment.enrich import enrich  # noqa: E402
from crawler.enrichment.gazetteer import load_gazetteer  # noqa: E402
from crawler.enrichment.matcher import EntityMatcher, searchable  # noqa: E402
from crawler.extraction.model import Comment  # noqa: E402

SEED = Path(__file__).resolve().parent.parent / "seeds" / "lwj-2015-06-aleppo-counteroffensive.txt"


def synthetic_corpus(count: int, seed: int = 7) -> list[tuple[str, str, list[Comment]]]:
    rng = random.Random(seed)
    gazetteer = load_gazetteer()
    names = [a.text for a in gazetteer.aliases if a.entity.gazetteer == "curated"]
    paragraphs = [p for p in SEED.read_text(encoding="utf-8").split("\n\n") if len(p.split()) > 20]
    corpus = []
    for i in range(count):
        body = []
        for _ in range(rng.randint(6, 14)):
            body.append(rng.choice(paragraphs))
            body.append(f"Fighters of {rng.choice(names)} clashed with {rng.choice(names)} near "
                        f"{rng.choice(names)} on Tuesday, officials said.")
        comments = [Comment(author=f"reader{j}", text=f"@reader{j - 1} what about {rng.choice(names)}? "
                                                      + rng.choice(paragraphs)[:300]) for j in range(rng.randint(0, 12))]
        corpus.append((f"Article {i} on {rng.choice(names)}", "\n\n".join(body), comments))
    return corpus


def timed(run, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    start = time.perf_counter()
    matcher = EntityMatcher.from_gazetteer(load_gazetteer())
    setup = time.perf_counter() - start
    corpus = synthetic_corpus(args.articles)
    words = sum(len(body.split()) + sum(len(c.text.split()) for c in comments) for _, body, comments in corpus)

    def baseline():
        for title, body, comments in corpus:
            for text in [title + "\n\n" + body, *(c.text for c in comments)]:
                for _ in matcher.automaton.iter(searchable(text)):
                    pass

    def ours():
        for title, body, comments in corpus:
            enrich(matcher, title, body, comments)

    base_s, ours_s = timed(baseline, args.repeat), timed(ours, args.repeat)
    comments = sum(len(c) for _, _, c in corpus)
    print(f"corpus: {len(corpus)} articles, {comments} comments, {words:,} words; "
          f"gazetteer {len(load_gazetteer().aliases):,} aliases, matcher built in {setup:.2f} s")
    print(f"baseline (bare automaton scan): {len(corpus) / base_s:,.0f} articles/s ({base_s:.2f} s)")
    print(f"enrich (full):                  {len(corpus) / ours_s:,.0f} articles/s ({ours_s:.2f} s)")
    print(f"ratio enrich / baseline: {base_s / ours_s:.3f} (1.0 = as fast as the bare scan)")
    print(f"BENCH enrich_articles_per_s={len(corpus) / ours_s:.1f} baseline_articles_per_s={len(corpus) / base_s:.1f} "
          f"ratio={base_s / ours_s:.3f} python={sys.version.split()[0]} median_words={statistics.median(len(b.split()) for _, b, _ in corpus):.0f}")


if __name__ == "__main__":
    main()
