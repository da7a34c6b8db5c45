"""Interface text folded into compiled templates renders exactly as Jinja's own newstyle
gettext would, and literal calls no longer run when a page renders."""

from __future__ import annotations

import gettext

import jinja2
import pytest
from markupsafe import Markup

from generator.uitext import InterfaceEnvironment, install

TEXT = {"Search": "جستجو", "Tom & Jerry": "<Tom> & Jerry", "100%% sure": "۱۰۰%% مطمئن",
        "Page %(number)s": "صفحهٔ %(number)s", "%(missing)s here": "%(missing)s اینجا",
        "Claimed by %(who)s": "<b>ادعای</b> %(who)s", "%(a)s and %(b)s": "%(b)s و %(a)s",
        "Dropped %(a)s": "بی‌متغیر", "Twice %(a)s": "%(a)s، ۱۰۰%% %(a)s",
        "Wrong %(a)s": "%(other)s", "Number %(a)s": "%(a)d", "Odd %(a)s": "۵۰% %(a)s"}
VALUES = {"person": Markup('<a href="/p/">P&amp;Q</a>'), "x": "<x> & y", "y": 3, "n": 1}


class Catalog(gettext.NullTranslations):
    """A tiny catalog: words with markup-looking characters and a literal percent sign."""

    def gettext(self, message: str) -> str:
        return TEXT.get(message, message)


TEMPLATES = {
    "literal.html": '{{ _("Search") }}|{{ _("Tom & Jerry") }}|{{ _("100%% sure") }}|'
                    '{{ gettext("Search") }}',
    "trans.html": "{% trans %}Search{% endtrans %}|{% trans number='<2>' %}Page "
                  "{{ number }}{% endtrans %}",
    "variables.html": '{{ _("Page %(number)s", number="<3>") }}',
    "shadowed.html": '{{ _("Search") }}{% set _ = shout %}{{ _("Search") }}',
    "argument.html": '{% macro m(_) %}{{ _("Search") }}{% endmacro %}{{ m(shout) }}',
    "looped.html": '{% for _ in [shout] %}{{ _("Search") }}{% endfor %}',
    "parent.html": '{% set _ = shout %}{% include "child.html" %}',
    "child.html": '{{ _("Search") }}',
    "unknown.html": '{{ _("Not in the catalog") }}',
    "text.txt": '{{ _("Tom & Jerry") }}',
    "failing.html": '{{ _("%(missing)s here") }}',
    "names.html": '{% trans who=person %}Claimed by {{ who }}{% endtrans %}|'
                  '{% trans a=x, b=y %}{{ a }} and {{ b }}{% endtrans %}|'
                  '{{ _("Dropped %(a)s", a=x) }}|{{ _("Twice %(a)s", a=x) }}|'
                  '{{ _("Not in the catalog %(a)s %%", a=y) }}',
    "names.txt": '{% trans who=person %}Claimed by {{ who }}{% endtrans %}|'
                 '{{ _("Twice %(a)s", a=x) }}',
    "computed.html": '{{ _("Page %(number)s", number=n + 1) }}|{{ _("Number %(a)s", a=n) }}',
    "wrong.html": '{{ _("Wrong %(a)s", a=x) }}',
    "odd.html": '{{ _("Odd %(a)s", a=x) }}',
}


def environments() -> tuple[jinja2.Environment, InterfaceEnvironment]:
    """Jinja's own newstyle gettext, and ours, over the same templates and catalog."""
    options = {"loader": jinja2.DictLoader(TEMPLATES), "extensions": ["jinja2.ext.i18n"],
               "autoescape": jinja2.select_autoescape(("html",), default_for_string=False)}
    plain = jinja2.Environment(**options)
    plain.install_gettext_translations(Catalog(), newstyle=True)  # type: ignore[attr-defined]
    ours = InterfaceEnvironment(**options)
    install(ours, Catalog())
    return plain, ours


def shout(text: str, **variables: object) -> str:
    """A theme's own ``_``: not the interface's, so never folded into the template."""
    return text.upper()


@pytest.mark.parametrize("name", sorted(set(TEMPLATES) - {"failing.html", "wrong.html",
                                                          "odd.html"}))
def test_renders_as_jinjas_own_gettext(name):
    plain, ours = environments()
    expected = plain.get_template(name).render(shout=shout, **VALUES)
    assert ours.get_template(name).render(shout=shout, **VALUES) == expected
    assert ours.get_template(name).render(shout=shout, **VALUES) == expected  # again


def test_a_theme_that_rebinds_the_function_gets_its_own():
    _, ours = environments()
    assert ours.get_template("shadowed.html").render(shout=shout) == "جستجوSEARCH"
    assert ours.get_template("parent.html").render(shout=shout) == "SEARCH"
    assert ours.get_template("child.html").render(_=shout) == "SEARCH"
    assert ours.get_template("child.html").render() == "جستجو"


def test_the_translations_are_escaped_only_where_jinja_escapes_them():
    _, ours = environments()
    assert ours.get_template("literal.html").render() == \
        "جستجو|<Tom> & Jerry|۱۰۰% مطمئن|جستجو"  # translations are trusted, %% is %
    assert ours.get_template("variables.html").render() == "صفحهٔ &lt;3&gt;"
    assert ours.get_template("text.txt").render() == "<Tom> & Jerry"


def test_variables_are_escaped_as_jinja_escapes_them():
    _, ours = environments()
    assert ours.get_template("names.html").render(**VALUES) == (
        '<b>ادعای</b> <a href="/p/">P&amp;Q</a>|3 و &lt;x&gt; &amp; y|بی‌متغیر|'
        "&lt;x&gt; &amp; y، ۱۰۰% &lt;x&gt; &amp; y|Not in the catalog 3 %")
    assert ours.get_template("names.txt").render(**VALUES) == (
        '<b>ادعای</b> <a href="/p/">P&amp;Q</a>|<x> & y، ۱۰۰% <x> & y')


def test_literal_text_is_compiled_in_and_the_rest_still_calls():
    _, ours = environments()
    compiled = ours.compile(TEMPLATES["literal.html"], raw=True)
    assert "'جستجو'" in compiled and "'<Tom> & Jerry'" in compiled
    assert compiled.count("is environment.interface_gettext else context.call(") == 4
    named = ours.compile(TEMPLATES["names.html"], raw=True)
    assert named.count("is environment.interface_gettext else context.call(") == 5
    assert "'<b>ادعای</b> '" in named and "'%(who)s'" not in named
    computed = ours.compile(TEMPLATES["computed.html"], raw=True)  # n + 1; %d
    assert "is environment" not in computed
    assert "is environment" not in ours.compile(TEMPLATES["odd.html"], raw=True)


def test_a_broken_format_fails_when_the_page_renders_as_before():
    plain, ours = environments()
    for env in (plain, ours):
        for name in ("failing.html", "wrong.html"):  # compile: nothing folded
            with pytest.raises(KeyError):
                env.get_template(name).render(**VALUES)
        with pytest.raises(ValueError):  # "% %": a format Python refuses
            env.get_template("odd.html").render(**VALUES)
