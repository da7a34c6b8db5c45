"""Interface text in templates: ``_("…")`` and ``{% trans %}`` made cheap to render.

A page calls the interface's ``gettext`` about 45 times, the same few hundred strings on
every page, and Jinja's newstyle ``gettext`` spends two context calls, a ``Markup`` and a
``%`` on each (15 % of rendering a page). Each language has its own Jinja environment, so
its templates are compiled for that language: a call with a literal string and no variables
is translated once, when the template is compiled, and costs one identity check when a
page renders. So is a call whose variables are plain names (``{% trans who=… %}`` passes
them so) and whose translation uses only ``%(name)s``: it compiles to the translation's
pieces joined around its variables (``Claimed by %(who)s`` was 90 % of the calls left on a
list page). Any other call still runs, through a function that remembers each
translation. Either way the result is Jinja's: the translation, as ``Markup`` under
autoescape, used as a format string (``%%`` is ``%``) with its variables escaped.
"""

from __future__ import annotations

import gettext
import re
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
        pieces = _pieces(self.environment, node, frame)
        if pieces is None:
            super().visit_Call(node, frame, forward_caller=forward_caller)
            return
        function = frame.symbols.ref(node.node.name)  # type: ignore[attr-defined]
        self.write("((")
        if all(isinstance(piece, str) for piece in pieces):
            text = "".join(pieces)  # type: ignore[arg-type]
            self.write(f"(Markup if context.eval_ctx.autoescape else identity)({text!r})")
        else:  # Markup's % escapes each variable; str's % takes its str()
            self.write("Markup(''.join(")
            self._tuple(pieces, frame, "str(escape(", "))")
            self.write(")) if context.eval_ctx.autoescape else str_join(")
            self._tuple(pieces, frame, "", "")
            self.write(")")
        self.write(f") if {function} is environment.interface_gettext else ")
        super().visit_Call(node, frame, forward_caller=forward_caller)
        self.write(")")

    def _tuple(self, pieces: list[str | nodes.Expr], frame: Frame, before: str, after: str
               ) -> None:
        self.write("(")
        for piece in pieces:
            if isinstance(piece, str):
                self.write(f"{piece!r}, ")
            else:
                self.write(before)
                self.visit(piece, frame)
                self.write(f"{after}, ")
        self.write(")")


class InterfaceEnvironment(jinja2.Environment):
    """A Jinja environment for one interface language (``install`` gives it its text)."""

    code_generator_class = _Folding
    interface_gettext: Callable[..., str] | None = None
    interface_lookup: Callable[[str], str] | None = None


FORMAT = re.compile(r"%(?:\((\w+)\)s|(%))")
"""What the translation of a folded call may use: ``%(name)s``, and ``%%`` for ``%``."""


def _pieces(env: jinja2.Environment, node: nodes.Call, frame: Frame
            ) -> list[str | nodes.Expr] | None:
    """What a call compiles to: its translation's text, and in place of each ``%(name)s``
    the expression passed as ``name``; None when it must run when the page renders."""
    function = getattr(env, "interface_gettext", None)
    lookup = getattr(env, "interface_lookup", None)
    name, args = node.node, node.args
    literal = isinstance(name, nodes.Name) and name.name in NAMES and len(args) == 1 \
        and isinstance(args[0], nodes.Const) and isinstance(args[0].value, str) \
        and not (node.dyn_args or node.dyn_kwargs)
    # Plain names and constants only: evaluating them where the format uses them (or not
    # at all) cannot change what the page shows, as evaluating a call's argument could.
    if not literal or any(not isinstance(k.value, nodes.Name | nodes.Const)
                          for k in node.kwargs):
        return None
    if function is None or lookup is None or env.is_async or env.sandboxed \
            or env.globals.get(name.name) is not function:  # type: ignore[attr-defined]
        return None
    ref = frame.symbols.find_ref(name.name)  # a local ``{% set _ = … %}`` is not ours
    if ref is None or frame.symbols.find_load(ref) != (VAR_LOAD_RESOLVE, name.name):
        return None
    return _split(lookup(args[0].value), {k.key: k.value for k in node.kwargs})


def _split(text: str, variables: dict[str, nodes.Expr]) -> list[str | nodes.Expr] | None:
    """``text`` cut at its ``%(name)s``; None for any other ``%`` or an unknown name: the
    page then formats it as before, and fails where it failed before."""
    if "%" in FORMAT.sub("", text):
        return None
    pieces: list[str | nodes.Expr] = []
    literal, at = "", 0
    for found in FORMAT.finditer(text):
        literal, at = literal + text[at:found.start()], found.end()
        if found[2]:
            literal += "%"
        elif found[1] in variables:
            pieces += [literal, variables[found[1]]] if literal else [variables[found[1]]]
            literal = ""
        else:
            return None
    literal += text[at:]
    return [*pieces, literal] if literal or not pieces else pieces


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
