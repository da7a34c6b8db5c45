"""Write stage: the only module that touches the output folder.

The build (``output.write_site``) stages every file in a folder beside the site
(``stage_folder``, ``stage_file``, ``stage_stream``) and, only once every page rendered,
swaps the whole tree in (``swap_in``) or moves in the changed files (``move_in``), so a
failed or interrupted build leaves the previous site byte-for-byte intact. ``publish`` and
``sync`` do the same for a tree held in memory (no command uses them).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from generator.read import hasher


class UnsafeOutput(Exception):
    """A path or output folder that would write where it must not."""


def safe_target(root: Path, rel: str) -> Path:
    """``root / rel``, refusing anything that could land outside ``root``."""
    pure = PurePosixPath(rel)
    if not rel or pure.is_absolute() or "\\" in rel or "\x00" in rel \
            or any(part in ("", ".", "..") for part in rel.split("/")):
        raise UnsafeOutput(f"refusing to write '{rel}': it is not a plain path inside the site")
    return root.joinpath(*pure.parts)


def check_output_folder(out: Path, protected: list[Path]) -> None:
    """Refuse an output folder that is, or contains, the project's inputs or the cwd."""
    target = out.resolve()
    if target == Path(target.anchor) or target == Path.home().resolve():
        raise UnsafeOutput(f"refusing to use {out} as the output folder")
    for path in [*protected, Path.cwd()]:
        if path.resolve().is_relative_to(target):
            raise UnsafeOutput(f"refusing to use {out} as the output folder: "
                               f"it contains {path}")
    if out.exists() and not out.is_dir():
        raise UnsafeOutput(f"{out} exists and is not a folder")


def _write_file(target: Path, data: bytes | Iterable[bytes],
                found: hashlib._Hash | None = None) -> None:
    """Write ``data`` (bytes, or pieces of them, hashed into ``found`` when given)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "wb") as handle:
        for chunk in (data,) if isinstance(data, bytes) else data:
            if found is not None:
                found.update(chunk)
            handle.write(chunk)


def stat_matches(path: str | os.PathLike[str], size: int, mtime_ns: int) -> bool:
    """The file is still as a build left it (same size and mtime), judged by ``stat`` alone."""
    try:
        stat = os.stat(path)
    except OSError:
        return False
    return stat.st_size == size and stat.st_mtime_ns == mtime_ns


def temp_name(out: Path, tag: str) -> Path:
    return out.with_name(f".{out.name}.{tag}-{os.getpid()}")


_SIGNALS = {getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP")
            if hasattr(signal, name)}


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold Ctrl-C, SIGTERM and SIGHUP until the block ends, so a swap or a cleanup is never cut
    in half; a signal that arrives meanwhile is delivered (and raised) right after."""
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - Windows
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def recover(out: Path) -> None:
    """Put back a previous site left aside by a build killed mid-swap (a tiny window), and
    remove the temporary folders of builds that were killed outright (SIGKILL, power loss)."""
    if not out.exists():
        for old in sorted(out.parent.glob(f".{out.name}.old-*")):
            os.replace(old, out)
            break
    for tag in ("tmp", "old", "stage"):
        for stale in out.parent.glob(f".{out.name}.{tag}-*"):
            pid = stale.name.rsplit("-", 1)[-1]
            if pid.isdigit() and (int(pid) == os.getpid() or not _alive(int(pid))):
                shutil.rmtree(stale, ignore_errors=True)


def discard(out: Path) -> None:
    """Undo what an interrupted ``publish`` of this process left behind; safe to repeat."""
    with signals_deferred():
        old = temp_name(out, "old")
        if not out.exists() and old.exists():
            os.replace(old, out)
        shutil.rmtree(temp_name(out, "tmp"), ignore_errors=True)
        shutil.rmtree(temp_name(out, "stage"), ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)


def publish(out: Path, files: Mapping[str, bytes]) -> None:
    """Write ``files`` into a fresh tree and swap it in place of ``out`` atomically.

    Whatever happens (an error, Ctrl-C, SIGTERM raised as an exception by the CLI), the
    ``finally`` leaves either the previous site or the new one, never a mix, and no
    temporary folder behind.
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    recover(out)
    tmp = temp_name(out, "tmp")
    try:
        tmp.mkdir()
        for rel in sorted(files):
            _write_file(safe_target(tmp, rel), files[rel])
        swap_in(out, tmp)
    finally:
        discard(out)


def _interrupt_pending() -> bool:
    return hasattr(signal, "sigpending") and bool(signal.sigpending() & _SIGNALS)


@dataclass(frozen=True, slots=True)
class SyncReport:
    written: tuple[str, ...]
    unchanged: int
    deleted: tuple[str, ...]


def sync(out: Path, files: Mapping[str, bytes]) -> SyncReport:
    """Bring ``out`` to exactly ``files``: changed files replaced atomically, others untouched."""
    out.mkdir(parents=True, exist_ok=True)
    written, unchanged = [], 0
    for rel in sorted(files):
        target = safe_target(out, rel)
        data = files[rel]
        try:
            if target.stat().st_size == len(data) and target.read_bytes() == data:
                unchanged += 1
                continue
        except OSError:
            pass
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
        with open(tmp, "wb") as handle:
            handle.write(data)
        os.replace(tmp, target)
        written.append(rel)
    wanted = set(files)
    deleted = []
    for path in sorted(out.rglob("*"), reverse=True):
        rel = path.relative_to(out).as_posix()
        if path.is_dir() and not path.is_symlink():
            if not any(path.iterdir()):
                path.rmdir()
        elif rel not in wanted:
            path.unlink()
            deleted.append(rel)
    return SyncReport(tuple(written), unchanged, tuple(sorted(deleted)))


# Staged writes: workers write changed pages beside the site; nothing touches the site itself
# until every page rendered without error.

def stage_folder(out: Path, tag: str = "tmp") -> Path:
    """A fresh folder beside ``out`` (same filesystem, so moving files in is a rename)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    recover(out)
    stage = temp_name(out, tag)
    shutil.rmtree(stage, ignore_errors=True)
    stage.mkdir()
    return stage


def stage_file(stage: Path, rel: str, data: bytes) -> os.stat_result:
    """Write one output below ``stage``; returns its stat (a rename keeps size and mtime)."""
    target = safe_target(stage, rel)
    _write_file(target, data)
    return target.stat()


def stage_stream(stage: Path, rel: str, chunks: Iterable[bytes]) -> tuple[os.stat_result, str]:
    """``stage_file`` for a file made piece by piece; also returns the digest of its bytes."""
    target = safe_target(stage, rel)
    found = hasher()
    _write_file(target, chunks, found)
    return target.stat(), found.hexdigest()


def file_digest(path: Path) -> str | None:
    """The digest of a file's bytes, read in blocks; None when it cannot be read."""
    try:
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, hasher).hexdigest()
    except OSError:
        return None


def swap_in(out: Path, stage: Path) -> None:
    """Make a complete staged tree the site, atomically and signal-safe (see ``publish``)."""
    old = temp_name(out, "old")
    try:
        with signals_deferred():
            had_site = out.exists()
            if had_site:
                os.replace(out, old)
            os.replace(stage, out)
            if _interrupt_pending():  # arrived during the swap: undo it, then let it raise
                os.replace(out, stage)
                if had_site:
                    os.replace(old, out)
    finally:
        discard(out)


def move_in(out: Path, stage: Path, rels: list[str], obsolete: list[str]) -> list[str]:
    """Move staged files into the live site (each an atomic rename) and delete ``obsolete``
    files; returns the paths deleted. Replaced and deleted files are set aside first, so a
    signal that arrives meanwhile undoes the whole move before it is raised: the site is
    either the previous one or the new one, as with ``publish``."""
    out.mkdir(parents=True, exist_ok=True)
    backup = temp_name(out, "old")
    shutil.rmtree(backup, ignore_errors=True)
    moved: list[tuple[str, bool]] = []
    deleted: list[str] = []
    with signals_deferred():
        if _interrupt_pending():
            return []
        for rel in rels:
            target = safe_target(out, rel)
            had = _set_aside(target, safe_target(backup, rel))
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(safe_target(stage, rel), target)
            moved.append((rel, had))
        for rel in sorted(obsolete):
            if _set_aside(safe_target(out, rel), safe_target(backup, rel)):
                deleted.append(rel)
        if _interrupt_pending():  # undo, then let the signal raise after the block
            for rel, had in reversed(moved):
                os.replace(safe_target(out, rel), safe_target(stage, rel))
                if had:
                    os.replace(safe_target(backup, rel), safe_target(out, rel))
            for rel in deleted:
                os.replace(safe_target(backup, rel), safe_target(out, rel))
            shutil.rmtree(backup, ignore_errors=True)
            return []
    for rel in deleted:
        parent = safe_target(out, rel).parent
        while parent != out and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent
    shutil.rmtree(backup, ignore_errors=True)
    shutil.rmtree(stage, ignore_errors=True)
    return deleted


def _set_aside(target: Path, backup: Path) -> bool:
    """Move an existing file out of the site into the backup tree; False if there was none."""
    if not os.path.lexists(target):
        return False
    backup.parent.mkdir(parents=True, exist_ok=True)
    os.replace(target, backup)
    return True


def strays(out: Path, wanted: set[str]) -> list[str]:
    """Files in ``out`` that the build does not produce (checked when no manifest exists),
    links among them; a link to a folder is one stray, never followed, and a pipe, socket
    or device is no file of ours. Walked as strings: ``Path.rglob`` holds every path it has
    yielded, 296 MB and a minute over the 387,000 files of a 100,000-claim site."""
    found: list[str] = []
    pending = [("", os.fspath(out))]
    while pending:
        prefix, folder = pending.pop()
        try:
            with os.scandir(folder) as listing:
                items = list(listing)
        except OSError:
            continue
        for item in items:  # each answered from the listing: no stat per file
            rel = prefix + item.name
            if item.is_dir(follow_symlinks=False):
                pending.append((rel + "/", item.path))
            elif (item.is_symlink() or item.is_file(follow_symlinks=False)) \
                    and rel not in wanted:
                found.append(rel)
    return found
