"""A file → a stream of records: its format detected (or named), read as it is parsed.

JSON is streamed with ijson, CSV row by row, so a file of 100,000 records is never held
whole; an HTML page (small) is read at once. A record that cannot be imported comes with
its reason instead; a file that cannot be read at all gives one error and no records.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from pathlib import Path

import ijson

from generator.diagnostics import Diagnostic, error
from generator.importing import claimreview, csvfile, google
from generator.importing.problems import Place
from generator.importing.records import Record

FORMATS = ("google", "claimreview", "csv")
Item = tuple[Record | None, list[Diagnostic]]
JSON_ERRORS = (ijson.JSONError, ijson.IncompleteJSONError, ValueError, UnicodeDecodeError)


def _start(path: Path) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")


def _json_shape(path: Path) -> tuple[str, str]:
    """(format, ijson prefix of the records) from the first keys of the file."""
    with open(path, "rb") as handle:
        events = ijson.parse(handle, use_float=True)
        top = ""
        try:
            for prefix, event, value in events:
                if not top:
                    top = "array" if event == "start_array" else "object"
                    if event not in ("start_array", "start_map"):
                        return "claimreview", ""
                    continue
                if event != "map_key":
                    continue
                if top == "object" and prefix == "":
                    if value == "claims":
                        return "google", google.PREFIXES["object"]
                    if value == "dataFeedElement":
                        return "claimreview", "dataFeedElement.item"
                    if value == "@graph":
                        return "claimreview", "@graph.item"
                    if value in ("claimReviewed", "itemReviewed"):
                        return "claimreview", ""
                if top == "array" and prefix == "item":
                    if value in ("claimReview", "claimant", "claimDate"):
                        return "google", google.PREFIXES["array"]
                    if value in ("@type", "@context", "claimReviewed"):
                        return "claimreview", "item"
        except JSON_ERRORS:
            pass  # reported when the records are read
    return ("claimreview", "") if top == "object" else ("claimreview", "item")


def detect(path: Path) -> str:
    """``google``, ``claimreview`` or ``csv``, from the file's name and first bytes."""
    start = _start(path)
    if path.suffix.lower() == ".csv":
        return "csv"
    if start[:1] in (b"{", b"["):
        return _json_shape(path)[0]
    if start[:1] == b"<" or path.suffix.lower() in (".html", ".htm"):
        return "claimreview"
    return "csv"


def records(path: Path, shown: str, fmt: str, own: set[str], encoding: str | None = None
            ) -> Iterator[Item]:
    """Every record of one file, in file order, each with its problems."""
    start = _start(path)
    if fmt == "csv":
        yield from _csv(path, shown, encoding)
    elif start[:1] == b"<":
        yield from _html(path, shown, own, encoding)
    elif start[:1] in (b"{", b"["):
        yield from _json(path, shown, fmt, own)
    else:
        yield None, [error(shown, 1, "invalid-json", f"not a {fmt} file: it does not start "
                           "with '{' or '['", "name the format with --format")]


def _json(path: Path, shown: str, fmt: str, own: set[str]) -> Iterator[Item]:
    found, prefix = _json_shape(path)
    if fmt == "google" and found != "google":
        prefix = google.PREFIXES["array"] if _start(path)[:1] == b"[" else \
            google.PREFIXES["object"]
    number = 0
    with open(path, "rb") as handle:
        try:
            for node in ijson.items(handle, prefix, use_float=True):
                if fmt == "google":
                    number += 1
                    yield google.to_record(node, Place(shown, number))
                    continue
                for review in claimreview.claim_reviews(node):
                    number += 1
                    yield claimreview.to_record(review, Place(shown, number), own)
        except JSON_ERRORS as exc:
            reason = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
            yield None, [error(shown, 0, "invalid-json",
                               f"malformed JSON after record {number}: {reason}",
                               "the records before it are imported; fix the file and import "
                               "it again")]


def _decoded(path: Path, shown: str, encoding: str | None) -> tuple[str, Diagnostic | None]:
    """The encoding to read with; a file that is not UTF-8 (and no ``--encoding``) is named
    with the line of its first bad byte. Checked in chunks, never held whole."""
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            return "", error(shown, 0, "unknown-encoding", f"unknown encoding '{encoding}'",
                             "use a Python codec name such as cp1252, latin-1 or cp1256")
        return encoding, None
    decoder = codecs.getincrementaldecoder("utf-8")()
    line = 1
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                line += chunk[:exc.start].count(b"\n")
                return "", error(shown, line, "not-utf8",
                                 f"the file is not UTF-8 (byte 0x{chunk[exc.start]:02x})",
                                 "save it as UTF-8, or name its encoding: --encoding cp1252 "
                                 "(Windows), latin-1, cp1256 (Arabic Windows)")
            line += chunk.count(b"\n")
    return "utf-8-sig", None


def _csv(path: Path, shown: str, encoding: str | None) -> Iterator[Item]:
    chosen, problem = _decoded(path, shown, encoding)
    if problem is not None:
        yield None, [problem]
        return
    with open(path, encoding=chosen, errors="strict", newline="") as handle:
        for name, place, row, problem in csvfile.rows(handle, shown):
            if problem is not None or name is None or row is None:
                yield None, [problem] if problem else []
                continue
            yield csvfile.to_record(name, row, place)


def _html(path: Path, shown: str, own: set[str], encoding: str | None) -> Iterator[Item]:
    data = path.read_bytes()
    try:
        text = data.decode(encoding or "utf-8-sig")
    except (UnicodeDecodeError, LookupError):
        yield None, [error(shown, 0, "not-utf8", "the page is not UTF-8",
                           "name its encoding with --encoding")]
        return
    number = 0
    for node, problem in claimreview.html_nodes(text, shown):
        if problem is not None:
            yield None, [problem]
            continue
        for review in claimreview.claim_reviews(node):
            number += 1
            yield claimreview.to_record(review, Place(shown, number), own)
    if not number:
        yield None, [error(shown, 0, "no-records", "no ClaimReview found in the page's "
                           "<script type=\"application/ld+json\"> blocks")]


__all__ = ["FORMATS", "detect", "records"]
