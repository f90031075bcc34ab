"""`frontline import` throughput and peak memory at scale, against bare trafilatura in the same run.

    .venv/bin/python benchmarks/import_throughput.py --articles 1000 [--kind html|text] [--seed 1] [--profile]

Generates a synthetic corpus (benchmarks/synthetic.py) into a temporary folder, then runs, each in its own
child process:
  (a) baseline (HTML only): bare `trafilatura.extract(html, include_comments=False)` over the same files,
      read from disk one by one: the cost floor of extracting the body alone;
  (b) `frontline import --db TMP/frontline.db DIR` end to end: decode, extract (body and comments),
      normalize, enrich, store, including interpreter start, Scrapy start and building the matcher;
  (c) the same import of one article, to measure that fixed cost; (N-1)/(T_N - T_1) is the steady rate.

Peak RSS is the child's own ru_maxrss, read with os.wait4() on that child's pid (exact per child, unlike
RUSAGE_CHILDREN, which keeps the maximum over every child reaped so far).

--profile runs the import child under `python -m cProfile` (in addition) and prints the top 25 entries by
cumulative time, and the top 15 by own time.
"""

from __future__ import annotations

import argparse
import os
import pstats
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import synthetic  # noqa: E402

BIN = Path(sys.executable).parent
FRONTLINE = str(BIN / "frontline") if (BIN / "frontline").exists() else str(ROOT / ".venv" / "bin" / "frontline")

BASELINE = r"""
import sys, time
from pathlib import Path
import trafilatura
files = sorted(p for p in Path(sys.argv[1]).iterdir() if p.suffix == ".html")
start = time.perf_counter()
words = 0
for path in files:
    text = trafilatura.extract(path.read_text(encoding="utf-8"), include_comments=False)
    words += len((text or "").split())
print(f"{len(files)} {time.perf_counter() - start:.6f} {words}")
"""


def run_measured(cmd: list[str], **kwargs) -> tuple[int, float, float, str, str]:
    """(exit status, wall seconds, peak RSS in MB, stdout, stderr) of one child process."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=ROOT, **kwargs)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return (proc.returncode, wall, usage.ru_maxrss / 1024,  # Linux: kilobytes
                out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"))


def db_counts(db: Path) -> tuple[int, int]:
    with sqlite3.connect(db) as conn:
        return (conn.execute("select count(*) from articles").fetchone()[0],
                conn.execute("select count(*) from comments").fetchone()[0])


def run_import(corpus: Path, db: Path, profile_out: Path | None = None) -> tuple[float, float, str, str]:
    cmd = [FRONTLINE, "import", "--db", str(db), str(corpus)]
    if profile_out:
        cmd = [sys.executable, "-m", "cProfile", "-o", str(profile_out), *cmd]
    status, wall, rss, out, err = run_measured(cmd)
    if status != 0:
        sys.exit(f"frontline import failed ({status}):\n{err[-3000:]}")
    return wall, rss, out, err


def print_profile(prof: Path, n: int) -> None:
    """Seconds per pipeline stage, then the top 25 by cumulative time (frontline's own code, then everything),
    then the top 15 by own time."""
    stats = pstats.Stats(str(prof))
    total = max(ct for (_, _, _), (_, _, _, ct, _) in stats.stats.items())
    print("\n| pipeline stage (pipelines/*.py) | seconds | ms/article | share of the profiled run |")
    print("| --- | --- | --- | --- |")
    for (filename, _, func), (_, calls, _, cumulative, _) in sorted(stats.stats.items(), key=lambda kv: -kv[1][3]):
        if func in ("process_item", "open_spider", "spider_closed") and f"{os.sep}pipelines{os.sep}" in filename \
                and cumulative >= 0.05:
            per = f"{cumulative * 1000 / max(n, 1):.1f}" if func == "process_item" else "(once)"
            print(f"| {Path(filename).stem}.{func} | {cumulative:.1f} | {per} | {cumulative / total:.0%} |")
    print("\ntop 25 by cumulative time, frontline code only (crawler/, pipelines/, db/):")
    own = re.escape(str(ROOT)) + r"/(crawler|pipelines|db)/"
    stats.sort_stats("cumulative").print_stats(own, 25)
    print("top 25 by cumulative time, everything:")
    stats.strip_dirs().sort_stats("cumulative").print_stats(25)
    print("top 15 by own time:")
    stats.sort_stats("tottime").print_stats(15)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--kind", choices=["html", "text"], default="html")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", action="store_true", help="also run the import under cProfile, print the top")
    parser.add_argument("--no-fixed-cost", action="store_true", help="skip the one-article import (startup cost)")
    parser.add_argument("--workdir", help="where to generate the corpus (default: a temporary folder, removed)")
    args = parser.parse_args(argv)
    n = args.articles

    work = Path(args.workdir or tempfile.mkdtemp(prefix="frontline-import-bench-"))
    corpus = work / "corpus"
    one = work / "one"
    try:
        start = time.perf_counter()
        size = 0
        for path in synthetic.iter_corpus(corpus, n, args.kind, args.seed):
            size += path.stat().st_size
        gen_s = time.perf_counter() - start
        print(f"corpus: {n} {args.kind} files, {size / 1e6:.1f} MB ({size / n / 1024:.0f} KB/file), "
              f"generated in {gen_s:.1f} s, seed {args.seed}")

        base = None
        if args.kind == "html":
            status, wall, rss, out, err = run_measured([sys.executable, "-c", BASELINE, str(corpus)])
            if status != 0:
                sys.exit(f"baseline failed:\n{err[-3000:]}")
            pages, loop_s, words = out.split()
            base = {"loop_s": float(loop_s), "wall_s": wall, "rss": rss, "pps": int(pages) / float(loop_s)}

        db = work / "frontline.db"
        wall, rss, _, err = run_import(corpus, db)
        articles, comments = db_counts(db)
        fixed = None
        if not args.no_fixed_cost and n > 1:
            one.mkdir(exist_ok=True)
            first = sorted(corpus.iterdir())[0]
            shutil.copy(first, one / first.name)
            fixed_wall, fixed_rss, _, _ = run_import(one, work / "one.db")
            fixed = (fixed_wall, fixed_rss)

        aps = n / wall
        print()
        print("| run | articles | seconds | pages/s | peak RSS MB |")
        print("| --- | --- | --- | --- | --- |")
        if base:
            print(f"| baseline: bare trafilatura.extract (loop) | {n} | {base['loop_s']:.1f} | {base['pps']:,.1f} | "
                  f"{base['rss']:.0f} |")
            print(f"| baseline: same child, end to end | {n} | {base['wall_s']:.1f} | {n / base['wall_s']:,.1f} | |")
        print(f"| frontline import, end to end | {n} | {wall:.1f} | {aps:,.1f} | {rss:.0f} |")
        steady = None
        if fixed:
            print(f"| frontline import of 1 article (fixed cost) | 1 | {fixed[0]:.1f} | | {fixed[1]:.0f} |")
            if wall > fixed[0]:
                steady = (n - 1) / (wall - fixed[0])
                print(f"| frontline import, steady state (N-1)/(T_N-T_1) | {n - 1} | {wall - fixed[0]:.1f} | "
                      f"{steady:,.1f} | |")
        print()
        print(f"stored: {articles} articles, {comments} comments (expected {n} articles)")
        if base:
            print(f"ratio import/baseline: {aps / base['pps']:.3f} (end to end; target >= 0.8)")
            if steady:
                print(f"ratio import/baseline, steady state: {steady / base['pps']:.3f}")
        else:
            print(f"text seeds: {aps:,.1f} articles/s end to end (target >= 300)"
                  + (f", {steady:,.1f} steady state" if steady else ""))
        print(f"BENCH kind={args.kind} articles={n} stored={articles} comments={comments} import_s={wall:.2f} "
              f"import_articles_per_s={aps:.2f} import_peak_rss_mb={rss:.0f}"
              + (f" steady_articles_per_s={steady:.2f} fixed_s={fixed[0]:.2f}" if steady else "")
              + (f" baseline_pages_per_s={base['pps']:.2f} baseline_peak_rss_mb={base['rss']:.0f} "
                 f"ratio={aps / base['pps']:.3f}" if base else "")
              + f" python={sys.version.split()[0]}")
        if articles != n:
            print(f"ERROR: stored {articles} articles, expected {n}", file=sys.stderr)
            if err.strip():
                print(err[-3000:], file=sys.stderr)
            sys.exit(1)

        if args.profile:
            prof = work / "import.prof"
            pwall, _, _, _ = run_import(corpus, work / "profiled.db", profile_out=prof)
            print(f"\nprofile: frontline import under cProfile took {pwall:.1f} s (unprofiled {wall:.1f} s)")
            print_profile(prof, n)
    finally:
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
