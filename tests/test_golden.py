"""Golden files: output that must stay stable byte for byte (pages, and the bytes we write
by hand without a template: the Atom feed, the sitemap, the ClaimReview data feed).

After an intended change, regenerate with ``python3 -m pytest tests/test_golden.py
--update-goldens`` and review the diff like any other change.
"""

from __future__ import annotations

import pytest

from tests.conftest import ROOT

GOLDEN = ROOT / "tests" / "golden"
PAGES = {
    "claim-uav-pilots.html": "claims/uav-pilots/index.html",
    "denial-iran-denial.html": "denials/iran-denial/index.html",
    "feed.xml": "feed.xml",
    "sitemap.xml": "sitemap.xml",
    "claimreview.json": "data/claimreview.json",
}


@pytest.mark.parametrize("golden", sorted(PAGES))
def test_golden_pages(site_factory, update_goldens, golden):
    project = site_factory()
    result = project.build(base_url="https://example.org/factcheck/")
    assert result.ok, [d.format() for d in result.diagnostics]
    actual = result.files[PAGES[golden]]
    path = GOLDEN / golden
    if update_goldens:
        path.write_bytes(actual)
    assert path.exists(), "run pytest with --update-goldens to create the golden file"
    assert actual.decode() == path.read_text(encoding="utf-8")
