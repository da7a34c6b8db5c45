"""``factcheck import``: the steps in order, each a module of this package.

recover → scan content/ → read each file's records → plan entries → compare with content/
→ stage → commit (or, with ``--dry-run``, discard) → report.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from generator.config import parse_config
from generator.diagnostics import Diagnostic, error, sort_key
from generator.importing import commit, existing, readers, texts
from generator.importing.entries import Planner
from generator.importing.mapping import RatingMap
from generator.importing.problems import Place
from generator.importing.report import Report
from generator.progress import ProgressLine
from generator.read import display_path, read_site_yaml


@dataclass(frozen=True, slots=True)
class Request:
    files: tuple[Path, ...]
    root: Path
    content: Path
    format: str | None = None
    dry_run: bool = False
    as_draft: bool = False
    publisher: str = ""
    """Publisher of reviews whose record names none (a CMS export of one newsroom)."""
    encoding: str | None = None


def run(request: Request, progress: ProgressLine | None = None
        ) -> tuple[Report, list[Diagnostic]]:
    """Import ``request.files``; every problem is a diagnostic, never a traceback."""
    raw, problems = read_site_yaml(request.content)
    config, more = parse_config(raw, display_path(request.content / "site.yaml")) \
        if raw is not None else (None, [])
    problems = [*problems, *more]
    if config is None:
        return Report(), problems
    report = Report()
    if not request.dry_run:
        report.recovered = commit.recover(request.root, request.content)
    found = existing.scan(request.content)
    planner = Planner(found, RatingMap(config), {existing.name_key(config.organisation.name)})
    own = planner.own_names
    for path in request.files:
        shown = display_path(path)
        if not path.is_file():
            problems.append(error(shown, 0, "missing-file", "no such file to import"))
            continue
        fmt = request.format or readers.detect(path)
        for record, found_problems in readers.records(path, shown, fmt, own, request.encoding):
            problems += found_problems
            if record is None:
                report.skipped.update(d.code for d in found_problems if d.is_error)
                continue
            report.records += 1
            if request.publisher:
                for review in record.reviews:
                    review.publisher = review.publisher or request.publisher
            number = int(record.where.split()[-1])
            place = Place(shown, number, record.where.startswith("line"))
            added = planner.add(record, place)
            problems += added
            report.skipped.update(d.code for d in added if d.is_error)
            if progress is not None:
                progress(f"reading {shown}", report.records, report.records + 1)
    report.joined = planner.joined
    report.unmapped = planner.unmapped
    if not planner.claims:
        problems.append(error(display_path(request.files[0]) if request.files else "import",
                              0, "nothing-to-import", "no usable record: nothing imported",
                              "fix the problems above and import again"))
        return report, problems
    _stage(request, planner, report, progress)
    return report, problems


def _stage(request: Request, planner: Planner, report: Report,
           progress: ProgressLine | None) -> None:
    stage = commit.Stage(request.root, request.content)
    try:
        total = len(planner.claims) + len(planner.actors) + len(planner.sources)
        done = 0
        for actor in planner.actors.values():
            stage.add(f"actors/{actor.slug}.md", texts.actor_text(actor))
            report.counts["actors"]["created"] += 1
        for source in planner.sources.values():
            stage.add(f"sources/{source.slug}.md", texts.source_text(source))
            report.counts["sources"]["created"] += 1
        done = len(planner.actors) + len(planner.sources)
        for claim in planner.claims.values():
            claim.force_draft = request.as_draft
            text = texts.claim_text(claim)
            report.drafts += "\ndraft: true\n" in text
            outcome = _outcome(request, planner, claim.key, text, report)
            report.counts["claims"][outcome] += 1
            if outcome in ("created", "updated"):
                stage.add(f"claims/{claim.slug}.md", text)
            done += 1
            if progress is not None:
                progress("staging entries", done, total)
        if progress is not None:
            progress.close()
        if request.dry_run:
            stage.discard()
        else:
            stage.commit()
    except BaseException:
        stage.discard()
        raise


def _outcome(request: Request, planner: Planner, key: str, text: str, report: Report) -> str:
    """created, unchanged (same digest), updated (the file is as imported) or conflicts."""
    found = planner.existing.claims.get(key)
    if found is None:
        return "created"
    new = texts.digest(text)
    if new == found.digest:
        return "unchanged"
    try:
        current = found.path.read_text("utf-8")
    except OSError:
        current = ""
    if texts.digest(current) == found.digest:
        return "updated"
    report.conflicts.append(display_path(found.path))
    return "conflicts"


def print_report(report: Report, problems: list[Diagnostic], dry_run: bool) -> int:
    for d in sorted(problems, key=sort_key):
        print(d.format(), file=sys.stderr)
    for line in report.lines(dry_run):
        print(line)
    if dry_run:
        print("dry run: nothing was written")
    failed = any(d.code in ("nothing-to-import", "invalid-site-yaml", "missing-site-yaml")
                 for d in problems) or (not report.records and any(d.is_error for d in problems))
    return 1 if failed else 0
