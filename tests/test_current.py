"""``tracking.output_current``: the one answer to "is this output still current?"."""

from __future__ import annotations

import os

from generator.read import digest
from generator.tracking import output_current, still_written


def test_a_file_as_recorded_is_current_without_being_read(tmp_path):
    target = tmp_path / "a.html"
    target.write_bytes(b"page")
    stat = target.stat()
    written = (digest(b"page"), stat.st_size, stat.st_mtime_ns)
    target.chmod(0)  # unreadable: the record alone must decide
    try:
        assert output_current(target, digest(b"page"), written) == (4, stat.st_mtime_ns)
        assert still_written(target, 4, stat.st_mtime_ns)
    finally:
        target.chmod(0o644)


def test_new_bytes_or_a_touched_file_are_not_current_without_compare(tmp_path):
    target = tmp_path / "a.html"
    target.write_bytes(b"page")
    stat = target.stat()
    written = (digest(b"page"), stat.st_size, stat.st_mtime_ns)
    assert output_current(target, digest(b"other"), written) is None
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert output_current(target, digest(b"page"), written) is None


def test_compare_reads_the_file_by_bytes_or_by_digest(tmp_path):
    target = tmp_path / "a.html"
    target.write_bytes(b"page")
    stat = target.stat()
    found = (stat.st_size, stat.st_mtime_ns)
    assert output_current(target, digest(b"page"), None, b"page", compare=True) == found
    assert output_current(target, digest(b"page"), None, compare=True) == found
    assert output_current(target, digest(b"new"), None, b"new", compare=True) is None
    assert output_current(tmp_path / "missing", digest(b"x"), None, compare=True) is None
