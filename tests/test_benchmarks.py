"""Smoke runs of the throughput benchmarks (issue 7) on tiny corpora: they run, and report what they should.

No figure is asserted against a target here (benchmarks/README.md holds those); these tests check that
each script exits 0, stores every generated article and prints its figures, and that the synthetic
corpus is deterministic and reads back as generated (title, body, comments with authors and parents).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "benchmarks"
sys.path.insert(0, str(BENCH))

import synthetic  # noqa: E402


def run_script(name: str, *args, timeout: int = 180) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(BENCH / name), *map(str, args)], capture_output=True, text=True,
                          cwd=REPO, timeout=timeout)


def bench_line(stdout: str) -> dict[str, str]:
    """The `BENCH key=value ...` line every script prints last."""
    lines = [line for line in stdout.splitlines() if line.startswith("BENCH ")]
    assert lines, f"no BENCH line in:\n{stdout}"
    return dict(field.split("=", 1) for field in lines[-1].split()[1:] if "=" in field)


def test_synthetic_corpus_is_deterministic_and_sized(tmp_path):
    first = synthetic.write_corpus(tmp_path / "a", 4, "both", seed=3)
    second = synthetic.write_corpus(tmp_path / "b", 4, "both", seed=3)
    assert [p.name for p in first] == [p.name for p in second] and len(first) == 8
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(first, second))
    assert synthetic.html_page(2, seed=3) == (tmp_path / "a" / "article-000002.html").read_text(encoding="utf-8")
    assert synthetic.html_page(2, seed=4) != synthetic.html_page(2, seed=3)
    for path in first:
        size = path.stat().st_size
        if path.suffix == ".html":
            assert 60 * 1024 <= size <= 150 * 1024, (path.name, size)
            assert 900 <= synthetic.article_spec(int(path.stem.split("-")[1]), 3).body_words <= 2600
        else:
            assert 5 * 1024 <= size <= 20 * 1024, (path.name, size)
    assert synthetic.article_path(5) == synthetic.article_spec(5).path
    assert re.fullmatch(r"/20\d\d/\d\d/\d\d/[a-z0-9-]+-5/", synthetic.article_path(5))


def test_synthetic_pages_extract_as_generated(tmp_path, run_frontline):
    """The comment parser and segmenter read back the title, body, authors and reply parents we wrote."""
    html_indexes = [i for i in range(40) if len(synthetic.article_spec(i).comments) >= 5][:2]
    text_indexes = [i for i in range(40) if synthetic.text_seed_comments(i) >= 5][:2]
    assert html_indexes and text_indexes
    paths = []
    for i in html_indexes:
        paths.append(tmp_path / f"article-{i}.html")
        paths[-1].write_text(synthetic.html_page(i), encoding="utf-8")
    for i in text_indexes:
        paths.append(tmp_path / f"seed-{i}.txt")
        paths[-1].write_text(synthetic.text_seed(i), encoding="utf-8")
    result = run_frontline("extract", *paths)
    assert result.returncode == 0, result.stderr
    docs = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert len(docs) == len(paths)
    for path, doc in zip(paths, docs):
        index = int(path.stem.split("-")[1])
        if path.suffix == ".html":
            spec, count = synthetic.article_spec(index), len(synthetic.article_spec(index).comments)
        else:
            spec = synthetic.article_spec(index, min_words=750, max_words=2200, max_comments=30)
            count = synthetic.text_seed_comments(index)
        assert doc["title"] == spec.title, path.name
        assert doc["author"] == spec.author, path.name
        assert doc["published"] == spec.published.isoformat(), path.name
        assert abs(len(doc["body"].split()) - spec.body_words) <= 0.05 * spec.body_words, path.name
        got = [(c["author"], c["reply_to"]) for c in doc["comments"]]
        assert got == [(c.author, c.parent) for c in spec.comments[:count]], path.name
        assert any(parent is not None for _, parent in got), path.name


def test_synthetic_cli_streams_files(tmp_path):
    result = run_script("synthetic.py", tmp_path / "out", "--articles", "3", "--kind", "text", "--seed", "2")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [f"seed-00000{i}.txt" for i in range(3)]
    assert "wrote 3 files" in result.stdout


@pytest.mark.parametrize("kind", ["html", "text"])
def test_import_throughput_smoke(kind):
    profile = ["--profile"] if kind == "html" else []  # one run of each script path: profile the HTML one
    result = run_script("import_throughput.py", "--articles", 8, "--kind", kind, "--no-fixed-cost", *profile)
    assert result.returncode == 0, result.stderr + result.stdout
    bench = bench_line(result.stdout)
    assert bench["stored"] == "8" and int(bench["comments"]) > 0
    assert float(bench["import_articles_per_s"]) > 0 and 50 < float(bench["import_peak_rss_mb"]) < 4000
    assert "| frontline import, end to end | 8 |" in result.stdout
    if kind == "html":
        assert re.search(r"^ratio import/baseline: \d+\.\d{3}", result.stdout, re.MULTILINE), result.stdout
        assert float(bench["baseline_pages_per_s"]) > 0 and float(bench["baseline_peak_rss_mb"]) > 10
        assert "profile: frontline import under cProfile" in result.stdout
        assert "cumulative" in result.stdout and "ncalls" in result.stdout
    else:
        assert "text seeds:" in result.stdout and "baseline_pages_per_s" not in bench


def test_crawl_throughput_smoke():
    result = run_script("crawl_throughput.py", "--articles", 12)
    assert result.returncode == 0, result.stderr + result.stdout
    bench = bench_line(result.stdout)
    assert bench["stored"] == "12" and bench["fetched"] == "12"
    assert float(bench["pages_per_s"]) > 0
    assert "stored: 12 articles" in result.stdout


def test_crawl_throughput_against_the_import_of_the_same_pages():
    result = run_script("crawl_throughput.py", "--articles", 6, "--workers", 2, "--compare-import")
    assert result.returncode == 0, result.stderr + result.stdout
    bench = bench_line(result.stdout)
    assert bench["stored"] == "6" and bench["import_stored"] == "6" and bench["workers"] == "2"
    assert float(bench["ratio"]) == pytest.approx(float(bench["pages_per_s"]) / float(bench["import_pages_per_s"]),
                                                  rel=0.01)
    assert "| frontline import of the same pages from disk | 6 |" in result.stdout


def test_datasette_latency_smoke():
    result = run_script("datasette_latency.py", "--articles", 6, "--requests", 5)
    assert result.returncode == 0, result.stderr + result.stdout
    bench = bench_line(result.stdout)
    assert bench["articles"] == "6"
    for key in ("fts_html", "fts_comments", "actor_query", "article_page", "entity_page", "timeline", "places_map"):
        assert 0 < float(bench[f"{key}_median_ms"]) <= float(bench[f"{key}_p95_ms"])
    assert float(bench["sqlite_fts_median_ms"]) > 0
    assert "FTS search median" in result.stdout


def test_datasette_latency_on_a_replicated_corpus():
    result = run_script("datasette_latency.py", "--articles", 4, "--replicate", 10, "--requests", 3)
    assert result.returncode == 0, result.stderr + result.stdout
    bench = bench_line(result.stdout)
    assert bench["articles"] == "10" and bench["replicated_from"] == "4"
    match = re.search(r"^replicated 4 articles to 10 \((\d+) comments\)", result.stdout, re.MULTILINE)
    assert match and int(match.group(1)) == int(bench["comments"]) > 0, result.stdout
    assert "the index finds 'the' in 10 articles" in result.stdout  # the copies are indexed
    assert float(bench["fts_html_median_ms"]) > 0


def test_import_stages_smoke():
    result = run_script("import_stages.py", "--articles", 4, "--kind", "html")
    assert result.returncode == 0, result.stderr + result.stdout
    bench = bench_line(result.stdout)
    assert bench["articles"] == "4" and float(bench["baseline_ms"]) > 0
    stages = [float(bench[f"{stage}_ms"]) for stage in ("decode", "extract", "normalize", "enrich", "store")]
    assert all(ms > 0 for ms in stages) and abs(sum(stages) + float(bench["near-duplicates_ms"])
                                                - float(bench["total_ms"])) < 0.01


def test_extraction_ab_compares_this_tree_with_a_commit_page_by_page(tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    for name in ("a", "b"):
        (pages / f"{name}.html").write_text(f"<html><body><article><h1>{name}</h1><p>{'Words of prose here. ' * 20}"
                                            "</p></article></body></html>", encoding="utf-8")
    result = run_script("extraction_ab.py", "HEAD", pages)
    assert result.returncode == 0, result.stderr
    figures = bench_line(result.stdout)
    assert figures["pages"] == "2" and figures["rounds"] == "1" and float(figures["cpu_ratio"]) > 0
    assert figures["outputs_differ"] == "0"  # HEAD against itself


def test_entity_links_against_the_hand_written_passages():
    """The floors sit just under what the matcher reaches (benchmarks/README.md, section 7): a change that
    loses links or adds wrong ones on helper-written passages fails here."""
    result = run_script("entity_links.py", "--misses")
    assert result.returncode == 0, result.stderr + result.stdout
    bench = bench_line(result.stdout)
    assert bench["passages"] == "152" and bench["bios"] == "13"
    assert float(bench["place_precision"]) >= 0.96 and float(bench["place_recall"]) >= 0.84, bench
    assert float(bench["actor_precision"]) >= 0.95 and float(bench["actor_recall"]) >= 0.95, bench
    assert int(bench["place_traps_linked"]) <= 6 and int(bench["actor_traps_linked"]) <= 2, bench
    assert re.search(r"^[a-z0-9-]+: (missed|false) (place|actor) ", result.stdout, re.MULTILINE)  # --misses lists them


def test_language_detection_smoke():
    result = run_script("language_detection.py")
    assert result.returncode == 0, result.stderr + result.stdout
    bench = bench_line(result.stdout)
    assert int(bench["texts"]) > 500 and bench["ours_other_right"] == "24"
    assert int(bench["ours_en_right"]) >= 500 and float(bench["ours_memory_mb"]) < 20
    assert "| pycld2 (ours) |" in result.stdout


def test_startup_smoke():
    result = run_script("startup.py", "--repeat", 1, timeout=300)
    assert result.returncode == 0, result.stderr + result.stdout
    bench = bench_line(result.stdout)
    for key in ("help_s", "extract_text_s", "extract_html_s", "bare_trafilatura_html_s", "import_text_warm_cache_s",
                "import_cold_cache_s"):
        assert float(bench[key]) > 0, key
    assert float(bench["extract_html_ratio"]) > 0 and "| extract html |" in result.stdout


def test_warc_import_smoke():
    result = run_script("warc_import.py", "--records", 3, 6, timeout=300)
    assert result.returncode == 0, result.stderr + result.stdout
    bench = bench_line(result.stdout)
    assert bench["records"] == "3,6" and bench["stored"] == "6"
    assert float(bench["import_pages_per_s"]) > 0 and float(bench["baseline_pages_per_s"]) > 0
    assert all(50 < float(mb) < 4000 for mb in bench["peak_rss_mb"].split(","))
    assert "| frontline import FILE.warc.gz, end to end | 6 |" in result.stdout
