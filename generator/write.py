"""Write stage: the only module that touches the output folder.

``publish`` builds the whole tree beside the output folder and swaps it in only once every
file is written, so a failed or interrupted build leaves the previous site byte-for-byte
intact. ``sync`` updates a live preview folder in place, file by file, atomically, and
leaves unchanged files (bytes and mtime) alone.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath


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


def _write_file(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "wb") as handle:
        handle.write(data)


def temp_name(out: Path, tag: str) -> Path:
    return out.with_name(f".{out.name}.{tag}-{os.getpid()}")


def recover(out: Path) -> None:
    """Put back a previous site left aside by a build killed mid-swap (a tiny window)."""
    if out.exists():
        return
    for old in sorted(out.parent.glob(f".{out.name}.old-*")):
        os.replace(old, out)
        return


def publish(out: Path, files: Mapping[str, bytes]) -> None:
    """Write ``files`` into a fresh tree and swap it in place of ``out`` atomically."""
    out.parent.mkdir(parents=True, exist_ok=True)
    recover(out)
    tmp = temp_name(out, "tmp")
    old = temp_name(out, "old")
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        tmp.mkdir()
        for rel in sorted(files):
            _write_file(safe_target(tmp, rel), files[rel])
        if out.exists():
            os.replace(out, old)
        os.replace(tmp, out)
    except BaseException:
        if not out.exists() and old.exists():
            os.replace(old, out)
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    shutil.rmtree(old, ignore_errors=True)


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

def stage_folder(out: Path, tag: str = "stage") -> Path:
    """A fresh folder beside ``out`` (same filesystem, so moving files in is a rename)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    stage = temp_name(out, tag)
    shutil.rmtree(stage, ignore_errors=True)
    stage.mkdir()
    return stage


def stage_file(stage: Path, rel: str, data: bytes) -> os.stat_result:
    """Write one output below ``stage``; returns its stat (a rename keeps size and mtime)."""
    target = safe_target(stage, rel)
    _write_file(target, data)
    return target.stat()


def swap_in(out: Path, stage: Path) -> None:
    """Make a complete staged tree the site, atomically (see ``publish``)."""
    recover(out)
    old = temp_name(out, "old")
    try:
        if out.exists():
            os.replace(out, old)
        os.replace(stage, out)
    except BaseException:
        if not out.exists() and old.exists():
            os.replace(old, out)
        raise
    shutil.rmtree(old, ignore_errors=True)


def move_in(out: Path, stage: Path, rels: list[str], obsolete: list[str]) -> list[str]:
    """Move staged files into the live site one by one (each atomic), delete ``obsolete``
    files and the folders they leave empty; returns the paths actually deleted."""
    out.mkdir(parents=True, exist_ok=True)
    for rel in rels:
        target = safe_target(out, rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(safe_target(stage, rel), target)
    shutil.rmtree(stage, ignore_errors=True)
    deleted = []
    for rel in sorted(obsolete):
        target = safe_target(out, rel)
        try:
            target.unlink()
        except FileNotFoundError:
            continue
        deleted.append(rel)
        parent = target.parent
        while parent != out and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent
    return deleted


def strays(out: Path, wanted: set[str]) -> list[str]:
    """Files in ``out`` that the build does not produce (checked when no manifest exists)."""
    if not out.is_dir():
        return []
    return [p.relative_to(out).as_posix() for p in out.rglob("*")
            if (p.is_file() or p.is_symlink()) and p.relative_to(out).as_posix() not in wanted]
