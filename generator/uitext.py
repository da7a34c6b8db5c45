"""Interface text in templates: ``_("…")`` and ``{% trans %}`` made cheap to render.

A page calls the interface's ``gettext`` about 45 times, the same few hundred strings on
every page, and Jinja's newstyle ``gettext`` spends two context calls, a ``Markup`` and a
``%`` on each (15 % of rendering a page). Each language has its own Jinja environment, so
its templates are compiled for that language: a call with a literal string and no variables
is translated once, when the template is compiled, and costs one identity check when a
page renders. A call with variables still runs, through a function that remembers each
translation. Either way the result is Jinja's: the translation, as ``Markup`` under
autoescape, used as a format string (``%%`` is ``%``) with its variables escaped.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.idtracking import VAR_LOAD_RESOLVE
from jinja2.nodes import EvalContext
from markupsafe import Markup

NAMES = ("_", "gettext")
"""What templates call for interface text (``{% trans %}`` compiles to ``gettext``)."""


class _Folding(CodeGenerator):
    """Writes a literal ``_("…")`` as its translation (see the module's docstring), guarded
    by one identity check: a theme may rebind ``_`` or ``gettext`` where the compiler cannot
    see it (a parent's ``{% set %}`` reaching an include, ``render(_=…)``), and then the
    call runs as written."""

    def visit_Call(self, node: nodes.Call, frame: Frame, forward_caller: bool = False
                   ) -> None:
        text = _constant(self.environment, node, frame)
        if text is None:
            super().visit_Call(node, frame, forward_caller=forward_caller)
            return
        function = frame.symbols.ref(node.node.name)  # type: ignore[attr-defined]
        self.write(f"((Markup if context.eval_ctx.autoescape else identity)({text!r}) "
                   f"if {function} is environment.interface_gettext else ")
        super().visit_Call(node, frame, forward_caller=forward_caller)
        self.write(")")


class InterfaceEnvironment(jinja2.Environment):
    """A Jinja environment for one interface language (``install`` gives it its text)."""

    code_generator_class = _Folding
    interface_gettext: Callable[..., str] | None = None
    interface_lookup: Callable[[str], str] | None = None


def _constant(env: jinja2.Environment, node: nodes.Call, frame: Frame) -> str | None:
    """The text a call compiles to, or None when it must run when the page renders."""
    function = getattr(env, "interface_gettext", None)
    lookup = getattr(env, "interface_lookup", None)
    name, args = node.node, node.args
    literal = isinstance(name, nodes.Name) and name.name in NAMES and len(args) == 1 \
        and isinstance(args[0], nodes.Const) and isinstance(args[0].value, str) \
        and not (node.kwargs or node.dyn_args or node.dyn_kwargs)
    if not literal or function is None or lookup is None or env.is_async or env.sandboxed \
            or env.globals.get(name.name) is not function:  # type: ignore[attr-defined]
        return None
    ref = frame.symbols.find_ref(name.name)  # a local ``{% set _ = … %}`` is not ours
    if ref is None or frame.symbols.find_load(ref) != (VAR_LOAD_RESOLVE, name.name):
        return None
    try:
        return str(lookup(args[0].value) % {})
    except (TypeError, ValueError, KeyError):
        return None  # a format the page would fail on: let it fail there, as before


def install(env: InterfaceEnvironment, translations: gettext.NullTranslations) -> None:
    """Jinja's newstyle gettext for ``translations``, with the two speed-ups above."""
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    function = remembered(translations)
    env.interface_gettext, env.interface_lookup = function, translations.gettext
    env.globals["gettext"] = env.globals["_"] = function


def remembered(translations: gettext.NullTranslations) -> Callable[..., str]:
    """Jinja's newstyle ``gettext``, remembered per string and autoescape setting."""
    lookup = translations.gettext
    texts: dict[tuple[str, bool], str] = {}
    plain: dict[tuple[str, bool], str] = {}

    @jinja2.pass_eval_context
    def text(eval_ctx: EvalContext, string: str, /, **variables: Any) -> str:
        key = (string, eval_ctx.autoescape)
        if not variables:
            done = plain.get(key)
            if done is not None:
                return done
        found = texts.get(key)
        if found is None:
            found = texts[key] = Markup(lookup(string)) if eval_ctx.autoescape \
                else lookup(string)
        if variables:
            return found % variables
        done = plain[key] = found % variables
        return done

    return text


__all__ = ["InterfaceEnvironment", "install", "remembered"]
