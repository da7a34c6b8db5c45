"""The copy link in Chromium, served over HTTP: a button with JavaScript that copies the
page's address and says so, operable from the keyboard; a plain link without JavaScript."""

from __future__ import annotations

import pytest

from generator.build import Options, build
from tests.conftest import ROOT, TEMPLATES
from tests.test_validators import CHROMIUM, CHROMIUM_ARGS, serve

pytestmark = pytest.mark.browser
PAGE = "factcheck/claims/tajikistan-drones-to-russia/"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    if not CHROMIUM.exists():
        pytest.skip("needs Debian's chromium at /usr/bin/chromium")
    root = tmp_path_factory.mktemp("share-browser")
    result = build(Options(content=ROOT / "content", templates=TEMPLATES,
                           out=root / "factcheck", base_url="/factcheck/"))
    assert result.ok, [d.format() for d in result.diagnostics]
    with serve(root) as origin:
        yield origin


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def test_the_copy_button_copies_the_address_from_the_keyboard(served, chromium):
    context = chromium.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=served)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{served}/{PAGE}")
    assert page.locator("a.share-copy").count() == 0
    button = page.get_by_role("button", name="Copy link")
    assert button.count() == 1
    status = page.locator(".share-status")
    assert status.get_attribute("role") == "status" and status.inner_text() == ""
    # Reach the button with Tab from the last link before it, as a keyboard user would.
    button.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "share-copy"
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelector('.share-status').textContent !== ''")
    assert status.inner_text() == "Link copied"
    assert page.evaluate("navigator.clipboard.readText()") == f"{served}/{PAGE}"
    assert errors == []
    context.close()


def test_without_javascript_the_copy_link_is_a_plain_link(served, chromium):
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{served}/{PAGE}")
    link = page.locator("a.share-copy")
    assert link.count() == 1 and link.inner_text() == "Link to this page"
    assert link.get_attribute("href") == f"/{PAGE}"
    assert page.locator("button.share-copy").count() == 0
    context.close()
