"""Benchmark: import 100,000 generated Google Fact Check Tools records, then build.

    python3 benchmarks/import_100k.py [--records N] [--no-build] [--keep DIR]

Prints the import's wall time and peak memory (target: < 2 min, < 500 MB), then the
build's. Each runs in a child process, so its peak resident memory is measured alone.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RATINGS = ["False", "Mostly true", "Pants on Fire!", "Неправда", "مضلل", "Half true"]
PUBLISHERS = ["PolitiFact", "Full Fact", "Misbar", "Проверено", "Factnameh", "Maldita"]
SITE = """\
title: Bench
description: Imported at scale.
organisation: {name: Bench Desk}
base_url: https://example.org/
ratings:
  - {key: inaccurate, label: Inaccurate, description: Contradicted., value: 1}
  - {key: misleading, label: Misleading, description: Half a truth., value: 2}
  - {key: mostly-accurate, label: Mostly accurate, description: Close., value: 4}
rating_map:
  - {match: "False", rating: inaccurate}
  - {match: "Mostly true", rating: mostly-accurate}
  - {match: "Pants on Fire!", rating: inaccurate}
  - {match: "Неправда", rating: inaccurate}
  - {match: "مضلل", rating: misleading}
"""


def generate(path: Path, count: int) -> None:
    """Written record by record: the generator holds no more than the importer may."""
    with open(path, "w", encoding="utf-8") as out:
        out.write('{"claims": [')
        for n in range(count):
            reviews = [{"publisher": {"name": PUBLISHERS[(n + k) % 6]},
                        "url": f"https://checks.example/{k}/{n}",
                        "title": f"Review {n}", "reviewDate": "2022-10-21",
                        "textualRating": RATINGS[(n + k) % 6], "languageCode": "en"}
                       for k in range(1 + (n % 7 == 0))]
            claim = {"text": f"Claim {n}: officials said drones number {n * 7} were shipped",
                     "claimant": f"Claimant {n % 5000}", "claimDate": "2022-10-20",
                     "claimReview": reviews}
            out.write(("," if n else "") + json.dumps(claim, ensure_ascii=False))
        out.write("]}")


def timed(command: list[str], cwd: Path) -> tuple[float, float, float, int]:
    """(wall seconds, CPU seconds, peak MB, exit code) of a child process. CPU time (user +
    system) is the figure to compare on a loaded machine: wall time there includes waiting
    for a core."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env={**os.environ, "PYTHONPATH": str(ROOT)},
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    peak = max(before.ru_maxrss, after.ru_maxrss) / 1024
    if done.returncode:
        print(done.stderr[-2000:], file=sys.stderr)
    return seconds, cpu, peak, done.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--no-build", action="store_true")
    parser.add_argument("--keep", type=Path, help="project folder to keep (default: temporary)")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="factcheck-import-bench-"))
    (work / "content").mkdir(parents=True, exist_ok=True)
    (work / "content" / "site.yaml").write_text(SITE, "utf-8")
    export = work / "export.json"
    generate(export, args.records)
    print(f"{args.records} records, {export.stat().st_size / 1e6:.0f} MB of JSON")
    print(f"load average before: {os.getloadavg()[0]:.1f}")
    seconds, cpu, peak, code = timed([sys.executable, "-m", "generator", "import", "-q",
                                      str(export)], work)
    print(f"import: {seconds:.1f}s wall, {cpu:.1f}s CPU, peak {peak:.0f} MB (exit {code})")
    if not args.no_build and code == 0:
        seconds, cpu, peak, code = timed([sys.executable, "-m", "generator", "build", "-q"],
                                         work)
        print(f"build: {seconds:.1f}s wall, {cpu:.1f}s CPU, peak {peak:.0f} MB (exit {code})")
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    return code


if __name__ == "__main__":
    sys.exit(main())
