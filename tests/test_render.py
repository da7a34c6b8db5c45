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


def test_warm_compiles_every_template_a_page_reaches_and_the_locale_data(site_factory,
                                                                           monkeypatch):
    """What the preview's process readies before forking its first build's workers (its
    first edit would otherwise pay for it): the templates the pages extend, include and
    import, and Babel's number and date data, once."""
    from generator import i18n
    from generator.render import warm
    from generator.tracking import Templates

    config = site_factory().check().index.config
    env = make_environment(site_factory().templates, config)
    reaches = Templates.scan(site_factory().templates).reaches
    formatted = []
    monkeypatch.setattr(i18n, "format_decimal", lambda *a, **k: formatted.append(a) or "0")
    warm(env, ["list.html"], reaches)
    compiled = {name for _, name in env.cache}  # type: ignore[union-attr]
    assert {"list.html", "base.html", "_macros.html"} <= compiled
    assert "claim.html" not in compiled  # only what the pages reach
    assert formatted == [(0,)]
    warm(env, ["claim.html"], reaches)  # once per environment
    assert formatted == [(0,)] and "claim.html" not in {name for _, name in env.cache}


def _same(chunk: list[int]) -> list[int]:
    return chunk


def test_workers_are_warmed_before_forking_and_only_then(monkeypatch):
    from generator import parallel

    calls: list[str] = []
    monkeypatch.setattr(parallel, "may_fork", lambda: True)
    found = sorted(parallel.run(None, _same, 40, 2, min_parallel=1,
                                before_fork=lambda: calls.append("warm")))
    assert found == list(range(40)) and calls == ["warm"]
    found = sorted(parallel.run(None, _same, 40, 2, min_parallel=100,
                                before_fork=lambda: calls.append("warm")))
    assert found == list(range(40)) and calls == ["warm"]  # in this process: nothing to warm


def test_only_the_preview_warms_before_forking(site_factory, monkeypatch):
    """The preview renders its next edits in its own process; a command-line build ends."""
    from generator import parallel
    from generator.build import Cache, build

    project = site_factory()
    warmed: list[str] = []
    monkeypatch.setattr(parallel, "MIN_PARALLEL", 1)
    monkeypatch.setattr(parallel, "may_fork", lambda: True)
    monkeypatch.setattr(parallel, "warm",
                        lambda env, names, reaches: warmed.extend(sorted(names)))
    assert build(project.options()).ok
    assert warmed == []
    assert build(project.options(preview=True, use_cache=False), Cache(), incremental=True).ok
    assert "claim.html" in warmed


def test_an_entry_page_is_planned_small_and_rendered_whole(site_factory):
    """The plan of an entry page holds what the build reads (its entry, whether it is
    indexed); its title, body, lists and scripts are made where it is rendered
    (``plan.expanded``), and the page is exactly what the whole context renders."""
    from generator.render import render_page

    project = site_factory()
    index = project.check().index
    env = make_environment(project.templates, index.config)
    pages = plan.plan_site(index)
    entry_pages = [p for p in pages if plan.own_entry(p) is not None]
    assert entry_pages and all(p.deferred for p in entry_pages)
    claim = next(p for p in entry_pages if p.template == "claim.html")
    assert not {"body", "related", "denials", "sources"} & claim.context.keys()
    assert claim.context["page"]["indexed"] and claim.context["claim"].slug
    whole = plan.expanded(claim, index)
    assert {"body", "related", "denials", "sources", "jsonld"} <= whole.context.keys()
    assert not whole.deferred and plan.expanded(whole, index) is whole
    html = render_page(env, claim, index)
    assert html == render_page(env, whole, index)
    assert b"application/ld+json" in html and b'class="denial' in html
    lists = [p for p in pages if not p.deferred]
    assert lists and all(plan.own_entry(p) is None for p in lists)


def test_a_command_line_build_lets_its_plan_go_once_workers_hold_it(site_factory,
                                                                    monkeypatch):
    """Forked workers hold the plan; the build's own process keeps no planned page."""
    import gc

    from generator import output, parallel
    from generator.plan import PlannedPage

    project = site_factory()
    monkeypatch.setattr(parallel, "MIN_PARALLEL", 1)
    monkeypatch.setattr(parallel, "may_fork", lambda: True)
    alive: list[int] = []
    render_pages = output.render_pages

    def counting(job, workers, progress=None, release=None, warm=False):
        def release_and_count():
            assert release is not None
            release()
            gc.unfreeze()  # the workers were forked with the plan frozen: count it too
            alive.append(sum(isinstance(o, PlannedPage) and bool(o.template)
                             for o in gc.get_objects()))
            gc.freeze()
        return render_pages(job, workers, progress, release_and_count, warm)

    monkeypatch.setattr(output, "render_pages", counting)
    assert project.build().ok
    assert alive == [0]


def test_records_from_the_workers_share_their_keys_and_calls():
    """Each record comes back unpickled with its own copies; the build keeps one of each."""
    import pickle

    from generator.output import Shared
    from generator.tracking import PageRecord

    key = ("claims", "a")

    record = PageRecord("i", (("menu", ()), ("get", ("actors", "x"))), "a",
                        (("claims", "a"),), "o", 1, 2)

    def unpickled() -> PageRecord:  # new tuples, as a worker's answer gives them
        return pickle.loads(pickle.dumps(record))

    shared = Shared({key: key})
    first, second = shared.record(unpickled()), shared.record(unpickled())
    assert first == second == unpickled()
    assert all(a is b for a, b in zip(first.calls, second.calls, strict=True))
    assert first.keys == (key,) and first.keys[0] is key and second.keys[0] is key
