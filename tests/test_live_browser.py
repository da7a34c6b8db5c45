"""End to end in headless Chromium: a save on disk shows up in the open tab by itself.

The test never reloads or navigates the page after opening it: livereload does. Every wait
is bounded (a failure, never a pass, depends on the bound), and each edit waits until the
tab's livereload socket is connected, so a reload message cannot be missed.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import MINIMAL, Project
from tests.serving import WAIT, Server

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
LIMIT = WAIT * 1000
"""Milliseconds: the bound of every wait in the browser."""
TITLE = "Russian personnel in Crimea pilot Iranian UAVs"

pytestmark = pytest.mark.browser


@pytest.fixture
def browser():
    if not CHROMIUM.exists() and not shutil.which("chromium"):
        pytest.skip("needs Debian's chromium at /usr/bin/chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield launched
        finally:
            launched.close()


def test_saved_edits_errors_and_fixes_appear_in_the_open_tab(browser, tmp_path):
    from playwright.sync_api import expect

    project = Project(tmp_path, tmp_path / "content", tmp_path / "templates", tmp_path / "site")
    for rel, text in MINIMAL.items():
        project.write(rel, text)
    path = project.content / "claims/uav-pilots.md"
    good = path.read_text(encoding="utf-8")

    with Server(tmp_path) as server:
        page = browser.new_page()
        page.set_default_timeout(WAIT * 1000)
        loads: list[str] = []
        page.on("load", lambda: loads.append(page.url))
        url = f"http://127.0.0.1:{server.port}/claims/uav-pilots/"
        page.goto(url)
        expect(page.locator("h1")).to_have_text(TITLE, timeout=LIMIT)
        server.wait_for("^browser connected", occurrence=1)

        path.write_text(good.replace("said so.", "said so, and the tab shows it."),
                        encoding="utf-8")
        expect(page.locator(".prose")).to_contain_text("said so, and the tab shows it.",
                                                       timeout=LIMIT)
        server.wait_for("^browser connected", occurrence=2)

        path.write_text(good.replace("rating: unsubstantiated", "rating: dubious"),
                        encoding="utf-8")
        expect(page.locator("h1")).to_have_text("Build failed", timeout=LIMIT)
        expect(page.locator(".error-list")).to_contain_text("content/claims/uav-pilots.md:",
                                                              timeout=LIMIT)
        expect(page.locator(".error-list")).to_contain_text("unknown-rating", timeout=LIMIT)
        server.wait_for("^browser connected", occurrence=3)

        path.write_text(good, encoding="utf-8")
        expect(page.locator("h1")).to_have_text(TITLE, timeout=LIMIT)
        expect(page.locator(".prose")).not_to_contain_text("the tab shows it",
                                                           timeout=LIMIT)

        assert page.url == url  # the same tab, never navigated by the test
        assert len(loads) >= 3  # reloaded by livereload: edit, error, fix
