"""Hostile content cannot run: XSS payloads in every field and body, checked in Chromium.

Every payload sets ``window.__pwned = 1`` or calls ``alert``. The fixture site carries the
whole corpus in every front-matter text field, in ``site.yaml`` and in every body; the
test builds it, opens every page in headless Chromium and fails if a dialog opens, if the
flag is set, or if the DOM holds anything that could run on a click or a hover (``on*``
attributes, ``javascript:``/``data:`` URLs, frames, objects, ``<base>``, meta refresh).
"""

from __future__ import annotations

import functools
import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

from generator.markdown import render_body
from tests.conftest import Project

PAYLOADS = [
    "<script>window.__pwned=1;alert(1)</script>",
    '"><script>window.__pwned=1</script>',
    "'><img src=x onerror=\"window.__pwned=1;alert(1)\">",
    '<svg onload="window.__pwned=1;alert(1)"><circle r=1 /></svg>',
    "<svg><script>window.__pwned=1</script></svg>",
    "</script><script>window.__pwned=1;alert(1)</script>",
    "</ScRiPt ><script>window.__pwned=1</script>",
    '<a href="javascript:window.__pwned=1;alert(1)">click</a>',
    '<a href="  JaVaScRiPt:window.__pwned=1">spaced</a>',
    '<a href="jav&#x09;ascript:window.__pwned=1">entity</a>',
    '<iframe src="data:text/html,<script>parent.__pwned=1</script>"></iframe>',
    '<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>',
    '<object data="javascript:window.__pwned=1"></object>',
    '<embed src="data:text/html,<script>alert(1)</script>">',
    "<img src=x onerror=window.__pwned=1//",
    "<<script>script>window.__pwned=1<</script>/script>",
    '" onmouseover="window.__pwned=1" autofocus onfocus="window.__pwned=1" x="',
    "' onfocus='window.__pwned=1' autofocus '",
    "<details open ontoggle=window.__pwned=1>",
    "<body onload=window.__pwned=1>",
    '<meta http-equiv="refresh" content="0;url=javascript:window.__pwned=1">',
    '<base href="javascript:window.__pwned=1//">',
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__pwned=1>",
    "<noscript><p title=\"</noscript><img src=x onerror=window.__pwned=1>\">",
    '<form action="javascript:window.__pwned=1"><button>go</button></form>',
    '<style>*{background:url("javascript:window.__pwned=1")}</style>',
    '<div style="background:url(javascript:window.__pwned=1)">styled</div>',
    "<!--<img src=x onerror=window.__pwned=1>-->",
    '<![CDATA[<script>window.__pwned=1</script>]]>',
    "{{ 7*7 }}{% if true %}jinja{% endif %}",
    "\u2028\u2029</script>-->\"'`",
]
ALL = " ".join(PAYLOADS)
MARKDOWN = "\n\n".join([  # Markdown syntax first: an unclosed raw tag swallows what follows
    "[js link](javascript:window.__pwned=1) [data link](data:text/html,<script>alert(1)</script>)",
    "![js image](javascript:window.__pwned=1) <javascript:window.__pwned=1>",
    "[ref link][r]\n\n[r]: javascript:window.__pwned=1",
    "[vb](vbscript:msgbox(1)) [protocol relative](//evil.example/x.js)",
    "A paragraph with attributes {: onclick=\"window.__pwned=1\" style=\"x\" }",
    "```html\n<script>window.__pwned=1</script>\n```",
    "| a | b |\n|---|---|\n| <script>window.__pwned=1</script> | <img src=x onerror=alert(1)> |",
    "Fine: [kirby](../actors/kirby.md), [https](https://example.org/a?b=1&c=2), "
    "[mail](mailto:desk@example.org).",
    *PAYLOADS,
])
BLOCKED = "iframe, frame, frameset, object, embed, base, applet, form, meta[http-equiv]"


def front(values: dict[str, object], body: str = MARKDOWN) -> str:
    return "---\n" + yaml.safe_dump(values, allow_unicode=True, sort_keys=False, width=10**6) \
        + "---\n" + body + "\n"


def hostile_files() -> dict[str, str]:
    site = {
        "title": ALL, "description": ALL,
        "organisation": {"name": ALL, "url": "https://example.org/?q=%22%3E%3Cscript%3E"},
        "ratings": [{"key": "false", "label": ALL, "description": ALL, "value": 1},
                    {"key": "true", "label": "True " + ALL, "description": ALL, "value": 5}],
        "build_date": "2026-11-28",
    }
    return {
        "site.yaml": yaml.safe_dump(site, allow_unicode=True, sort_keys=False, width=10**6),
        "actors/kirby.md": front({"name": ALL, "kind": "person", "role": ALL, "country": "IR",
                                  "affiliation": "nsc"}),
        "actors/nsc.md": front({"name": ALL, "kind": "organisation", "name_language": "fa"}),
        "sources/remarks.md": front({
            "title": ALL, "kind": "official-statement", "publisher": "nsc",
            "date_note": ALL, "url": "https://example.org/x?a=%3Cscript%3E&b=%22",
            "archive_url": "https://archive.example.org/x#%22onmouseover=alert(1)",
            "language": "ru"}),
        "claims/hostile.md": front({
            "title": ALL, "statement": ALL, "claimant": "kirby", "date_note": ALL,
            "sources": ["remarks"], "rating": "false", "rating_explanation": ALL,
            "evidence": "none", "tags": ["drones"], "countries": ["IR", "RU"],
            "updates": [{"date": "2026-11-20", "note": ALL}], "reviewed": "2026-11-27"}),
        "claims/second.md": front({
            "title": "Second", "statement": ALL, "claimant": "nsc", "date": "2022-10",
            "sources": ["remarks"], "rating": "true", "rating_explanation": ALL,
            "evidence": "partial", "related": ["hostile"], "reviewed": "2026-11-27"}),
        "denials/denial.md": front({
            "title": ALL, "actor": "nsc", "date_note": ALL, "quote": ALL,
            "quote_language": "fa", "answers": ["hostile", "second"], "sources": ["remarks"]}),
        "pages/methodology.md": front({"title": ALL, "menu": 1}),
        "pages/corrections.md": front({"title": "Corrections", "menu": 2}),
    }


def test_sanitiser_removes_every_payload():
    """Without a browser: the body HTML carries no script, handler or unsafe URL."""
    html = render_body(MARKDOWN, "claims/x.md", 5).html
    assert_inert(BeautifulSoup(html, "html.parser"))


def assert_inert(soup: BeautifulSoup) -> None:
    for element in soup.find_all(True):
        assert allowed_element(element), str(element)[:200]
        for name, value in element.attrs.items():
            assert not name.lower().startswith("on"), str(element)[:200]
            assert name.lower() not in {"style", "srcdoc", "formaction"}, str(element)[:200]
            if name.lower() in {"href", "src", "action", "data", "poster", "xlink:href"}:
                assert safe_url(str(value)), str(element)[:200]


SHARE_JS = "/static/share.js"
"""The one script file the theme loads (tests/test_sharing.py): ours, not content's."""


def own_search(element: Any) -> bool:
    """The theme's own search forms (a GET to the site's search page) and its script."""
    if element.name == "form":
        return bool({"site-search", "search"} & set(element.get("class", []))) \
            and element.get("method") == "get" and element.get("action", "").endswith("/search/")
    return element.name == "script" and element.get("type") == "module" \
        and element.get("src", "").endswith("/static/search.js") and not element.string


def allowed_element(element: object) -> bool:
    name = getattr(element, "name", "")
    if name in ("form", "script") and own_search(element):
        return True
    if name == "script":  # ClaimReview data, or the theme's own share.js (nothing inline)
        if element.get("src") is not None:  # type: ignore[attr-defined]
            return element["src"] == SHARE_JS and not element.string  # type: ignore[index]
        return element.get("type") == "application/ld+json"  # type: ignore[attr-defined]
    if name == "meta":
        return "http-equiv" not in element.attrs  # type: ignore[attr-defined]
    if name == "svg":  # only the case graph we draw (its text escaped, checked below)
        return "case-graph" in element.get("class", [])  # type: ignore[attr-defined]
    if name in {"rect", "path", "text", "g"}:
        return element.find_parent("svg") is not None  # type: ignore[attr-defined]
    return name not in {"style", "iframe", "frame", "object", "embed", "base", "form",
                        "math", "applet", "foreignobject", "use", "image", "animate", "set"}


def safe_url(value: str) -> bool:
    """http(s), mailto or relative: the only URLs a page of the site may carry."""
    scheme = urlsplit(value.strip()).scheme.lower()
    return scheme in {"", "http", "https", "mailto"} and not value.strip().startswith("//")


def test_hostile_fields_are_escaped_in_html(site_factory):
    """Every generated HTML file, parsed: no payload became markup."""
    project: Project = site_factory(files=hostile_files(), base={})
    result = project.build()
    assert result.ok, [d.format() for d in result.diagnostics if d.is_error]
    assert any(d.code == "unsafe-link" for d in result.diagnostics)
    pages = sorted(project.out.rglob("*.html"))
    assert len(pages) > 15
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        assert_inert(soup)
        for script in soup.find_all("script"):
            if own_search(script) or script.get("src") is not None:  # the theme's own files
                assert own_search(script) or (script["src"] == SHARE_JS and not script.string), \
                    str(script)
                continue
            assert script.get("type") == "application/ld+json", str(script)[:200]
            json.loads(script.string or "")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    root = tmp_path / "site"
    root.mkdir()
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", root
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

OWN_SEARCH = ("form.site-search[method=get][action$='/search/'],"
              " form.search[method=get][action$='/search/'],"
              " script[type=module][src$='/static/search.js']:empty")
"""The theme's search forms and script, the only forms and scripts a page may carry."""
DOM_CHECK = """([blocked, own]) => {
  const bad = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      const value = attr.value.trim().toLowerCase();
      if (name.startsWith('on') || name === 'srcdoc' || name === 'formaction')
        bad.push(el.outerHTML.slice(0, 200));
      if (['href', 'src', 'action', 'data', 'xlink:href'].includes(name) &&
          !(value === '' || /^(https?:|mailto:|[/#?.]|[^:]*$)/.test(value)))
        bad.push(el.outerHTML.slice(0, 200));
      if (name === 'href' && value.startsWith('//')) bad.push(el.outerHTML.slice(0, 200));
    }
  }
  for (const el of document.querySelectorAll(blocked))
    if (!el.matches(own)) bad.push(el.outerHTML.slice(0, 200));
  for (const s of document.querySelectorAll('script')) {
    const share = s.getAttribute('src') === '/static/share.js' && !s.textContent;
    if (s.matches(own) || share) continue;
    if (s.type !== 'application/ld+json') bad.push(s.outerHTML.slice(0, 200));
    else JSON.parse(s.textContent);
  }
  return bad;
}"""


@pytest.mark.browser
def test_no_payload_runs_in_chromium(site_factory, served):
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("Debian chromium is not installed")
    base_url, root = served
    project: Project = site_factory(files=hostile_files(), base={})
    assert project.build(out=root).ok
    pages = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.html"))
    dialogs: list[str] = []
    errors: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        for rel in pages:
            url = f"{base_url}/{quote(rel)}"
            response = page.goto(url, wait_until="load")
            assert response is not None and response.ok, url
            page.keyboard.press("Tab")  # would fire autofocus/onfocus handlers
            page.mouse.move(200, 200)
            page.mouse.move(400, 300)
            assert page.evaluate("window.__pwned") is None, url
            assert page.evaluate(DOM_CHECK, [BLOCKED, OWN_SEARCH]) == [], url
            if rel == "index.html":  # escaped, not dropped: the reader sees the text as written
                assert PAYLOADS[0] in page.evaluate("document.title"), url
        browser.close()
    assert dialogs == []
    assert errors == []
    assert len(pages) > 15


def test_allow_raw_html_is_an_explicit_opt_out():
    """Trusted sites may keep raw HTML as written; by default it is sanitised."""
    raw = '<p onclick="track()">hi</p><iframe src="https://example.org/embed"></iframe>'
    assert "onclick" not in render_body(raw, "pages/x.md", 4).html
    kept = render_body(raw, "pages/x.md", 4, allow_raw_html=True).html
    assert 'onclick="track()"' in kept and "<iframe" in kept


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "JAVASCRIPT:x",
                                 "vbscript:x", "//evil.example/x", "https://x/\"onmouseover=",
                                 "https://x/<script>", "file:///etc/passwd", "ftp://x/"])
def test_front_matter_urls_are_http_only(url: str):
    from generator.fields import Invalid, http_url

    with pytest.raises(Invalid) as caught:
        http_url(url)
    assert caught.value.code == "unsafe-url"
