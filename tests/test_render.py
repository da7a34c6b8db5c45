"""Plan and render: pages planned from the index, Jinja safety settings, pagination."""

from __future__ import annotations

import pytest

from generator import plan
from generator.render import make_environment, text_dir


@pytest.mark.parametrize(("lang", "direction"), [("fa", "rtl"), ("ar", "rtl"), ("fa-IR", "rtl"),
                                                 ("en", "ltr"), ("ru", "ltr"), ("tg", "ltr")])
def test_text_direction(lang, direction):
    assert text_dir(lang) == direction


def test_environment_escapes_and_is_strict(site_factory):
    import jinja2

    config = site_factory().check().index.config
    env = make_environment(site_factory().templates, config)
    assert env.from_string("{{ x }}").render(x="<script>") == "&lt;script&gt;"
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ missing }}").render()


def test_lists_are_paginated(site_factory, monkeypatch):
    monkeypatch.setattr(plan, "PER_PAGE", 1)
    project = site_factory()
    result = project.build()
    assert result.ok
    assert {"claims/index.html", "claims/page/2/index.html"} <= set(result.files)
    assert "claims/page/3/index.html" not in result.files
    second = project.page("claims/page/2")
    assert 'rel="prev" href="/claims/"' in second
    assert 'rel="next"' in project.page("claims") and 'rel="next"' not in second


def test_every_planned_path_is_unique(site_factory):
    index = site_factory().check().index
    paths = [p.path for p in plan.plan_site(index)]
    assert len(paths) == len(set(paths))
