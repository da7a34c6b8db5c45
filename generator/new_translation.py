"""``factcheck new <kind> TITLE --lang fa --translation-of PATH``: an existing entry → the
scaffold of its translation, ``<kind>/<slug>.<lang>.md`` beside it.

The scaffold holds the translated title and, commented out, each translatable field with the
original's words to translate; it records ``translated_from`` (the digest of the original's
translatable words), so ``check`` warns once the original changes after it.
"""

from __future__ import annotations

from pathlib import Path

from generator import fields as f
from generator.config import parse_config
from generator.diagnostics import Diagnostic, error
from generator.entryfile import parse_one
from generator.new import KINDS, quote
from generator.read import display_path, entry_at, read_site_yaml
from generator.translated import REQUIRED, TRANSLATABLE, source_digest, split_slug


def create_translation(content: Path, kind: str, title: str, language: str, original: Path
                       ) -> tuple[Path | None, list[Diagnostic]]:
    """Write the translation's scaffold; nothing is written when there is any problem."""
    shown = display_path(original)
    file = entry_at(content, original) if original.is_file() else None
    if file is None or split_slug(file.slug) is not None:
        return None, [error(shown, 0, "not-an-entry", f"{shown} is not an original entry "
                            "file of the content folder",
                            f"name a file such as {display_path(content / 'claims' / 'x.md')}")]
    if file.kind != KINDS[kind]:
        return None, [error(shown, 0, "wrong-kind", f"{shown} is a {file.kind[:-1]}, not a "
                            f"{kind}", f"factcheck new {file.kind[:-1]} ... --translation-of "
                            f"{shown}")]
    raw, problems = read_site_yaml(content)
    config, more = parse_config(raw, display_path(content / "site.yaml")) \
        if raw is not None else (None, [])
    if config is None:
        return None, problems + more
    try:
        f.language(language)
    except f.Invalid as exc:
        return None, [error("--lang", 0, exc.code, exc.message, exc.hint)]
    if language not in config.editions[1:]:
        return None, [error(config.path, config.lines.get("languages", 1), "unknown-language",
                            f"'{language}' is not one of the site's other languages "
                            f"({', '.join(config.editions[1:]) or 'none'})",
                            f"add it to site.yaml: languages: "
                            f"[{', '.join((*config.editions, language))}]")]
    target = file.path.with_name(f"{file.slug}.{language}.md")
    if target.exists():
        return None, [error(display_path(target), 0, "duplicate-translation",
                            f"{display_path(target)} already translates {shown}",
                            "edit that file instead")]
    parsed = parse_one(file, config.base_path, config.allow_raw_html)
    if parsed.entry is None or parsed.body is None:
        return None, parsed.diagnostics or [error(shown, 0, "not-an-entry",
                                                  f"{shown} cannot be read")]
    entry = parsed.entry
    lines = [f"# Our translation of {file.rel} into '{language}' (docs/content.md#languages).",
             "# Only words are translated: every fact (rating, dates, sources, actors, a",
             "# verbatim quote) is the original's. Below the front matter: the body.",
             f"translated_from: {quote(source_digest(entry, parsed.body.html))}  "
             "# the original as translated",
             f"{REQUIRED[file.kind]}: {quote(title.strip())}"
             if file.kind in REQUIRED else ""]
    for name in TRANSLATABLE[file.kind]:
        if name == REQUIRED.get(file.kind):
            continue
        words = getattr(entry, name, "")
        if name == "translation":
            words = getattr(entry, "statement", "") or getattr(entry, "quote", "")
            if kind == "claim" and not getattr(entry, "verbatim", False):
                continue  # a paraphrase is translated as 'statement'
            lines.append(f"# translation: \"\"  # ours, of the verbatim words: {quote(words)}")
        elif name == "statement" and getattr(entry, "verbatim", False):
            continue  # verbatim words stay as they were said
        elif words:
            lines.append(f"# {name}: \"\"  # translate: {quote(words)}")
    text = "---\n" + "".join(f"{line}\n" for line in lines if line) + "---\n"
    with open(target, "x", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    return target, []


__all__ = ["create_translation"]
