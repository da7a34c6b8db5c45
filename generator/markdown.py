"""Markdown stage: an entry body → safe HTML plus the internal links it makes.

Links to other entries are written as relative links to their ``.md`` files (they work in
a Git host's preview too); a tree processor turns them into page URLs and records them so
resolve can report a link to a missing entry. Raw HTML is sanitised with nh3 (ammonia).
"""

from __future__ import annotations

import posixpath
import xml.etree.ElementTree as etree
from urllib.parse import unquote, urlsplit

import markdown
import nh3
from markdown.extensions import Extension
from markdown.extensions.toc import slugify_unicode
from markdown.treeprocessors import Treeprocessor
from markdown.util import ETX, STX, Registry

from generator.anchors import anchor_id
from generator.body import Body, Link
from generator.models import page_path
from generator.read import KINDS

EXTENSIONS = ["extra", "sane_lists", "toc"]
SAFE_SCHEMES = {"http", "https", "mailto"}
ALLOWED_TAGS = set(nh3.ALLOWED_TAGS) | {"figure", "figcaption", "mark", "s"}
ALLOWED_ATTRIBUTES = {
    **{tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()},
    "*": {"id", "class", "lang", "dir", "title"},
    "a": {"href", "hreflang", "title"},
    "img": {"src", "alt", "width", "height", "title"},
    "th": {"align", "scope", "colspan", "rowspan"},
    "td": {"align", "colspan", "rowspan"},
}
INLINE_TRIGGERS: dict[str, tuple[str, ...]] = {
    "backtick": ("`",), "escape": ("\\",), "footnote": ("[^",),
    "reference": ("[",), "link": ("[",), "short_reference": ("[",),
    "image_link": ("![",), "image_reference": ("![",), "short_image_ref": ("![",),
    "autolink": ("<",), "automail": ("<",), "html": ("<",), "entity": ("&",),
    "linebreak": ("  \n", "<"), "em_strong": ("*", "_"),
}
"""Python-Markdown's inline patterns and the text (any of) which a body must contain for
the pattern to match anywhere in it. Patterns not listed are always applied. A line break
also follows from ``<``: the raw-HTML preprocessor puts block tags on their own line and
drops comments, which can leave two spaces before a line end."""


def entry_url(rel: str, base_path: str) -> str | None:
    """``claims/x.md`` → ``/base/claims/x/``; None when the path is not an entry file."""
    parts = rel.split("/")
    if len(parts) != 2 or not parts[1].endswith(".md") or parts[0] not in KINDS:
        return None
    slug = parts[1][:-3]
    return base_path + page_path(parts[0], slug)


class _LinkRewriter(Treeprocessor):
    def __init__(self, md: markdown.Markdown, converter: BodyConverter):
        super().__init__(md)
        self.converter = converter

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if element.tag == "h1":
                element.tag = "h2"  # the page title is the only h1
            if element.tag == "a" and "href" in element.attrib:
                self.converter.rewrite(element, "href")
            elif element.tag == "img" and "src" in element.attrib:
                self.converter.rewrite(element, "src")


class _Rewrite(Extension):
    def __init__(self, converter: BodyConverter):
        super().__init__()
        self.converter = converter

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(_LinkRewriter(md, self.converter), "factcheck-links", 1)


def _heading_id(value: str, separator: str) -> str:
    """Body heading ids get a prefix so ``## Sources`` cannot clash with the page's own
    ``id="sources"`` section (duplicate ids break anchors and ``aria-labelledby``)."""
    return "s-" + (slugify_unicode(value, separator) or "section")


class BodyConverter:
    """One reusable Markdown instance (building one costs more than converting a body)."""

    def __init__(self, base_path: str, allow_raw_html: bool = False):
        self.base_path = base_path
        self.allow_raw_html = allow_raw_html
        self._md = markdown.Markdown(extensions=[*EXTENSIONS, _Rewrite(self)],
                                     extension_configs={"toc": {"permalink": False,
                                                                "slugify": _heading_id}},
                                     output_format="html")
        self._rel_dir = ""
        self._links: list[Link] = []
        self._removed: list[Link] = []
        self._lines: list[str] = []
        self._first_line = 0
        self._inline = self._md.treeprocessors["inline"]
        self._patterns = self._md.inlinePatterns
        # (name, priority, pattern) in the order Python-Markdown applies them, read once:
        # looking a pattern up sorts the registry's list in place, so it must not be
        # looked up while that list is walked (a pattern would be skipped).
        self._ordered = [(item.name, item.priority, self._patterns[item.name]) for item in
                         sorted(self._patterns._priority, key=lambda i: -i.priority)]
        self._gated: dict[frozenset[str], Registry] = {}

    def _inline_patterns(self, text: str) -> Registry:
        """Only the inline patterns that can match this body. Python-Markdown tries every
        pattern on every text node in Python; most bodies use a handful of them, and
        skipping the rest makes a typical body ~25 % faster with the same output (tested).
        The text is normalised first as Python-Markdown does (tabs expand to spaces, so
        ``"a\t\n"`` holds a line break)."""
        text = text.replace(STX, "").replace(ETX, "").replace("\r\n", "\n")
        text = text.replace("\r", "\n").expandtabs(self._md.tab_length)
        present = frozenset(name for name, triggers in INLINE_TRIGGERS.items()
                            if any(trigger in text for trigger in triggers))
        registry = self._gated.get(present)
        if registry is None:
            registry = Registry()
            for name, priority, pattern in self._ordered:
                if name in present or name not in INLINE_TRIGGERS:
                    registry.register(pattern, name, priority)
            self._gated[present] = registry
        return registry

    def convert(self, text: str, rel: str, first_line: int) -> Body:
        self._rel_dir = posixpath.dirname(rel)
        self._links = []
        self._removed = []
        self._lines = text.split("\n")
        self._first_line = first_line
        self._cursor = 0
        self._md.reset()
        self._inline.inlinePatterns = self._inline_patterns(text)
        html = self._md.convert(text)
        if not self.allow_raw_html:
            html = nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                             url_schemes=SAFE_SCHEMES, link_rel=None)
        return Body.of(html, tuple(self._links), tuple(self._removed))

    def _line_of(self, href: str) -> int:
        """The line where ``href`` is written as a whole link target (not inside a longer
        one: ``actors/x.md`` is not found in ``../actors/x.md``), searching from the
        previous link on, since links come in document order; failing that, the first
        line that contains it at all."""
        count = len(self._lines)
        first: int | None = None
        for step in range(count):
            index = (self._cursor + step) % count
            line = self._lines[index]
            if href not in line:
                continue
            if first is None:
                first = index
            if _whole(line, href):
                self._cursor = index
                return self._first_line + index
        if first is not None:
            self._cursor = first
            return self._first_line + first
        return self._first_line

    def rewrite(self, element: etree.Element, attribute: str) -> None:
        href = element.attrib[attribute]
        try:
            parts = urlsplit(href)
        except ValueError:  # e.g. an unclosed IPv6 host: not a link we can publish
            self._removed.append(Link(href, self._line_of(href)))
            del element.attrib[attribute]
            return
        if parts.scheme or parts.netloc:
            if parts.scheme.lower() not in SAFE_SCHEMES or not href.isprintable():
                self._removed.append(Link(href, self._line_of(href)))
                del element.attrib[attribute]
            return
        if not parts.path:  # "#anchor" on the same page
            return
        target = posixpath.normpath(posixpath.join(self._rel_dir, unquote(parts.path)))
        if not parts.path.endswith(".md") or parts.path.startswith("/"):
            # Only entry files are published at known URLs: anything else (a PDF, a
            # root-relative path) would be a broken link on the site; resolve reports it.
            self._links.append(Link(unquote(parts.path) if parts.path.startswith("/")
                                    else target, self._line_of(href), href))
            return
        self._links.append(Link(target, self._line_of(href), href, unquote(parts.fragment)))
        url = entry_url(target, self.base_path)
        if url is not None:
            anchor = anchor_id(target.split("/")[0], parts.fragment)
            element.attrib[attribute] = url + (f"#{anchor}" if anchor else "")


def _whole(line: str, href: str) -> bool:
    """``href`` stands in ``line`` as a whole target: no path character touches it (a
    string search: compiling a pattern per link cost a tenth of a build)."""
    start = line.find(href)
    while start != -1:
        end = start + len(href)
        before = line[start - 1] if start else " "
        after = line[end] if end < len(line) else " "
        if not (before.isalnum() or before in "_./%-") and \
                not (after.isalnum() or after in "_/%-"):
            return True
        start = line.find(href, start + 1)
    return False


def render_body(text: str, rel: str, first_line: int, base_path: str = "/",
                allow_raw_html: bool = False) -> Body:
    """Convenience for one-off conversions (tests); the build reuses one converter."""
    return BodyConverter(base_path, allow_raw_html).convert(text, rel, first_line)
