"""Interface text folded into compiled templates renders exactly as Jinja's own newstyle
gettext would, and literal calls no longer run when a page renders."""

from __future__ import annotations

import gettext

import jinja2
import pytest

from generator.uitext import InterfaceEnvironment, install

TEXT = {"Search": "جستجو", "Tom & Jerry": "<Tom> & Jerry", "100%% sure": "۱۰۰%% مطمئن",
        "Page %(number)s": "صفحهٔ %(number)s", "%(missing)s here": "%(missing)s اینجا"}


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
}


def environments() -> tuple[jinja2.Environment, InterfaceEnvironment]:
    """Jinja's own newstyle gettext, and ours, over the same templates and catalog."""
    options = {"loader": jinja2.DictLoader(TEMPLATES), "extensions": ["jinja2.ext.i18n"],
               "autoescape": jinja2.select_autoescape(("html",))}
    plain = jinja2.Environment(**options)
    plain.install_gettext_translations(Catalog(), newstyle=True)  # type: ignore[attr-defined]
    ours = InterfaceEnvironment(**options)
    install(ours, Catalog())
    return plain, ours


def shout(text: str, **variables: object) -> str:
    """A theme's own ``_``: not the interface's, so never folded into the template."""
    return text.upper()


@pytest.mark.parametrize("name", sorted(set(TEMPLATES) - {"failing.html"}))
def test_renders_as_jinjas_own_gettext(name):
    plain, ours = environments()
    expected = plain.get_template(name).render(shout=shout)
    assert ours.get_template(name).render(shout=shout) == expected
    assert ours.get_template(name).render(shout=shout) == expected  # the same again


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


def test_literal_text_is_compiled_in_and_the_rest_still_calls():
    _, ours = environments()
    compiled = ours.compile(TEMPLATES["literal.html"], raw=True)
    assert "'جستجو'" in compiled and "'<Tom> & Jerry'" in compiled
    assert compiled.count("is environment.interface_gettext else context.call(") == 4
    assert "is environment" not in ours.compile(TEMPLATES["variables.html"], raw=True)


def test_a_broken_format_fails_when_the_page_renders_as_before():
    plain, ours = environments()
    for env in (plain, ours):
        template = env.get_template("failing.html")  # compiles: nothing folded
        with pytest.raises(KeyError):
            template.render()
