"""Write stage: atomic publish, in-place sync, and no path outside the output folder."""

from __future__ import annotations

import os

import pytest

from generator.write import UnsafeOutput, check_output_folder, publish, safe_target, sync


@pytest.mark.parametrize("rel", ["../x", "a/../../x", "/etc/passwd", "a//b", "", "a\\..\\b",
                                 "./a", "a/\x00"])
def test_unsafe_paths_are_refused(tmp_path, rel):
    with pytest.raises(UnsafeOutput):
        safe_target(tmp_path, rel)


def test_publish_swaps_in_a_complete_tree(tmp_path):
    out = tmp_path / "site"
    publish(out, {"index.html": b"one", "a/index.html": b"a"})
    publish(out, {"index.html": b"two"})
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == ["index.html"]
    assert (out / "index.html").read_bytes() == b"two"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_publish_failure_keeps_the_old_site(tmp_path):
    out = tmp_path / "site"
    publish(out, {"index.html": b"old"})
    with pytest.raises(UnsafeOutput):
        publish(out, {"index.html": b"new", "../escape.html": b"x"})
    assert (out / "index.html").read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_publish_recovers_a_site_left_aside_by_a_killed_swap(tmp_path):
    out = tmp_path / "site"
    aside = tmp_path / ".site.old-12345"
    aside.mkdir()
    (aside / "index.html").write_bytes(b"old")
    publish(out, {"index.html": b"new"})
    assert (out / "index.html").read_bytes() == b"new"
    assert not aside.exists()


def test_sync_leaves_unchanged_files_alone(tmp_path):
    out = tmp_path / "site"
    sync(out, {"a.html": b"a", "b/index.html": b"b", "gone.html": b"x"})
    os.utime(out / "a.html", (1, 1))
    report = sync(out, {"a.html": b"a", "b/index.html": b"B"})
    assert report.written == ("b/index.html",) and report.unchanged == 1
    assert report.deleted == ("gone.html",)
    assert (out / "a.html").stat().st_mtime == 1
    assert (out / "b/index.html").read_bytes() == b"B"


def test_output_folder_guard(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    content = tmp_path / "content"
    content.mkdir()
    with pytest.raises(UnsafeOutput):
        check_output_folder(tmp_path, [content])
    with pytest.raises(UnsafeOutput):
        check_output_folder(tmp_path.parent, [content])
    (tmp_path / "file").write_text("x")
    with pytest.raises(UnsafeOutput):
        check_output_folder(tmp_path / "file", [content])
    check_output_folder(tmp_path / "site", [content])


def test_strays_are_the_files_and_links_not_wanted_and_links_are_not_followed(tmp_path):
    """What a build without records of the site it replaces deletes: every file and link it
    does not produce, at any depth; a link to a folder is one stray, its files are not the
    site's (they are never listed, so never set aside); a pipe or a socket is not a file."""
    import socket

    from generator.write import strays

    out, elsewhere = tmp_path / "site", tmp_path / "elsewhere"
    for rel in ["index.html", "claims/a/index.html", "claims/a/old.html", "notes.txt",
                "deep/er/x.css"]:
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text(rel)
    (elsewhere / "keep").mkdir(parents=True)
    (elsewhere / "keep" / "precious.txt").write_text("not ours")
    (out / "linked").symlink_to(elsewhere / "keep", target_is_directory=True)
    (out / "claims" / "dangling.html").symlink_to(tmp_path / "gone")
    os.mkfifo(out / "claims" / "a" / "pipe")  # nothing of ours: the old code left it alone
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(os.fspath(out / "sock"))
    wanted = {"index.html", "claims/a/index.html", "deep/er/x.css"}
    assert sorted(strays(out, wanted)) == ["claims/a/old.html", "claims/dangling.html",
                                           "linked", "notes.txt"]
    assert strays(out, wanted | {"claims/a/old.html", "claims/dangling.html", "linked",
                                 "notes.txt"}) == []
    assert strays(tmp_path / "missing", wanted) == []
