"""Render stage: planned pages → bytes, through Jinja (autoescape, StrictUndefined).

No I/O besides loading templates: the caller writes what this returns. A template mistake
becomes a diagnostic naming the template file and line, not a traceback.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from generator import cardimage
from generator.diagnostics import Diagnostic, error
from generator.graphsvg import draw, rating_colours
from generator.i18n import N_, Interface, text_dir
from generator.jsonld import ClaimReviewScript
from generator.models import SiteConfig
from generator.plan import PlannedPage, expanded
from generator.read import display_path
from generator.resolve import SiteIndex
from generator.searchfacets import search_facets
from generator.sharecards import card_of
from generator.theme import Theme
from generator.uitext import InterfaceEnvironment, install

SHARED = ("static/", "pagefind/")
"""Folders every edition links at the site root: one copy of the static files and one search
index (Pagefind keeps each language's words apart inside it)."""
EVIDENCE = {"none": N_("None presented"), "partial": N_("Partial"),
            "documented": N_("Documented")}
SOURCE_KINDS = {"official-statement": N_("official statement"),
                "media-report": N_("media report"), "interview": N_("interview"),
                "anonymous-official": N_("anonymous official"),
                "social-post": N_("social media post"), "article": N_("article"),
                "document": N_("document"), "other": N_("other")}
ACTOR_KINDS = {"person": N_("person"), "government": N_("government"),
               "ministry": N_("ministry"), "organisation": N_("organisation"),
               "outlet": N_("outlet"), "group": N_("group"), "unknown": N_("unknown")}


def make_environment(templates: Path, config: SiteConfig, language: str | None = None
                     ) -> jinja2.Environment:
    """One environment per interface language (the site's by default): its translations are
    installed on it, never globally, so a multilingual build makes one per language."""
    theme = Theme.of(templates)
    env = InterfaceEnvironment(
        loader=theme.loader(),
        autoescape=jinja2.select_autoescape(("html", "xml"), default_for_string=True),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        auto_reload=False,
        extensions=["jinja2.ext.i18n"],
    )
    env.policies["ext.i18n.trimmed"] = True  # babel.cfg extracts with trimmed = true too
    ui = Interface.load(theme.layers, language or config.language)
    install(env, ui.translations)
    base_path = config.base_path
    absolute = config.base_url if config.is_absolute else ""

    def url(path: str) -> str:
        return base_path + path.lstrip("/")

    if config.static_base:  # another language's edition: one copy of the static files
        in_edition, static_base = url, config.static_base  # and one search index

        def url(path: str) -> str:
            return static_base + path if path.startswith(SHARED) else in_edition(path)

    def abs_url(path: str) -> str:
        return (absolute.rstrip("/") + url(path)[len(base_path) - 1:]) if absolute else url(path)

    def label(labels: dict[str, str], key: str) -> str:
        return ui.translations.gettext(labels[key]) if key in labels else key.replace("-", " ")

    def lang_attrs(language: str) -> Markup:
        """``lang``/``dir`` for text in another language than the page's, else nothing."""
        if not ui.foreign(language):
            return Markup("")
        return Markup(' lang="{}" dir="{}"').format(language, text_dir(language))

    env.globals.update(
        site=config, url=url, site_root=config.static_base or base_path, abs_url=abs_url,
        rating=config.rating, text_dir=text_dir,
        ui=ui, lang_attrs=lang_attrs, number=ui.number, language_name=ui.language_name,
        country_name=ui.country_name,
        evidence_label=lambda key: label(EVIDENCE, key),
        source_kind_label=lambda key: label(SOURCE_KINDS, key),
        actor_kind_label=lambda key: label(ACTOR_KINDS, key),
        case_graph=lambda graph, headings, label: draw(
            graph, url, config.ratings, headings, text_dir(language or config.language) == "rtl",
            label),
        rating_colours=rating_colours(config.ratings),
        search_facets=search_facets,
    )
    env.filters.update(t=ui.translate, date=ui.date)
    return env


def template_diagnostic(exc: BaseException, templates: Path, fallback: str) -> Diagnostic:
    """Find the template file and line in a Jinja error or its traceback."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        name = exc.filename or exc.name or fallback
        return error(display_path(Path(name)) if exc.filename else name, exc.lineno or 0,
                     "template-syntax", exc.message or str(exc), "fix the template syntax")
    theme = Theme.of(templates)
    if not theme.builtin.is_dir():
        return error(display_path(theme.builtin), 0, "missing-template",
                     "the built-in theme is not installed", "reinstall factcheck")
    where, line = _template_frame(exc, theme, fallback)
    if isinstance(exc, jinja2.TemplateNotFound):
        missing = display_path(theme.layers[0] / str(exc.name))
        hint = f"restore it: {where}:{line} uses it" if line and where != missing else \
            "restore it or point --templates at the right folder"
        return error(missing, 0, "missing-template",
                     f"template '{exc.name}' not found in {display_path(theme.layers[0])}"
                     + (" or the built-in theme" if theme.site else ""), hint)
    return error(where, line, "template-error", f"{type(exc).__name__}: {exc}",
                 "check the variable names used in the template")


def _template_frame(exc: BaseException, theme: Theme, fallback: str) -> tuple[str, int]:
    """The innermost template file and line in the traceback (Jinja maps lines back)."""
    where, line = display_path(theme.find(fallback)), 0
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".xml", ".txt")) and theme.owns(filename):
            where, line = display_path(Path(filename)), tb.tb_lineno
        tb = tb.tb_next
    return where, line


def warm(env: jinja2.Environment, names: Iterable[str], reaches: Mapping[str, frozenset[str]]
         ) -> None:
    """Compile ``names`` and every template they extend, include or import (``reaches``:
    ``tracking.Templates.reaches``), and load the interface's locale data, in the preview's
    process before it forks its first build's workers: it renders every later edit itself,
    and the writer's first save would pay for them (25 ms of 80 at 1,000 claims). A
    command-line build does not: its workers compile what they use."""
    if getattr(env, "warmed", False):
        return
    for name in sorted(set().union(*(reaches.get(n, {n}) for n in names))):
        with contextlib.suppress(jinja2.TemplateError, OSError):
            env.get_template(name)  # a template that fails is reported by its page
    ui = env.globals.get("ui")
    if isinstance(ui, Interface):
        ui.warm()
    env.warmed = True  # type: ignore[attr-defined]


def render_page(env: jinja2.Environment, page: PlannedPage, index: SiteIndex) -> bytes:
    if page.data is not None:
        return page.data if isinstance(page.data, bytes) else b"".join(page.data())
    page = expanded(page, index)
    card = card_of(page.context, env.globals["site"])
    if card is not None:
        return cardimage.draw(card)
    template = env.get_template(page.template)
    context: dict[str, Any] = dict(page.context)
    if "body" in context:  # an entry's own body, planned packed (markdown.Body)
        context["body"] = Markup(context["body"].html)
    if isinstance(context.get("jsonld"), ClaimReviewScript):
        context["jsonld"] = context["jsonld"].script(env.globals["site"])
    if context.get("jsonld"):  # already escaped for <script> by jsonld.script_json
        context["jsonld"] = Markup(context["jsonld"])
    menu = index.menu()
    return template.render(index=index, menu=menu, **context).encode("utf-8")


def render_pages(env: jinja2.Environment, pages: Iterable[PlannedPage], index: SiteIndex,
                 templates: Path, on_page: Callable[[], None] | None = None
                 ) -> tuple[dict[str, bytes], list[Diagnostic]]:
    output: dict[str, bytes] = {}
    problems: dict[tuple[str, int, str], Diagnostic] = {}  # one error per template spot
    for page in pages:
        try:
            output[page.path] = render_page(env, page, index)
        except (jinja2.TemplateError, TypeError, AttributeError, KeyError, ValueError) as exc:
            found = template_diagnostic(exc, templates, page.template)
            problems.setdefault((found.path, found.line, found.code), found)  # once per spot
        except RecursionError:
            found = error(display_path(templates / page.template), 0, "template-error",
                          "template recursion too deep")
            problems.setdefault((found.path, 0, found.message), found)
        if on_page:
            on_page()
    return output, list(problems.values())


__all__ = ["make_environment", "render_pages", "text_dir", "warm"]
