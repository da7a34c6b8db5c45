"""Benchmark runner: our generator against Hugo and Pelican on the same generated corpus.

For each N (claims): cold build, rebuild with nothing changed, rebuild after one claim's body
is edited, rebuild after one prolific actor is renamed; whole-process wall times (medians
over ``--runs``), peak RSS (largest process of the build) and per-stage times. When ``hugo``
or ``pelican`` are on PATH, their copies of the corpus are built in the same run and the
ratios ours / theirs printed: Hugo right after each cold build of ours (so a ratio compares
builds under the same machine load), Pelican ``--peer-runs`` times (it is slow). Every timed
command starts settled (see ``settle``). Not run in CI (a smoke test runs it at N=50).

    python3 benchmarks/run.py --entries 1000 10000 --runs 3 --work /tmp/factcheck-bench
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.corpus import SHAPES, actor_slug, claim_slug  # noqa: E402


@dataclass
class Run:
    seconds: float
    rss_mb: float
    output: str


@dataclass
class Figures:
    """Medians of several runs of one scenario."""

    runs: list[Run] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def rss(self) -> float:
        return max(r.rss_mb for r in self.runs)


def settle(inputs: list[Path], warm: list[str], outputs: list[Path]) -> None:
    """Untimed, before every timed command: flush dirty pages, read the command's inputs,
    run ``warm`` (a ``--version``) and stat the files of the existing output, so every
    command, ours or a peer's, starts with its files cached and no earlier build's
    ~500 MB still being written back. (Emptying the page cache instead made file creation
    itself slow, as ext4 re-read its metadata: our 45,000-file write took 9.7 s, not 3.)"""
    os.sync()
    for folder in inputs:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                _read_through(path)
    for folder in outputs:  # a rebuild stats every output file: cache their inodes
        for path in folder.rglob("*"):
            path.stat()
    subprocess.run(warm, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=False)


def _read_through(path: Path) -> None:
    """Read a file into the page cache in blocks. Read whole, the 230 MB cache made this
    runner's peak RSS 250 MB, and Linux counts the peak of the process that forks (vfork,
    then exec) in the child's: every build timed after showed at least 250 MB."""
    with open(path, "rb") as handle:
        while handle.read(1 << 20):
            pass


def timed(command: list[str], cwd: Path, inputs: list[Path], warm: list[str],
          outputs: list[Path]) -> Run:
    """Wall time and peak RSS (largest of the process and its workers) of one command."""
    settle(inputs, warm, outputs)
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    output = process.stdout.read() if process.stdout else ""
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"{' '.join(command)} failed ({code}):\n{output}")
    return Run(seconds, usage.ru_maxrss / 1024, output)


def corpus(work: Path, entries: int, seed: int, with_peers: bool, shape: str = "case") -> Path:
    folder = work / (f"n{entries}-s{seed}" + ("" if shape == "case" else f"-{shape}"))
    marker = folder / ".complete"
    if not marker.exists() or (with_peers and not (folder / "hugo").is_dir()):
        # In a process of its own: Linux keeps, in a child's peak RSS, the peak RSS of the
        # process that forked it (vfork, then exec): see ``_read_through``.
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "corpus.py"), "--out",
                        str(folder), "--entries", str(entries), "--seed", str(seed),
                        "--shape", shape, *(["--peers"] if with_peers else [])], check=True,
                        stdout=subprocess.DEVNULL)
        marker.write_text("ok\n")
    return folder


OURS_WARM = [sys.executable, "-m", "generator", "--version"]
HUGO_WARM = ["hugo", "version"]


def ours(folder: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "generator", "build", "--content", str(folder / "content"),
            "--templates", str(ROOT / "templates"), "--out", str(folder / "site"),
            "--timings", *extra]


def stages(output: str) -> dict[str, float]:
    for line in output.splitlines():
        if line.startswith("timings:"):
            return {k: float(v) for k, v in (p.split("=") for p in line.split()[1:])}
    return {}


def edit_claim(folder: Path, round_: int) -> None:
    path = folder / "content" / "claims" / f"{claim_slug(1)}.md"
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(f"\nAn added sentence, edit number {round_}.\n")


def rename_actor(folder: Path, round_: int) -> None:
    """Rename the most prolific actor (Zipf rank 1): its name is on many pages."""
    path = folder / "content" / "actors" / f"{actor_slug(0)}.md"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines = [f"{line.split(' (')[0]} (edit {round_})" if line.startswith("name: ") else line
             for line in lines]
    path.write_text("\n".join(lines), encoding="utf-8")


def hugo_command(folder: Path) -> list[str]:
    return ["hugo", "--quiet", "-d", str(folder / "hugo-out")]


def measure_ours(folder: Path, runs: int, hugo: bool, bare: list[float]
                 ) -> tuple[dict[str, Figures], Figures]:
    """Our four scenarios, ``runs`` times; with ``hugo``, a cold Hugo build right after each
    cold build of ours, so both see the same machine load (it is shared and noisy)."""
    results = {name: Figures() for name in ("cold", "no change", "one claim edited",
                                            "one actor renamed")}
    hugo_cold = Figures()
    for number in range(runs):
        shutil.rmtree(folder / "site", ignore_errors=True)
        shutil.rmtree(folder / ".factcheck-cache", ignore_errors=True)
        for scenario, change in (("cold", None), ("no change", None),
                                 ("one claim edited", edit_claim),
                                 ("one actor renamed", rename_actor)):
            if change is not None:
                change(folder, number)
            run = timed(ours(folder), ROOT, [folder / "content", folder / ".factcheck-cache"],
                        OURS_WARM, [folder / "site"])
            results[scenario].runs.append(run)
            print(f"  run {number + 1}: {scenario:<18} {run.seconds:8.2f} s "
                  f"{run.rss_mb:6.0f} MB", file=sys.stderr, flush=True)
            if scenario == "cold":  # the floor, under the same load as this build
                floor = timed([sys.executable, str(ROOT / "benchmarks" / "floor.py"),
                               "--bare-on-all-cores", str(folder / "content")], ROOT,
                              [folder / "content"], OURS_WARM, [])
                bare.append(float(floor.output.split("bare ")[-1].split()[0]))
            if scenario == "cold" and hugo:
                shutil.rmtree(folder / "hugo-out", ignore_errors=True)
                peer = timed(hugo_command(folder), folder / "hugo", [folder / "hugo"], HUGO_WARM,
                             [folder / "hugo-out"])
                hugo_cold.runs.append(peer)
                print(f"  run {number + 1}: hugo cold          {peer.seconds:8.2f} s "
                      f"{peer.rss_mb:6.0f} MB", file=sys.stderr, flush=True)
    return results, hugo_cold


def measure_peer(command: list[str], out: Path, cwd: Path, runs: int, warm: list[str]
                 ) -> Figures:
    figures = Figures()
    for _ in range(runs):
        shutil.rmtree(out, ignore_errors=True)
        figures.runs.append(timed(command, cwd, [cwd], warm, [out]))
    return figures


def report(entries: int, folder: Path, runs: int, peers: bool, peer_runs: int) -> None:
    count = sum(1 for _ in (folder / "content").rglob("*.md"))
    print(f"\n== N = {entries} claims ({count} entries), {runs} run(s), medians")
    with_hugo = bool(peers and shutil.which("hugo") and (folder / "hugo").is_dir())
    bare: list[float] = []
    figures, hugo = measure_ours(folder, runs, with_hugo, bare)
    for scenario, f in figures.items():
        print(f"ours   {scenario:<18} {f.median:8.2f} s   peak RSS {f.rss:6.0f} MB")
    cold = figures["cold"]
    names = ("read", "validate", "markdown", "resolve", "render", "search", "write", "cache")
    per_stage = {s: statistics.median(stages(r.output).get(s, 0.0) for r in cold.runs)
                 for s in names}
    print("ours   cold build stages: " + ", ".join(f"{s} {t:.2f} s" for s, t in
                                                    per_stage.items()))
    ratios = [r.seconds / b for r, b in zip(cold.runs, bare, strict=True)]
    unwritten = [(r.seconds - stages(r.output).get("write", 0.0)) / b
                 for r, b in zip(cold.runs, bare, strict=True)]
    print(f"floor  bare Python-Markdown, every body, all cores {statistics.median(bare):.2f} s;"
          f" cold / bare {statistics.median(ratios):.2f} (paired runs: "
          f"{', '.join(f'{x:.2f}' for x in ratios)}), without the write stage "
          f"{statistics.median(unwritten):.2f}")
    for scenario in ("no change", "one claim edited", "one actor renamed"):
        last = figures[scenario].runs[-1].output.strip().splitlines()
        closing = [line for line in last if line.startswith("built ")]
        print(f"ours   {scenario}: {closing[-1] if closing else '?'}")
    if with_hugo:
        again = timed(hugo_command(folder), folder / "hugo", [folder / "hugo"], HUGO_WARM,
                      [folder / "hugo-out"])
        print(f"hugo   cold               {hugo.median:8.2f} s   peak RSS {hugo.rss:6.0f} MB")
        print(f"hugo   no change          {again.seconds:8.2f} s   peak RSS {again.rss_mb:6.0f} MB")
        paired = statistics.median(o.seconds / h.seconds for o, h in zip(cold.runs, hugo.runs,
                                                                         strict=True))
        print(f"ratio  ours/hugo cold {cold.median / hugo.median:.2f} (median of paired "
              f"runs {paired:.2f}), no change "
              f"{figures['no change'].median / again.seconds:.3f}")
    if peers and peer_runs and shutil.which("pelican") and (folder / "pelican").is_dir():
        pelican = measure_peer(
            ["pelican", "content", "-o", str(folder / "pelican-out"), "-s",
                        "pelicanconf.py", "-q"], folder / "pelican-out", folder / "pelican",
            peer_runs, ["pelican", "--version"])
        print(f"pelican cold              {pelican.median:8.2f} s   peak RSS "
              f"{pelican.rss:6.0f} MB")
        print(f"ratio  ours/pelican cold {cold.median / pelican.median:.3f} "
              f"(pelican/ours {pelican.median / cold.median:.1f}x)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--peer-runs", type=int, default=1,
                        help="Pelican builds per N (0: none); Hugo builds --runs times")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path("/tmp/factcheck-bench"))
    parser.add_argument("--no-peers", action="store_true", help="skip Hugo and Pelican")
    parser.add_argument("--shape", choices=sorted(SHAPES), default="case",
                        help="corpus shape (see benchmarks/corpus.py); archive for 100,000")
    args = parser.parse_args(argv)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, "
          f"hugo: {shutil.which('hugo') or 'not installed'}, "
          f"pelican: {shutil.which('pelican') or 'not installed'}")
    for entries in args.entries:
        folder = corpus(args.work, entries, args.seed, not args.no_peers, args.shape)
        report(entries, folder, args.runs, not args.no_peers, args.peer_runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
