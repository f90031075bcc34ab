"""CPU time of this tree's extract_html against another commit's, interleaved page by page in one process.

    .venv/bin/python benchmarks/extraction_ab.py f915ab5 ../shared/bench/extraction/html --rounds 2
    .venv/bin/python benchmarks/extraction_ab.py f915ab5 ../shared/bench/comments/dragnet-dev/HTML

On a shared machine the load changes from one minute to the next, so two runs one after the other (or two
extractors in run_baselines.py, one after the other) can differ by more than the change measured. Here each
page is extracted by both versions in turn, the order alternating, and process CPU time is summed: a load
change hits both alike. The other commit's `crawler` package is unpacked from git into a temporary folder and
imported under the same module names, then swapped out of sys.modules again. The two extractions of each page
are compared field by field (first round): pages whose output differs are listed with the fields that differ.
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def import_extract_html(package_root: Path):
    """extract_html from the `crawler` package under package_root, leaving sys.modules as it was."""
    ours = {k: v for k, v in sys.modules.items() if k == "crawler" or k.startswith("crawler.")}
    for name in ours:
        del sys.modules[name]
    sys.path.insert(0, str(package_root))
    try:
        from crawler.extraction.html import extract_html
    finally:
        for name in [k for k in sys.modules if k == "crawler" or k.startswith("crawler.")]:
            del sys.modules[name]
        sys.modules.update(ours)
        sys.path.remove(str(package_root))
    return extract_html


def read_pages(folder: Path) -> dict[str, str]:
    return {p.name: (gzip.decompress(p.read_bytes()) if p.suffix == ".gz" else p.read_bytes()).decode("utf-8", "replace")
            for p in sorted(folder.iterdir()) if p.name.endswith((".html", ".html.gz"))}


def differing_fields(ours, theirs) -> list[str]:
    """The fields of two Extractions (each version's own class) that differ."""
    a, b = dataclasses.asdict(ours), dataclasses.asdict(theirs)
    return [name for name in a if a[name] != b.get(name)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ref", help="the git commit to compare against")
    parser.add_argument("pages", type=Path, help="a folder of .html or .html.gz pages")
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as other:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.ref, "crawler"], check=True,
                                 capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", other], input=archive, check=True)
        theirs = import_extract_html(Path(other))
        ours = import_extract_html(ROOT)
        pages = read_pages(args.pages)
        seconds = {"this tree": 0.0, args.ref: 0.0}
        differ = {}
        for round_ in range(args.rounds):
            for i, (page, html) in enumerate(pages.items()):
                pair = [("this tree", ours), (args.ref, theirs)]
                out = {}
                for name, extract in pair if (i + round_) % 2 else reversed(pair):
                    start = time.process_time()
                    out[name] = extract(html)
                    seconds[name] += time.process_time() - start
                if round_ == 0 and (fields := differing_fields(out["this tree"], out[args.ref])):
                    differ[page] = fields
    ratio = seconds["this tree"] / seconds[args.ref]
    for page, fields in differ.items():
        print(f"output differs: {page}: {', '.join(fields)}")
    print(f"{len(pages)} pages x {args.rounds}: this tree {seconds['this tree']:.2f} s CPU, {args.ref} "
          f"{seconds[args.ref]:.2f} s CPU")
    print(f"BENCH pages={len(pages)} rounds={args.rounds} cpu_ratio={ratio:.3f} outputs_differ={len(differ)}")


if __name__ == "__main__":
    main()
