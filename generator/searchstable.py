"""A Pagefind bundle made byte-stable: the same pages give the same files, build after build.

Pagefind writes its filter chunks and the metadata that names them in hash-map order, which
changes from run to run (its words index and fragments do not). Our builds are
deterministic, so each filter chunk is rewritten with its values sorted, named by the digest
of its new bytes, and the metadata and ``pagefind-entry.json`` are rewritten to name them.
The format is Pagefind's (a signature, then CBOR, gzipped); only the order changes.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import struct
from pathlib import Path
from typing import Any

SIGNATURE = b"pagefind_dcd"


class BundleFormat(Exception):
    """A bundle not laid out as this Pagefind version's: the build reports it."""


def decode(data: bytes, at: int = 0) -> tuple[Any, int]:
    """One CBOR item (the subset Pagefind writes) at ``at``; returns it and the next offset."""
    head = data[at]
    major, extra = head >> 5, head & 31
    at += 1
    if extra < 24:
        value = extra
    elif extra in (24, 25, 26, 27):
        size = 1 << (extra - 24)
        value = int.from_bytes(data[at:at + size], "big")
        at += size
    else:
        raise BundleFormat(f"unexpected CBOR head {head:#x}")
    if major == 0:
        return value, at
    if major == 1:
        return -1 - value, at
    if major == 2:
        return bytes(data[at:at + value]), at + value
    if major == 3:
        return data[at:at + value].decode(), at + value
    if major == 4:
        items = []
        for _ in range(value):
            item, at = decode(data, at)
            items.append(item)
        return items, at
    if major == 7 and extra in (20, 21, 22):
        return {20: False, 21: True, 22: None}[extra], at
    raise BundleFormat(f"unexpected CBOR major type {major}")


def _head(major: int, value: int) -> bytes:
    if value < 24:
        return bytes([major << 5 | value])
    for extra, fmt in ((24, ">B"), (25, ">H"), (26, ">I"), (27, ">Q")):
        if value < 1 << (8 << (extra - 24)):
            return bytes([major << 5 | extra]) + struct.pack(fmt, value)
    raise BundleFormat("integer too large")


def encode(value: Any) -> bytes:
    """CBOR for what ``decode`` reads, with the shortest heads (as Pagefind writes them)."""
    if value is True or value is False or value is None:
        return bytes([0xE0 | {False: 20, True: 21, None: 22}[value]])
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, str):
        raw = value.encode()
        return _head(3, len(raw)) + raw
    if isinstance(value, list):
        return _head(4, len(value)) + b"".join(encode(item) for item in value)
    raise BundleFormat(f"cannot encode {type(value).__name__}")


def read_chunk(path: Path) -> Any:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise BundleFormat(f"{path.name}: no Pagefind signature")
    value, end = decode(data, len(SIGNATURE))
    if end != len(data):
        raise BundleFormat(f"{path.name}: trailing bytes")
    return value


def write_chunk(folder: Path, prefix: str, suffix: str, value: Any, digits: int) -> str:
    """Write ``value`` as a chunk named by its digest; returns the name's hash part."""
    raw = SIGNATURE + encode(value)
    name = f"{prefix}_{hashlib.blake2b(raw, digest_size=8).hexdigest()[:digits]}"
    (folder / f"{name}{suffix}").write_bytes(gzip.compress(raw, compresslevel=6, mtime=0))
    return name


def stabilise(bundle: Path) -> None:
    """Rewrite ``bundle``'s filter chunks, metadata and entry file in a stable order."""
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language, about in sorted(entry["languages"].items()):
        meta_path = bundle / f"pagefind.{about['hash']}.pf_meta"
        meta = read_chunk(meta_path)
        if not (isinstance(meta, list) and len(meta) >= 5 and isinstance(meta[3], list)):
            raise BundleFormat(f"{meta_path.name}: unexpected layout")
        filters = []
        for name, chunk in meta[3]:
            old = bundle / "filter" / f"{chunk}.pf_filter"
            filter_name, values = read_chunk(old)
            old.unlink()
            filters.append([name, write_chunk(bundle / "filter", language, ".pf_filter",
                                              [filter_name, sorted(values)], 7)])
        meta[3] = sorted(filters)
        meta[4] = sorted(meta[4])
        meta_path.unlink()
        about["hash"] = write_chunk(bundle, f"pagefind.{language}", ".pf_meta", meta, 10
                                    ).removeprefix("pagefind.")
    entry["languages"] = dict(sorted(entry["languages"].items()))
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")),
                          encoding="utf-8")


__all__ = ["BundleFormat", "decode", "encode", "stabilise"]
