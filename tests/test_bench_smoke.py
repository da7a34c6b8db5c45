"""Smoke test of the benchmarks at N=50: the corpus is valid and the runners print figures.

The benchmarks themselves are not run in CI (they take minutes); this checks that they still
work, so the figures in docs/performance.md can be reproduced.
"""

from __future__ import annotations

import subprocess

from benchmarks.corpus import Sizes, generate, peers
from generator.build import Cache, Options, load
from tests.conftest import PYTHON, ROOT, TEMPLATES


def test_corpus_is_valid_and_deterministic(tmp_path):
    sizes = generate(tmp_path / "a", 50, seed=7)
    assert sizes == Sizes(50, 11, 50, 106)
    result = load(Options(content=tmp_path / "a" / "content", templates=TEMPLATES), Cache())
    assert result.diagnostics == [], [d.format() for d in result.diagnostics[:5]]
    assert result.index is not None and len(result.index.claims()) == 50
    generate(tmp_path / "b", 50, seed=7)
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.md"))
    assert files == sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*.md"))
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes()
               for f in files)
    body = (tmp_path / "a" / "content" / "claims" / "claim-00001.md").read_text()
    assert "](../actors/" in body and "| Date |" in body and "\n> " in body and "\n- " in body
    assert len(body.split("---\n", 2)[2].split()) >= 450


def test_archive_shape_shares_actors_and_sources(tmp_path):
    sizes = generate(tmp_path, 200, seed=3, shape="archive")
    assert sizes == Sizes(200, 20, 220, 60) and sizes.total / sizes.claims == 2.5
    result = load(Options(content=tmp_path / "content", templates=TEMPLATES), Cache())
    assert result.diagnostics == [], [d.format() for d in result.diagnostics[:5]]
    index = result.index
    assert index is not None
    busiest = max(len(index.claims_by(a)) for a in index.all("actors"))
    assert busiest >= 20  # a few prolific claimants, as in real archives


def test_peer_copies_hold_the_same_bodies(tmp_path):
    generate(tmp_path, 50, seed=1)
    peers(tmp_path)
    ours = (tmp_path / "content" / "claims" / "claim-00003.md").read_text().split("---\n", 2)[2]
    for copy in ("hugo/content/claims/claim-00003.md", "pelican/content/claims/claim-00003.md"):
        assert (tmp_path / copy).read_text().endswith(ours)
    assert (tmp_path / "hugo" / "config.toml").is_file()
    assert (tmp_path / "pelican" / "pelicanconf.py").is_file()


def test_runner_prints_its_figures(tmp_path):
    done = subprocess.run(
        [PYTHON, "benchmarks/run.py", "--entries", "50", "--runs", "1", "--no-peers",
         "--work", str(tmp_path)], cwd=ROOT, capture_output=True, text=True, timeout=300,
        check=False)
    assert done.returncode == 0, done.stderr + done.stdout
    for figure in ("ours   cold", "ours   no change", "ours   one claim edited",
                   "ours   one actor renamed", "peak RSS", "cold build stages: read",
                   "floor  bare Python-Markdown, every body, all cores", "cold / bare",
                   "without the write stage"):
        assert figure in done.stdout, done.stdout
    assert "ours   no change: built" in done.stdout and " 0 files written" in done.stdout


def test_live_preview_benchmark_prints_its_figures(tmp_path):
    done = subprocess.run(
        [PYTHON, "benchmarks/live_preview.py", "--entries", "50", "--runs", "2",
         "--work", str(tmp_path)], cwd=ROOT, capture_output=True, text=True, timeout=300,
        check=False)
    assert done.returncode == 0, done.stderr + done.stdout
    assert "preview one claim body edited" in done.stdout, done.stdout
    assert "preview one actor renamed" in done.stdout, done.stdout
    assert "quick path" in done.stdout, done.stdout
    assert "full check after those rebuilds: 0 stale files" in done.stdout, done.stdout
    quick = subprocess.run(  # as at 100,000 claims: the claim edit alone, no full check
        [PYTHON, "benchmarks/live_preview.py", "--entries", "50", "--runs", "2", "--edits",
         "claim", "--quick-only", "--work", str(tmp_path)], cwd=ROOT, capture_output=True,
        text=True, timeout=300, check=False)
    assert quick.returncode == 0, quick.stderr + quick.stdout
    assert "peak RSS" in quick.stdout and "slowest" in quick.stdout, quick.stdout
    assert "preview one claim body edited" in quick.stdout, quick.stdout
    assert "actor" not in quick.stdout and "full check" not in quick.stdout, quick.stdout
    assert "content scanned" not in quick.stdout, quick.stdout


def test_floor_benchmark_prints_its_figures(tmp_path):
    done = subprocess.run(
        [PYTHON, "benchmarks/floor.py", "--entries", "50", "--runs", "1", "--work",
         str(tmp_path)], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr + done.stdout
    for figure in ("markdown, our converter", "markdown, bare Python-Markdown",
                   "jinja, every template page", "floor (bare Markdown + Jinja)"):
        assert figure in done.stdout, done.stdout


def test_import_benchmark_prints_its_figures(tmp_path):
    done = subprocess.run(
        [PYTHON, "benchmarks/import_100k.py", "--records", "50", "--keep", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr + done.stdout
    for figure in ("50 records", "load average before:", "s CPU, peak ", "load average after:"):
        assert figure in done.stdout, done.stdout
    assert "(exit 0)" in done.stdout.split("import:")[1].split("\n")[0], done.stdout
    assert "build: " in done.stdout and "(exit 0)" in done.stdout.split("build:")[1], done.stdout
    assert len(list((tmp_path / "content" / "claims").glob("*.md"))) == 50


def test_cards_benchmark_prints_its_figures(tmp_path):
    done = subprocess.run(
        [PYTHON, "benchmarks/cards.py", "--entries", "50", "--runs", "1", "--work",
         str(tmp_path)], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr + done.stdout
    for figure in ("cold build, one card per rating", "share of the cold build",
                   "empty site, card cache kept", "one claim's title edited",
                   "per-claim cards: 50 files", "load average"):
        assert figure in done.stdout, done.stdout


def test_search_benchmark_prints_its_figures(tmp_path):
    done = subprocess.run(
        [PYTHON, "benchmarks/search.py", "--entries", "50", "--runs", "1", "--no-browser",
         "--work", str(tmp_path)], cwd=ROOT, capture_output=True, text=True, timeout=300,
        check=False)
    assert done.returncode == 0, done.stderr + done.stdout
    for figure in ("cold build", "of which indexing", "no-change rebuild", "one claim edited",
                   "of which re-indexing", "largest shard", "peak"):
        assert figure in done.stdout, done.stdout


def test_command_line_edit_benchmark_prints_its_figures(tmp_path):
    found = subprocess.run([PYTHON, "benchmarks/cli_edit.py", "--entries", "50", "--runs", "2",
                            "--work", str(tmp_path)], cwd=ROOT, capture_output=True,
                           text=True, timeout=600)
    assert found.returncode == 0, found.stderr
    assert found.stdout.count("one edit, run ") == 2, found.stdout
    assert "build's own process" in found.stdout and "without it" in found.stdout
    assert "nothing changed" in found.stdout


def test_memory_benchmark_prints_each_process_peak(tmp_path):
    generate(tmp_path / "n50", 50, seed=1)
    found = subprocess.run([PYTHON, "benchmarks/memory.py", "--content",
                            str(tmp_path / "n50" / "content"), "--out", str(tmp_path / "out"),
                            "--every", "0.05"], cwd=ROOT, capture_output=True, text=True,
                           timeout=600)
    assert found.returncode == 0, found.stderr
    first = found.stdout.splitlines()[0]
    assert first.startswith("build ") and "own peak " in first and "pagefind " in first, first
    assert int(first.split("own peak ")[1].split()[0]) > 20  # MB: an interpreter at least
    assert (tmp_path / "out" / "index.html").is_file() and "own RSS: " in found.stdout
