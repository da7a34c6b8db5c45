"""The writer is the last line of defence: nothing lands outside the output folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.write import UnsafeOutput, check_output_folder, publish, safe_target


@pytest.mark.parametrize("rel", ["../x", "/etc/passwd", "a/../../b", "a\\..\\b", "", "a//b",
                                 "./a", "a/./b", "a\x00b", "claims/..", "..", "."])
def test_unsafe_relative_paths_are_refused(rel: str, tmp_path: Path):
    with pytest.raises(UnsafeOutput):
        safe_target(tmp_path, rel)


@pytest.mark.parametrize("rel", ["index.html", "claims/ایران/index.html",
                                 "actors/тоҷикистон/index.html", "static/style.css"])
def test_plain_paths_stay_inside(rel: str, tmp_path: Path):
    target = safe_target(tmp_path, rel)
    assert target.resolve().is_relative_to(tmp_path.resolve())


def test_an_unsafe_path_leaves_the_previous_site_and_no_temp(tmp_path: Path):
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("previous", encoding="utf-8")
    with pytest.raises(UnsafeOutput):
        publish(out, {"index.html": b"new", "../escaped.html": b"x"})
    assert (out / "index.html").read_text(encoding="utf-8") == "previous"
    assert not (tmp_path / "escaped.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


@pytest.mark.parametrize("name", [".", "..", "content", "content/.."])
def test_output_folder_may_not_hold_the_inputs(name: str, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "content").mkdir()
    with pytest.raises(UnsafeOutput):
        check_output_folder(Path(name), [Path("content"), Path("templates")])
