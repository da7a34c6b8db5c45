"""A newsroom's first steps, as a new user takes them: build the wheel, install it into a
fresh virtual environment outside the repository, ``factcheck init`` and ``factcheck build``
in a temporary folder; the site passes the HTML, link and accessibility checks the shipped
site passes (tests/test_validators.py)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.test_validators import AXE, CHROMIUM, CHROMIUM_ARGS, VNU, run_linkchecker, serve

BASE = "https://example.org/"


def run(*args: str | Path, cwd: Path, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)
    assert done.returncode == 0, (args, done.stdout[-2000:], done.stderr[-2000:])
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ``bin/`` folder of a fresh venv where only the wheel (and its dependencies) is."""
    root = tmp_path_factory.mktemp("wheel")
    source = root / "source"  # a copy, so that the build leaves nothing in the repository
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    for name in ("generator", "templates"):
        shutil.copytree(ROOT / name, source / name,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", root / "dist", source,
        cwd=root)
    (wheel,) = (root / "dist").glob("*.whl")
    run(sys.executable, "-m", "venv", root / "venv", cwd=root)
    bin_dir = root / "venv" / "bin"
    run(bin_dir / "python", "-m", "pip", "install", "-q", "--disable-pip-version-check", wheel,
        cwd=root)
    return bin_dir


@pytest.fixture(scope="module")
def new_site(installed: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``factcheck init`` then ``factcheck build`` in a folder far from the repository."""
    work = tmp_path_factory.mktemp("newsroom")
    run(installed / "factcheck", "init", "news", "--title", "Example Newsroom Checks", cwd=work)
    site = work / "news"
    run(installed / "factcheck", "check", "--strict", "--base-url", BASE, cwd=site)
    run(installed / "factcheck", "build", "--base-url", BASE, cwd=site)
    # with the examples too, so that every kind of page is checked
    run(installed / "factcheck", "build", "--drafts", "--base-url", BASE, "--out",
        "preview", cwd=site)
    return site


def test_the_installed_tool_runs_from_its_own_package(installed, tmp_path):
    found = run(installed / "python", "-c",
                "import generator, generator.theme as t; print(generator.__file__); "
                "print(t.builtin_folder())", cwd=tmp_path).stdout.split()
    venv = installed.parent.resolve()
    assert all(Path(p).resolve().is_relative_to(venv) for p in found), found
    assert (Path(found[1]) / "claim.html").is_file()
    assert (Path(found[1]) / "static" / "style.css").is_file()
    # The share cards' font and its licence travel with the theme.
    for name in ("Rubik-Bold.ttf", "Rubik-Regular.ttf", "LICENSE"):
        assert (Path(found[1]) / "fonts" / name).read_bytes() == \
            (ROOT / "templates" / "fonts" / name).read_bytes()


def test_the_installed_tool_draws_share_cards(new_site):
    """The example claim (a draft) gets its rating's card, drawn with the wheel's font."""
    from PIL import Image

    cards = sorted((new_site / "preview" / "cards").glob("*.png"))
    assert cards
    with Image.open(cards[0]) as card:
        assert card.size == (1200, 630)


def test_init_and_build_make_a_styled_site(new_site):
    for out in ("site", "preview"):
        assert (new_site / out / "static" / "style.css").read_bytes() == \
            (ROOT / "templates" / "static" / "style.css").read_bytes()
        assert (new_site / out / "methodology" / "index.html").is_file()
    assert (new_site / "preview" / "claims" / "example-claim" / "index.html").is_file()
    assert not (new_site / "site" / "claims" / "example-claim").exists()


def test_vnu_finds_no_error(new_site):
    java = shutil.which("java")
    if java is None or not VNU.is_file():
        pytest.skip(f"vnu needs java and {VNU} (bash .ci/install-publishing.sh)")
    files = [str(p) for out in ("site", "preview") for p in sorted((new_site / out).rglob("*"))
             if p.suffix in (".html", ".css", ".svg")]
    assert len(files) > 20
    done = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--format", "json",
                           "--also-check-css", "--also-check-svg", *files],
                          capture_output=True, text=True, timeout=300)
    report = json.loads(done.stderr or done.stdout)
    assert [f"{m['url']}:{m.get('lastLine')}: {m['message']}" for m in report["messages"]] == []


@pytest.mark.parametrize("out", ["site", "preview"])
def test_linkchecker_finds_no_broken_link(new_site, out, tmp_path):
    pytest.importorskip("linkcheck", reason="LinkChecker is in the test extra")
    with serve(new_site / out) as origin:
        rows = run_linkchecker([origin + "/"], tmp_path)
        rows += run_linkchecker([origin + "/404.html"], tmp_path, "--recursion-level", "1")
    problems = [f"{r['parentname']}: {r['urlname']}: {r['result']} {r['warningstring']}"
                for r in rows if r["valid"] != "True" or r["warningstring"]]
    assert problems == []
    assert len(rows) > 10


@pytest.mark.browser
def test_chromium_and_axe_find_no_serious_problem(new_site):
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is in the test extra")
    if not CHROMIUM.is_file() or not AXE.is_file():
        pytest.skip(f"needs {CHROMIUM} and {AXE} (bash .ci/install-publishing.sh)")
    out = new_site / "preview"
    pages = ["", "claims/example-claim/", "denials/example-denial/", "sources/example-statement/",
             "actors/example-spokesperson/", "methodology/", "ratings/"]
    problems: list[str] = []
    with serve(out) as origin, sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        page.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.url}")
                if r.status >= 400 else None)
        for path in pages:
            page.goto(f"{origin}/{path}", wait_until="load")
            page.add_script_tag(path=str(AXE))
            result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
            problems += [f"{path}: axe {v['id']} ({v['impact']})" for v in result["violations"]
                         if v["impact"] in ("serious", "critical")]
        browser.close()
    assert problems == []
