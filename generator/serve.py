"""``factcheck serve``: build, serve with livereload, rebuild on save, reload the browser.

The preview is built into a private temporary folder (never ``site/``, so drafts shown in
the preview can never be published by accident). A failed rebuild replaces every page with
an error page listing the diagnostics, so the writer never looks at a stale page unaware.
"""

from __future__ import annotations

import html
import shutil
import sys
import tempfile
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path

from generator.build import Cache, Options, Result, build
from generator.diagnostics import Diagnostic


def error_page(diagnostics: list[Diagnostic]) -> bytes:
    items = "\n".join(html.escape(d.format()) for d in diagnostics if d.is_error)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Build failed</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem">
<h1>Build failed</h1><p>Fix the problems below and save: this page reloads by itself.</p>
<pre class="error-list"
 style="white-space:pre-wrap;background:#fff0f0;padding:1rem;border:1px solid #d99">
{items}</pre></body></html>
""".encode()


@dataclass
class Preview:
    """Rebuild logic of the preview, testable without a server."""

    options: Options
    cache: Cache = field(default_factory=Cache)
    pages: list[str] = field(default_factory=list)
    """HTML paths of the last good build: where the error page goes when a save breaks."""
    last: Result | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def rebuild(self, *_changed: object) -> Result:
        with self.lock:
            result = build(self.options, self.cache, incremental=True)
            self.last = result
            if result.ok and not result.diagnostics_blocking(self.options.strict):
                self.pages = sorted(p for p in result.files if p.endswith(".html"))
            else:
                from generator.write import sync

                page = error_page(result.diagnostics)
                files = {p: page for p in (self.pages or ["index.html"])}
                sync(self.options.out, files)
            for d in result.diagnostics:
                print(d.format(), file=sys.stderr)
            return result


def preview_options(options: Options, root: Path) -> Options:
    """The preview tree mirrors the published URL: a subpath site is served under it."""
    from generator.build import load_config

    config, _ = load_config(options)
    prefix = config.base_path.strip("/") if config else ""
    out = root / prefix if prefix else root
    return replace(options, out=out)


def serve(options: Options, host: str, port: int) -> int:
    from livereload import Server

    if host not in ("127.0.0.1", "localhost", "::1"):
        print(f"warning: serving on {host}: other machines on the network can read the preview",
              file=sys.stderr)
    root = Path(tempfile.mkdtemp(prefix="factcheck-preview-"))
    try:
        preview = Preview(preview_options(options, root))
        preview.rebuild()
        server = Server()
        for folder in (options.content, options.templates):
            server.watch(str(folder / "**" / "*"), preview.rebuild, delay=0.2)
            server.watch(str(folder / "*"), preview.rebuild, delay=0.2)
        base = preview.options.out.relative_to(root).as_posix()
        print(f"Serving on http://{host}:{port}/{base + '/' if base else ''}", file=sys.stderr)
        server.serve(port=port, host=host, root=str(root), open_url_delay=None)
    except KeyboardInterrupt:
        pass
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 0
