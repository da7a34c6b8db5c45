"""All of an import's files or none (the only module here that writes into ``content/``).

1. Every new or changed file is staged in ``.factcheck-import/stage-<pid>/`` in the
   project (the same filesystem as ``content/``). An error or Ctrl-C here removes the stage:
   ``content/`` is untouched.
2. A journal, ``.factcheck-import/journal-<pid>.json``, listing the files, is written
   atomically: from this moment the import is decided.
3. Each staged file is moved over its target with ``os.replace`` (atomic per file), signals
   held; then the journal and the stage are removed.

A run killed outright (SIGKILL, power loss) is repaired by the next one, before it reads
anything (``recover``): a journal is completed (roll forward: its remaining staged files are
moved in), a stage without a journal is deleted (roll back: nothing had been moved).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from pathlib import Path

from generator.write import _alive, signals_deferred

FOLDER = ".factcheck-import"


def _stage_of(root: Path, pid: int) -> Path:
    return root / FOLDER / f"stage-{pid}"


def recover(root: Path, content: Path) -> list[str]:
    """Finish or undo imports killed mid-way; what was done, for the report."""
    folder = root / FOLDER
    done: list[str] = []
    if not folder.is_dir():
        return done
    for journal in sorted(folder.glob("journal-*.json")):
        pid = journal.stem.removeprefix("journal-")
        if pid.isdigit() and int(pid) != os.getpid() and _alive(int(pid)):
            continue  # another import is committing right now
        files = json.loads(journal.read_text("utf-8"))["files"]
        stage = folder / f"stage-{pid}"
        with signals_deferred():
            for rel in files:
                staged = stage / rel
                if staged.exists():
                    (content / rel).parent.mkdir(parents=True, exist_ok=True)
                    os.replace(staged, content / rel)
            journal.unlink()
            shutil.rmtree(stage, ignore_errors=True)
        done.append(f"completed an interrupted import of {len(files)} file(s)")
    for stage in sorted(folder.glob("stage-*")):
        pid = stage.name.removeprefix("stage-")
        if pid.isdigit() and int(pid) != os.getpid() and _alive(int(pid)):
            continue
        shutil.rmtree(stage, ignore_errors=True)
        done.append("discarded the staged files of an interrupted import")
    return done


class Stage:
    """Files staged for one import; ``commit`` moves them all in, ``discard`` drops them."""

    def __init__(self, root: Path, content: Path):
        self.root, self.content = root, content
        self.folder = _stage_of(root, os.getpid())
        self.files: list[str] = []
        self._made: set[str] = set()

    def add(self, rel: str, text: str) -> None:
        folder, _, _ = rel.rpartition("/")
        if folder not in self._made:  # one mkdir per folder, not per file
            (self.folder / folder).mkdir(parents=True, exist_ok=True)
            self._made.add(folder)
        with open(os.path.join(self.folder, rel), "wb") as out:
            out.write(text.encode("utf-8"))
        self.files.append(rel)

    def commit(self) -> None:
        if not self.files:
            self.discard()
            return
        journal = self.root / FOLDER / f"journal-{os.getpid()}.json"
        temporary = journal.with_suffix(".tmp")
        temporary.write_text(json.dumps({"files": self.files}, ensure_ascii=False), "utf-8")
        with signals_deferred():
            os.replace(temporary, journal)  # the decision: from here on, roll forward
            for folder in {str(Path(rel).parent) for rel in self.files}:
                (self.content / folder).mkdir(parents=True, exist_ok=True)
            for rel in self.files:
                os.replace(self.folder / rel, self.content / rel)
            journal.unlink()
            self.discard()

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
        _remove_if_empty(self.root / FOLDER)


def _remove_if_empty(folder: Path) -> None:
    with contextlib.suppress(OSError):
        folder.rmdir()


__all__ = ["FOLDER", "Stage", "recover"]
