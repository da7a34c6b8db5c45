"""Search index: the staged site's searchable pages → Pagefind bundles in the staging folder.

Runs the Pagefind binary of the ``pagefind[bin]`` package (never downloaded at run time) once
per shard whose pages changed, into the same staging folder as every other output, so the
index is published by the same atomic swap or move as the pages it describes. Shards whose
folder the site already holds, as the last build wrote it, are kept without running anything.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import BinaryIO

from generator.read import digest
from generator.search import FOLDER, MANIFEST, PAGE_KB, Shard, manifest, shard_digest
from generator.searchstable import BundleFormat, stabilise
from generator.tracking import Written, output_current, still_written
from generator.write import file_digest, stage_file

UI_FILES = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-component-ui.js",
            "pagefind-component-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
            "pagefind-highlight.js")
"""Pagefind's own interfaces: the theme has its own search page, so they are not published."""
ENGINE_FILES = ("pagefind.js", "pagefind-worker.js")
WORK = ".pagefind-work"
"""Below the staging folder: each shard's pages linked into a folder of their own."""
"""The search engine: the primary bundle's copy (with its WebAssembly) serves every shard."""


class SearchError(Exception):
    """Pagefind is missing or failed: the build stops before anything is published."""


@dataclass
class Indexed:
    """The search files of this build."""

    kept: dict[str, Written] = field(default_factory=dict)
    """Every search file the site will hold, as written (staged now or kept from before)."""
    staged: list[str] = field(default_factory=list)
    """Files waiting in the staging folder."""
    shards: int = 0
    """Shards indexed by this build (the others were current)."""
    peak_kb: int = 0
    """The largest resident memory of one Pagefind process, in KiB."""
    stale: bool = False
    """Some shard kept an index of older pages (``defer``)."""


def pagefind_binary() -> Path:
    """The binary shipped by ``pagefind[bin]`` (``PAGEFIND_BINARY_PATH`` overrides it)."""
    explicit = os.environ.get("PAGEFIND_BINARY_PATH")
    if explicit:
        return Path(explicit)
    try:
        import pagefind_bin  # type: ignore[import-untyped]

        return Path(pagefind_bin.get_executable())
    except (ImportError, FileNotFoundError) as exc:
        raise SearchError("the Pagefind binary is not installed") from exc


def pagefind_version() -> str:
    try:
        return metadata.version("pagefind-bin")
    except metadata.PackageNotFoundError:
        return "unknown"


def stage_search(out: Path, stage: Path, shards: list[Shard], outputs: Mapping[str, str],
                 staged_pages: set[str], before: Mapping[str, Written], workers: int,
                 compare: bool, defer: bool = False, mirror: Path | None = None,
                 intact: bool = False) -> Indexed:
    """Index every shard whose folder is not current into ``stage``, and the manifest.

    ``outputs``: digest of each page's bytes; ``staged_pages``: pages whose new bytes wait
    in ``stage`` (the others are read from ``out``); ``before``: files as the last build
    wrote them. ``defer`` (the preview): a changed shard whose previous folder the site
    holds keeps it for now, and the manifest says the index is stale. ``mirror`` (in the
    cache folder): where each shard's pages stay linked between builds, so that an edit
    relinks one page, not the shard's 1,500 (see ``link_pages``). ``intact``: the caller
    has just found every file of ``before`` as written (``fresh.site_intact``: the command
    line's quick path), so they are not looked at again (113,000 files at 100k claims).
    Raises ``SearchError``.
    """
    version = pagefind_version()
    found = Indexed()
    todo: list[tuple[Shard, str, bool]] = []
    folders: list[str] = []
    written = by_folder(before)
    for number, shard in enumerate(s for s in shards if s.paths):
        folder = shard.folder(shard_digest(shard, outputs, version))
        previous = written.get(folder, {}) if intact else current_files(out, written.get(
            folder, {}))
        if not previous and defer:
            older, previous = previous_folder(out, written, shard)
            if previous:
                folder, found.stale = older, True
        folders.append(folder)
        if previous:
            found.kept.update(previous)
        else:
            todo.append((shard, folder, number == 0))
    if todo:
        work = stage / WORK  # inside the stage: a killed build's leftovers go with it
        work.mkdir()
        try:
            with held(mirror, stage) as kept, ThreadPoolExecutor(side_by_side(todo, workers)
                                                                 ) as pool:
                if kept is not None:
                    forget_shards(kept, {shard.name for shard in shards})
                peaks = list(pool.map(lambda job: index_shard(
                    job[0], job[1], job[2], out, stage, staged_pages, work,
                    (kept or work) / job[0].name), todo))
        finally:
            shutil.rmtree(work, ignore_errors=True)
        found.peak_kb = max(peaks)
        found.shards = len(todo)
        for _, folder, _ in todo:
            for path in sorted((stage / folder).rglob("*")):
                if path.is_file():
                    rel = path.relative_to(stage).as_posix()
                    stat = path.stat()
                    found.kept[rel] = (file_digest(path) or "", stat.st_size, stat.st_mtime_ns)
                    found.staged.append(rel)
    data = manifest(folders, version, found.stale)
    current = output_current(out / MANIFEST, digest(data), before.get(MANIFEST), data, compare)
    if current is None:
        stat = stage_file(stage, MANIFEST, data)
        current = (stat.st_size, stat.st_mtime_ns)
        found.staged.append(MANIFEST)
    found.kept[MANIFEST] = (digest(data), *current)
    return found


MEMORY_MB = 450
"""What indexing may use at once: Pagefind processes run side by side only within it."""


def side_by_side(todo: list[tuple[Shard, str, bool]], workers: int) -> int:
    """How many Pagefind processes may run at once: one per worker, within ``MEMORY_MB``."""
    largest = max(len(shard.paths) for shard, _, _ in todo)
    each = 15 + largest * PAGE_KB / 1024
    return max(1, min(workers, len(todo), int(MEMORY_MB // each)))


def by_folder(before: Mapping[str, Written]) -> dict[str, dict[str, Written]]:
    """The search files the last build wrote, by bundle folder (``pagefind/c3-…/``)."""
    found: dict[str, dict[str, Written]] = {}
    for rel, written in before.items():
        parts = rel.split("/", 2)
        if parts[0] == FOLDER and len(parts) == 3:
            found.setdefault(f"{FOLDER}/{parts[1]}/", {})[rel] = written
    return found


def current_files(out: Path, files: dict[str, Written]) -> dict[str, Written]:
    """``files`` when every one is still as the last build wrote it, else nothing."""
    root = os.fspath(out) + os.sep  # strings, not paths: 1,700 a shard
    if all(still_written(root + rel, w[1], w[2]) for rel, w in files.items()):
        return files
    return {}


def previous_folder(out: Path, written: dict[str, dict[str, Written]], shard: Shard
                    ) -> tuple[str, dict[str, Written]]:
    """The folder the last build wrote for ``shard`` (by its name) and its files, if intact."""
    prefix = shard.folder("").removesuffix("/")
    folders = [folder for folder in written if folder.startswith(prefix)]
    if len(folders) != 1:
        return "", {}
    return folders[0], current_files(out, written[folders[0]])


def index_files(files: Mapping[str, bytes], shards: list[Shard], workers: int = 1
                ) -> dict[str, bytes]:
    """The search files for pages held in memory (``build.render``, the reference build):
    the same shards and the same Pagefind runs as ``stage_search``, in a temporary folder."""
    with tempfile.TemporaryDirectory(prefix="factcheck-search-") as temp:
        out, stage = Path(temp) / "site", Path(temp) / "stage"
        for shard in shards:
            for rel in shard.paths:
                target = out / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(files[rel])
        stage.mkdir()
        paths = [rel for shard in shards for rel in shard.paths]
        indexed = stage_search(out, stage, shards, {rel: digest(files[rel]) for rel in paths},
                               set(), {}, workers, compare=False)
        return {rel: (stage / rel).read_bytes() for rel in indexed.staged}


UNUSED_DAYS = 7
"""A target's kept links not used for this long are dropped: a link keeps a replaced
page's old bytes on disk."""


@contextlib.contextmanager
def held(mirror: Path | None, stage: Path) -> Iterator[Path | None]:
    """``mirror`` while this build may use it, else None (the build links its pages into a
    folder of its own, as without a cache): it must be on the output's file system (hard
    links; copies would never match) and no other build may be using it (a preview and a
    build of the same target at once would relink pages under each other's Pagefind)."""
    handle = _lock(mirror, stage) if mirror is not None else None
    if handle is None:
        yield None
        return
    with handle:
        yield mirror


def _lock(mirror: Path, stage: Path) -> BinaryIO | None:
    try:
        mirror.mkdir(parents=True, exist_ok=True)
        if os.stat(mirror).st_dev != os.stat(stage).st_dev:
            return None
        handle = open(mirror / ".lock", "wb")  # noqa: SIM115 (held() closes it)
    except OSError:
        return None
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.utime(mirror)
    except OSError:
        handle.close()
        return None
    stale = time.time() - UNUSED_DAYS * 86400
    for other in mirror.parent.iterdir():
        with contextlib.suppress(OSError):
            if other != mirror and other.stat().st_mtime < stale:
                shutil.rmtree(other)
    return handle


def forget_shards(mirror: Path, names: set[str]) -> None:
    """Drop the linked pages of shards the site no longer has (it re-sharded): their links
    would keep old pages' bytes on disk."""
    for found in mirror.iterdir():
        if found.name not in names and not found.name.startswith("."):
            shutil.rmtree(found, ignore_errors=True)


def link_pages(pages: Path, shard: Shard, out: Path, stage: Path, staged_pages: set[str]
               ) -> None:
    """Make ``pages`` hold exactly ``shard``'s pages, each a hard link to its current bytes
    (a copy across file systems). Kept from the last build, the folder needs only the pages
    whose file was replaced since: a page written again is a new file (an atomic rename),
    an unchanged one still shares its inode. Pagefind's output does not depend on the order
    the folder was filled in, so a kept folder indexes as a fresh one."""
    wanted = {rel: (stage if rel in staged_pages else out) / rel for rel in shard.paths}
    if pages.is_dir():
        for found in list(pages.rglob("*")):
            if not found.is_dir() and found.relative_to(pages).as_posix() not in wanted:
                found.unlink()
                with contextlib.suppress(OSError):
                    found.parent.rmdir()  # a page's own folder, once empty
    for rel, source in wanted.items():
        target = pages / rel
        try:
            have, want = os.stat(target), os.stat(source)
            if (have.st_ino, have.st_dev) == (want.st_ino, want.st_dev):
                continue
            target.unlink()
        except FileNotFoundError:
            pass
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, target)
        except OSError:
            shutil.copyfile(source, target)


def index_shard(shard: Shard, folder: str, primary: bool, out: Path, stage: Path,
                staged_pages: set[str], work: Path, pages: Path) -> int:
    """Run Pagefind over one shard's pages (linked into ``pages``, a folder of their own)
    into ``stage/folder``; returns the peak resident memory of the process in KiB."""
    pages = pages.absolute()
    link_pages(pages, shard, out, stage, staged_pages)
    bundle = (stage / folder).absolute()
    log = work / f"{shard.name}.log"
    with open(log, "wb") as errors:
        # cwd: a pagefind.yml in the folder the build was started from must not apply
        binary = pagefind_binary()
        try:
            process = subprocess.Popen([str(binary), "--site", str(pages),
                                        "--output-path", str(bundle), "--silent"],
                                       cwd=work, stdin=subprocess.DEVNULL, stdout=errors,
                                       stderr=errors)
        except OSError as exc:
            raise SearchError(f"cannot run {binary}: {exc.strerror}") from exc
        process.returncode, peak = wait_measured(process.pid)
    if process.returncode != 0:
        detail = log.read_text(errors="replace").strip().splitlines()[-1:] or ["no message"]
        raise SearchError(f"Pagefind failed on {len(shard.paths)} pages "
                          f"(exit {process.returncode}): {detail[0]}")
    prune(bundle, primary)
    try:
        stabilise(bundle)
    except (BundleFormat, OSError, ValueError) as exc:
        raise SearchError(f"unexpected Pagefind output: {exc}") from exc
    return peak


def wait_measured(pid: int) -> tuple[int, int]:
    """Wait for a child; returns its exit code and its own peak resident memory in KiB.

    Read from ``/proc/<pid>/status`` (``VmHWM``) while it runs: ``ru_maxrss`` would count
    the memory of the build process it was forked from before it became Pagefind."""
    peak = 0
    status_file = f"/proc/{pid}/status"
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status), peak
        try:
            with open(status_file, "rb") as handle:
                for line in handle:
                    if line.startswith(b"VmHWM:"):
                        peak = max(peak, int(line.split()[1]))
        except (OSError, ValueError, IndexError):
            pass
        time.sleep(0.02)


def prune(bundle: Path, primary: bool) -> None:
    """Drop what the site does not serve from a bundle: Pagefind's own interfaces, and
    outside the primary bundle the engine, which the browser loads from the primary only."""
    for name in UI_FILES + (() if primary else ENGINE_FILES):
        (bundle / name).unlink(missing_ok=True)
    if not primary:
        for wasm in bundle.glob("wasm.*.pagefind"):
            wasm.unlink()


__all__ = ["Indexed", "SearchError", "index_files", "index_shard", "link_pages",
           "pagefind_binary", "pagefind_version", "stage_search"]
