"""Start-up: wall time of one-file `frontline extract` and `frontline import`, beside bare trafilatura.

    .venv/bin/python benchmarks/startup.py [--repeat 5] [--repo PATH]

Each command runs in a fresh process, as a user runs it; the baseline is a bare
`python -c "import trafilatura; trafilatura.extract(open(F).read())"` on the same file, run
alternately with ours in the same loop so that machine load hits both alike. Medians are reported.
`import` is timed with the gazetteer cache warm (the usual case) and once cold (an empty cache
directory: the first run after an install or a gazetteer edit). --repo times another checkout of
frontline (e.g. an older commit unpacked with `git archive`) with this interpreter.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FILES = {"text": REPO / "seeds" / "lwj-2015-06-aleppo-counteroffensive.txt",
         "html": REPO / "tests" / "fixtures" / "pages" / "wordpress-article.html"}


def timed(command: list[str], env: dict, cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--repo", type=Path, default=REPO, help="the frontline checkout to time")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="frontline-startup-"))
    path = os.pathsep.join(filter(None, [str(args.repo.resolve()), os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "PYTHONPATH": path, "FRONTLINE_CACHE_DIR": str(work / "cache")}
    frontline = [sys.executable, "-m", "crawler.cli"]
    times: dict[str, list[float]] = {}

    def run(name: str, command: list[str]) -> None:
        times.setdefault(name, []).append(timed(command, env, work))

    try:
        files = {kind: Path(shutil.copy(path, work / path.name)) for kind, path in FILES.items()}
        run("import, cold cache", [*frontline, "import", "--db", str(work / "cold.db"), str(files["text"])])
        for i in range(args.repeat):
            run("--help", [*frontline, "--help"])
            for kind, file in files.items():
                run(f"extract {kind}", [*frontline, "extract", str(file)])
                run(f"bare trafilatura {kind}",
                    [sys.executable, "-c", f"import trafilatura; trafilatura.extract(open({str(file)!r}).read())"])
            run("import text, warm cache", [*frontline, "import", "--db", str(work / f"warm-{i}.db"), str(files["text"])])
    finally:
        shutil.rmtree(work)
    median = {name: statistics.median(values) for name, values in times.items()}
    print(f"checkout: {args.repo.resolve()}; {args.repeat} runs each, median wall seconds")
    print("| command | seconds | against bare trafilatura |")
    print("| --- | --- | --- |")
    for name, seconds in median.items():
        kind = name.split()[-1]
        ratio = f"{seconds / median[f'bare trafilatura {kind}']:.2f}×" if name.startswith("extract") else ""
        print(f"| {name} | {seconds:.2f} | {ratio} |")
    print("BENCH " + " ".join(f"{name.replace(', ', '_').replace(' ', '_').lstrip('-')}_s={seconds:.3f}"
                              for name, seconds in median.items())
          + "".join(f" extract_{kind}_ratio={median[f'extract {kind}'] / median[f'bare trafilatura {kind}']:.2f}"
                    for kind in FILES))


if __name__ == "__main__":
    main()
