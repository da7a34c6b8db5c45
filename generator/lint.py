"""Publisher lint: what fact-check standards (IFCN, Google's ClaimReview guidelines) ask for.

Warnings, not errors: the site still builds, ``--strict`` makes them fail the build.
Reads the resolved index and returns diagnostics; the clock is read only here, and only
when ``site.yaml`` sets no ``build_date``.
"""

from __future__ import annotations

import datetime
import re

from generator.diagnostics import Diagnostic, warning
from generator.models import Claim, Source
from generator.resolve import SiteIndex

MAX_CLAIM = 75
POLICY_PAGES = {"methodology": "methodology page", "corrections": "corrections policy"}


def _today(index: SiteIndex) -> datetime.date:
    built = index.config.build_date
    if built and built.month and built.day:
        return datetime.date(built.year, built.month, built.day)
    return datetime.date.today()


def lint(index: SiteIndex) -> list[Diagnostic]:
    config = index.config
    found: list[Diagnostic] = []
    verdicts = {r.label.casefold() for r in config.ratings} | {
        r.key.replace("-", " ") for r in config.ratings}
    today = _today(index)
    if not config.is_absolute:
        found.append(warning(config.path, config.lines.get("base_url", 0), "no-domain",
                             f"base_url '{config.base_url}' has no domain: canonical links, "
                             "ClaimReview url, Atom feeds and the sitemap are left out",
                             "publish with --base-url https://your.domain/path/"))
    for claim in index.claims():
        assert isinstance(claim, Claim)
        if not claim.draft and not claim.sources:  # a draft's gaps: factcheck publish
            found.append(warning(claim.path, claim.line_of("sources"), "no-source",
                                 "claim cites no source",
                                 "add the sources where the claim appeared"))
        if claim.third_party:  # another publisher's review: its text is theirs, as given
            continue
        if config.bylines and not claim.draft and not claim.author:
            found.append(warning(claim.path, claim.line_of("title"), "no-author",
                                 "the claim names no author, and site.yaml asks for bylines",
                                 "add a line 'author: <your name or actor slug>'"))
        if not claim.draft and not claim.rating_explanation:
            found.append(warning(claim.path, claim.line_of("rating"), "no-rating-explanation",
                                 "rating has no explanation",
                                 "add rating_explanation: one line on why this rating"))
        line = claim.line_of("title")
        if len(claim.title) > MAX_CLAIM:
            found.append(warning(claim.path, line, "claim-too-long",
                                 f"claim text has {len(claim.title)} characters",
                                 f"keep it to {MAX_CLAIM} or fewer: Google shows no more"))
        words = claim.title.casefold()
        for verdict in sorted(verdicts):
            if re.search(rf"\b{re.escape(verdict)}\b", words):
                found.append(warning(claim.path, line, "verdict-in-claim",
                                     f"claim text contains the verdict '{verdict}'",
                                     "state the claim neutrally; the rating carries the verdict"))
        if claim.reviewed and claim.reviewed.day:
            reviewed = datetime.date(claim.reviewed.year, claim.reviewed.month or 1,
                                     claim.reviewed.day)
            age = (today - reviewed).days
            if age > config.review_after_days:
                found.append(warning(claim.path, claim.line_of("reviewed"), "stale-review",
                                     f"not reviewed for {age} days",
                                     "review the claim and update 'reviewed'"))
            elif age < 0:
                found.append(warning(claim.path, claim.line_of("reviewed"), "future-date",
                                     f"reviewed {-age} days in the future",
                                     "write the date the review was actually done"))
    for source in index.all("sources"):
        assert isinstance(source, Source)
        if source.url and not source.archive_url:
            found.append(warning(source.path, source.line_of("url"), "no-archive",
                                 "source has a URL but no archive copy",
                                 "add archive_url: pages change or disappear"))
    pages = index.entries["pages"]
    for slug, what in POLICY_PAGES.items():
        if slug not in pages:
            found.append(warning(config.path, 0, f"missing-{slug}", f"the site has no {what}",
                                 f"add content/pages/{slug}.md"))
    return found
