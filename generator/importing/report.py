"""The closing report of an import: what was created, updated, left alone, and why.

Counts per kind, conflicts (entries a writer edited since they were imported), drafts,
skipped records with their reasons, and every unmapped rating with its count and an
example, written as ``rating_map`` lines ready to paste into site.yaml.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import yaml

from generator.importing.entries import Unmapped

OUTCOMES = ("created", "updated", "unchanged", "conflicts")


@dataclass(slots=True)
class Report:
    counts: dict[str, Counter[str]] = field(
        default_factory=lambda: {k: Counter() for k in ("claims", "actors", "sources")})
    """kind → outcome → count"""
    conflicts: list[str] = field(default_factory=list)
    """Display paths of entries a writer edited, kept as they are."""
    drafts: int = 0
    records: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    """reason (diagnostic code) → records skipped"""
    unmapped: dict[tuple[str, str], Unmapped] = field(default_factory=dict)
    joined: int = 0
    recovered: list[str] = field(default_factory=list)

    def lines(self, dry_run: bool = False) -> list[str]:
        out = [f"{line} (before this import)" for line in self.recovered]
        verb = "would be " if dry_run else ""
        for kind, counts in self.counts.items():
            parts = [f"{counts[o]} {verb}{o}" if o != "conflicts" else f"{counts[o]} conflicts"
                     for o in OUTCOMES]
            out.append(f"{kind}: " + ", ".join(parts))
        out.append(f"records: {self.records} read, {self.joined} joined to another record's "
                   f"claim, {sum(self.skipped.values())} skipped"
                   + "".join(f"; {n} {code}" for code, n in sorted(self.skipped.items())))
        out.append(f"drafts: {self.drafts} (unmapped ratings or missing fields)")
        out += [f"conflict: {path}: edited since it was imported; kept as it is" for path in
                self.conflicts]
        if self.unmapped:
            out.append(f"{len(self.unmapped)} unmapped rating(s): add to content/site.yaml "
                       "and import again")
            out.append("rating_map:")
            ordered = sorted(self.unmapped.items(), key=lambda kv: (-kv[1].count, kv[0]))
            for (publisher, textual), seen in ordered:
                match = yaml.safe_dump(textual or "", allow_unicode=True,
                                       default_style='"').strip()
                who = yaml.safe_dump(publisher, allow_unicode=True, default_style='"').strip()
                out.append(f"  - {{match: {match}, rating: ..., publisher: {who}}}"
                           f"  # {seen.count}×, e.g. {seen.example}")
        return out
