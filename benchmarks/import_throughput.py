"""`frontline import` throughput and peak memory at scale, against bare trafilatura in the same run.

    .venv/bin/python benchmarks/import_throughput.py --articles 1000 [--kind html|text] [--seed 1] [--profile]
        [--workers 1,2]

Generates a synthetic corpus (benchmarks/synthetic.py) into a temporary folder, then runs, each in its own
child process:
  (a) baseline (HTML only): bare `trafilatura.extract(html, include_comments=False)` over the same files,
      read from disk one by one: the cost floor of extracting the body alone;
  (b) `frontline import --db TMP/frontline.db DIR` end to end: decode, extract (body and comments),
      normalize, enrich, store, including interpreter start, Scrapy start and building the matcher; once
      per --workers value (FRONTLINE_WORKERS; default: the setting's own, one per core);
  (c) the same import of one article, to measure that fixed cost; (N-1)/(T_N - T_1) is the steady rate.

Peak RSS is the child's own ru_maxrss, read with os.wait4() on that child's pid (exact per child, unlike
RUSAGE_CHILDREN, which keeps the maximum over every child reaped so far). An import with worker processes
is several processes: its peak memory is also sampled (every 0.1 s) as the sum of the PSS of the import and
all its descendants (the fork server and the workers), PSS so that pages shared between them count once.

--profile runs the import child under `python -m cProfile` (in addition, in-process: FRONTLINE_WORKERS=1) and
prints the top 25 entries by cumulative time, and the top 15 by own time.
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
import threading
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
    return measure_tree(cmd, **kwargs)[:5]


def measure_tree(cmd: list[str], **kwargs) -> tuple[int, float, float, str, str, float]:
    """run_measured(), and the peak PSS in MB of the child with all its descendants."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=ROOT, **kwargs)
        sampler = TreeMemory(proc.pid)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        tree_peak = sampler.stop()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return (proc.returncode, wall, usage.ru_maxrss / 1024,  # Linux: kilobytes
                out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"), tree_peak)


class TreeMemory(threading.Thread):
    """Samples the summed PSS (Linux /proc/PID/smaps_rollup) of a process and its descendants; stop() gives
    the peak in MB."""

    def __init__(self, pid: int, interval: float = 0.1):
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak, self.done = pid, interval, 0.0, threading.Event()
        self.start()

    def run(self):
        while not self.done.wait(self.interval):
            self.peak = max(self.peak, sum(map(pss_mb, tree_pids(self.pid))))

    def stop(self) -> float:
        self.done.set()
        self.join()
        return self.peak


def tree_pids(root: int) -> list[int]:
    parents = {}
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/stat") as stat:
                parents[int(entry)] = int(stat.read().rsplit(")", 1)[1].split()[1])
        except (ValueError, OSError):
            continue
    tree, frontier = [root], [root]
    while frontier:
        frontier = [pid for pid, parent in parents.items() if parent in frontier]
        tree += frontier
    return tree


def pss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            return next(int(line.split()[1]) for line in rollup if line.startswith("Pss:")) / 1024
    except (OSError, StopIteration):
        return 0.0


def db_counts(db: Path) -> tuple[int, int]:
    with sqlite3.connect(db) as conn:
        return (conn.execute("select count(*) from articles").fetchone()[0],
                conn.execute("select count(*) from comments").fetchone()[0])


def run_import(corpus: Path, db: Path, workers: int | None, profile_out: Path | None = None) \
        -> tuple[float, float, float, str]:
    """(wall seconds, peak RSS of the import process in MB, peak PSS of its process tree in MB, stderr)."""
    cmd = [FRONTLINE, "import", "--db", str(db), str(corpus)]
    if profile_out:
        cmd = [sys.executable, "-m", "cProfile", "-o", str(profile_out), *cmd]
    env = {**os.environ, "FRONTLINE_WORKERS": str(workers)} if workers is not None else None
    status, wall, rss, _, err, tree = measure_tree(cmd, env=env)
    if status != 0:
        sys.exit(f"frontline import failed ({status}):\n{err[-3000:]}")
    return wall, rss, tree, err


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


def import_run(corpus: Path, work: Path, n: int, workers: int | None, fixed_cost: bool) -> dict:
    """One import of the corpus (and of its first file, for the fixed cost) with this FRONTLINE_WORKERS."""
    tag = f"w{workers}" if workers is not None else "default"
    db = work / f"frontline-{tag}.db"
    wall, rss, tree, err = run_import(corpus, db, workers)
    articles, comments = db_counts(db)
    fixed = steady = None
    if fixed_cost:
        one = work / "one"
        one.mkdir(exist_ok=True)
        first = sorted(corpus.iterdir())[0]
        shutil.copy(first, one / first.name)
        fixed = run_import(one, work / f"one-{tag}.db", workers)[:3]
        if wall > fixed[0]:
            steady = (n - 1) / (wall - fixed[0])
    label = f"frontline import, FRONTLINE_WORKERS={workers}" if workers is not None else "frontline import"
    return {"label": label, "workers": workers, "wall": wall, "rss": rss, "tree": tree, "err": err,
            "articles": articles, "comments": comments, "aps": n / wall, "fixed": fixed, "steady": steady}


def print_run(run: dict, n: int) -> None:
    print(f"| {run['label']}, end to end | {n} | {run['wall']:.1f} | {run['aps']:,.1f} | {run['rss']:.0f} | "
          f"{run['tree']:.0f} |")
    if run["fixed"]:
        wall, rss, tree = run["fixed"]
        print(f"| {run['label']} of 1 article (fixed cost) | 1 | {wall:.1f} | | {rss:.0f} | {tree:.0f} |")
    if run["steady"]:
        print(f"| {run['label']}, steady state (N-1)/(T_N-T_1) | {n - 1} | {run['wall'] - run['fixed'][0]:.1f} | "
              f"{run['steady']:,.1f} | | |")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--kind", choices=["html", "text"], default="html")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", action="store_true", help="also run the import under cProfile, print the top")
    parser.add_argument("--no-fixed-cost", action="store_true", help="skip the one-article import (startup cost)")
    parser.add_argument("--workdir", help="where to generate the corpus (default: a temporary folder, removed)")
    parser.add_argument("--workers", type=lambda text: [int(n) for n in text.split(",")], default=[None],
                        help="FRONTLINE_WORKERS of each import, e.g. 1,2 (default: the setting, one per core)")
    args = parser.parse_args(argv)
    n = args.articles

    work = Path(args.workdir or tempfile.mkdtemp(prefix="frontline-import-bench-"))
    corpus = work / "corpus"
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

        runs = [import_run(corpus, work, n, workers, not args.no_fixed_cost and n > 1) for workers in args.workers]
        print()
        print("| run | articles | seconds | pages/s | peak RSS MB (import process) | peak PSS MB (with workers) |")
        print("| --- | --- | --- | --- | --- | --- |")
        if base:
            print(f"| baseline: bare trafilatura.extract (loop) | {n} | {base['loop_s']:.1f} | {base['pps']:,.1f} | "
                  f"{base['rss']:.0f} | |")
            print(f"| baseline: same child, end to end | {n} | {base['wall_s']:.1f} | {n / base['wall_s']:,.1f} | | |")
        for run in runs:
            print_run(run, n)
        bench = []
        for run in runs:
            print(f"\n{run['label']}: stored {run['articles']} articles, {run['comments']} comments "
                  f"(expected {n} articles)")
            if base:
                print(f"ratio import/baseline: {run['aps'] / base['pps']:.3f} (end to end; target >= 1.0)")
                if run["steady"]:
                    print(f"ratio import/baseline, steady state: {run['steady'] / base['pps']:.3f}")
            else:
                print(f"text seeds: {run['aps']:,.1f} articles/s end to end (target >= 400)"
                      + (f", {run['steady']:,.1f} steady state" if run["steady"] else ""))
            fields = (f"stored={run['articles']} comments={run['comments']} import_s={run['wall']:.2f} "
                      f"import_articles_per_s={run['aps']:.2f} import_peak_rss_mb={run['rss']:.0f} "
                      f"import_peak_tree_pss_mb={run['tree']:.0f}"
                      + (f" steady_articles_per_s={run['steady']:.2f} fixed_s={run['fixed'][0]:.2f}"
                         if run["steady"] else "")
                      + (f" ratio={run['aps'] / base['pps']:.3f}" if base else ""))
            # the first run's figures unsuffixed, every run's with _wN (N: its FRONTLINE_WORKERS)
            bench += [fields] if not bench else []
            if run["workers"] is not None:
                bench.append(" ".join(f"{key}_w{run['workers']}={value}" for key, value in
                                      (field.split("=") for field in fields.split())))
        print(f"BENCH kind={args.kind} articles={n} " + " ".join(bench)
              + (f" baseline_pages_per_s={base['pps']:.2f} baseline_peak_rss_mb={base['rss']:.0f}" if base else "")
              + f" python={sys.version.split()[0]}")
        for run in runs:
            if run["articles"] != n:
                print(f"ERROR: {run['label']} stored {run['articles']} articles, expected {n}", file=sys.stderr)
                print(run["err"][-3000:], file=sys.stderr)
                sys.exit(1)

        if args.profile:
            prof = work / "import.prof"
            pwall, _, _, _ = run_import(corpus, work / "profiled.db", 1, profile_out=prof)
            print(f"\nprofile: frontline import under cProfile took {pwall:.1f} s in-process "
                  f"(unprofiled {runs[0]['wall']:.1f} s)")
            print_profile(prof, n)
    finally:
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
