"""`frontline import FILE.warc.gz` throughput and peak memory, against bare trafilatura over the same records.

    .venv/bin/python benchmarks/warc_import.py --records 100 10000 [--seed 1]

For each size N, writes a WARC of N synthetic article pages (benchmarks/synthetic.py, one response record
each, gzip per record, as CC-NEWS is) record by record into a temporary folder, then runs, each in its own
child process:
  (a) baseline: warcio reads the same file and bare `trafilatura.extract(html, include_comments=False)` runs
      over each response's payload: the cost floor of reading the archive and extracting bodies alone;
  (b) `frontline import --db TMP/frontline.db FILE.warc.gz` end to end: reading, decode, extract (body and
      comments), normalize, enrich, store, including interpreter, Scrapy and matcher start; between the
      smallest and the largest size, (N2 - N1) / (T2 - T1) is its steady rate, start-up taken out.
Peak RSS is each child's own ru_maxrss (benchmarks/import_throughput.py run_measured). Flat memory means the
import's peak at 10,000 records is about its peak at 100: the archive is streamed, never held.
"""

from __future__ import annotations

import argparse
import io
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import synthetic  # noqa: E402
from import_throughput import FRONTLINE, db_counts, run_measured  # noqa: E402

SITE = "https://frontline-bench.example"
BASELINE = r"""
import sys, time
import trafilatura
from warcio.archiveiterator import ArchiveIterator
start = time.perf_counter()
pages = words = 0
with open(sys.argv[1], "rb") as stream:
    for record in ArchiveIterator(stream):
        if record.rec_type == "response":
            html = record.content_stream().read().decode("utf-8")
            words += len((trafilatura.extract(html, include_comments=False) or "").split())
            pages += 1
print(f"{pages} {time.perf_counter() - start:.6f} {words}")
"""


def write_warc(path: Path, n: int, seed: int) -> int:
    """N response records, written one by one (the corpus is never held); returns the file's size."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for index in range(n):
            body = synthetic.html_page(index, seed, base=SITE).encode("utf-8")
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                               ("Content-Length", str(len(body)))], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(SITE + synthetic.article_path(index, seed), "response",
                                                          payload=io.BytesIO(body), http_headers=http))
    return path.stat().st_size


def measure(work: Path, n: int, seed: int) -> dict:
    warc = work / f"bench-{n}.warc.gz"
    size = write_warc(warc, n, seed)
    status, base_wall, base_rss, out, err = run_measured([sys.executable, "-c", BASELINE, str(warc)])
    if status != 0:
        sys.exit(f"baseline failed:\n{err[-3000:]}")
    pages, loop_s, _ = out.split()
    db = work / f"bench-{n}.db"
    status, wall, rss, _, err = run_measured([FRONTLINE, "import", "--db", str(db), str(warc)])
    if status != 0:
        sys.exit(f"frontline import failed ({status}):\n{err[-3000:]}")
    articles, comments = db_counts(db)
    return {"records": n, "mb": size / 1e6, "base_pps": int(pages) / float(loop_s), "base_wall": base_wall,
            "base_rss": base_rss, "wall": wall, "pps": n / wall, "rss": rss, "articles": articles,
            "comments": comments}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, nargs="+", default=[100, 10_000])
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="frontline-warc-bench-"))
    try:
        results = []
        for n in args.records:
            results.append(measure(work, n, args.seed))
            (work / f"bench-{n}.warc.gz").unlink()
        print("| run | records | WARC MB | seconds | pages/s | peak RSS MB |")
        print("| --- | --- | --- | --- | --- | --- |")
        for r in results:
            print(f"| baseline: warcio + bare trafilatura.extract | {r['records']} | {r['mb']:.1f} | "
                  f"{r['base_wall']:.1f} | {r['base_pps']:,.1f} | {r['base_rss']:.0f} |")
            print(f"| frontline import FILE.warc.gz, end to end | {r['records']} | {r['mb']:.1f} | {r['wall']:.1f} | "
                  f"{r['pps']:,.1f} | {r['rss']:.0f} |")
        print()
        for r in results:
            print(f"{r['records']} records: stored {r['articles']} articles, {r['comments']} comments; "
                  f"ratio import/baseline {r['pps'] / r['base_pps']:.3f}")
        first, last = results[0], results[-1]
        steady = (last["records"] - first["records"]) / (last["wall"] - first["wall"]) \
            if last["wall"] > first["wall"] else last["pps"]  # start-up (Scrapy, the matcher) taken out
        print(f"steady state between {first['records']} and {last['records']} records: {steady:,.1f} pages/s, "
              f"ratio to the baseline {steady / last['base_pps']:.3f}")
        print(f"BENCH records={','.join(str(r['records']) for r in results)} stored={last['articles']} "
              f"import_pages_per_s={last['pps']:.2f} baseline_pages_per_s={last['base_pps']:.2f} "
              f"ratio={last['pps'] / last['base_pps']:.3f} steady_pages_per_s={steady:.2f} "
              f"steady_ratio={steady / last['base_pps']:.3f} peak_rss_mb={first['rss']:.0f},{last['rss']:.0f} "
              f"baseline_peak_rss_mb={first['base_rss']:.0f},{last['base_rss']:.0f} python={sys.version.split()[0]}")
        if any(r["articles"] != r["records"] for r in results):
            sys.exit("ERROR: not every record became an article")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
