"""Bench of the upload validation (pure, no CKAN).

    python -m tests.bench.collect [--mb 100] [--big-mb 1024] [--repeat 3] [--write]

Generates a Windows-1250 CSV as Polish offices export it (``;`` separator,
decimal commas, thousands separated by spaces and non-breaking spaces,
``31.12.2021`` dates, a few GUS signs, a title row) of ``--mb`` megabytes,
then in separate child processes, the two in turn ``--repeat`` times (the
median counts), times

* ``validate_file`` with the normalised CSV written (validation and
  normalisation), and
* a plain ``pandas.read_csv(path, sep=";", encoding="cp1250")`` of the same
  file,

and gives the throughput ratio (goal: at least 0.5). Then the peak memory
(maximum RSS of the child) of validating and normalising a ``--big-mb`` file
(goal: under 500 MB). ``--write`` puts the table into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from tests.bench import docs

REPO = Path(__file__).resolve().parents[2]
WORK = REPO / ".data" / "bench"
MARK = "## Upload validation (bdom_collect)"
GOAL_RATIO, GOAL_MB = 0.5, 500
DISTRICTS = ("Centrum", "Michałkowice", "Bytków", "Przełajka", "Tuskulum", "Bańgów", "Pszczelnik")
COLUMNS = [
    {"name": "lp", "type": "integer", "required": True, "key": True},
    {"name": "rok", "type": "integer", "required": True},
    {"name": "dzielnica", "type": "text", "allowed_values": list(DISTRICTS)},
    {"name": "ludnosc", "type": "integer", "unit": "osoby"},
    {"name": "powierzchnia", "type": "decimal", "unit": "km2"},
    {"name": "dochody", "type": "decimal", "unit": "zł"},
    {"name": "data_pomiaru", "type": "date"},
]
ROWS_PER_BLOCK = 100_000


def _tails(rng: np.random.Generator, count: int) -> np.ndarray:
    """Row contents after the ``lp`` column, as a steward's Excel writes them."""
    tails = []
    for _ in range(count):
        year = int(rng.integers(2000, 2025))
        people = f"{int(rng.integers(0, 99_999)):,}".replace(",", " ")
        area = f"{rng.integers(0, 99_999) / 100:.2f}".replace(".", ",")
        income = f"{rng.integers(0, 10**9) / 100:,.2f}".replace(",", "\u00a0").replace(".", ",")
        if rng.random() < 0.01:
            income = str(rng.choice(["-", "x", "."]))
        day = f"{int(rng.integers(1, 29)):02d}.{int(rng.integers(1, 13)):02d}.{year}"
        district = DISTRICTS[int(rng.integers(0, len(DISTRICTS)))]
        tails.append(f";{year};{district};{people};{area};{income};{day}\r\n")
    return np.array(tails, dtype=object)


def generate(path: Path, megabytes: int) -> None:
    """A Windows-1250 CSV of about ``megabytes`` MB (reused when already there)."""
    target = megabytes * 10**6
    if path.exists() and abs(path.stat().st_size - target) < 10**6:
        return
    rng = np.random.default_rng(7)
    tails = _tails(rng, 20_000)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        out.write("Ludność dzielnic Siemianowic Śląskich\r\n".encode("cp1250"))
        header = "lp;rok;dzielnica;Ludność [osoby];powierzchnia [km2];dochody [zł];data_pomiaru"
        out.write((header + "\r\n").encode("cp1250"))
        start = 1
        while out.tell() < target:
            ids = np.arange(start, start + ROWS_PER_BLOCK).astype(str).astype(object)
            picked = tails[rng.integers(0, len(tails), ROWS_PER_BLOCK)]
            out.write("".join((ids + picked).tolist()).encode("cp1250"))
            start += ROWS_PER_BLOCK


def child(kind: str, path: str) -> None:
    """Run one measurement in this process; print seconds and peak RSS as JSON."""
    started = time.perf_counter()
    extra: dict[str, object] = {}
    if kind == "pandas":
        import pandas as pd

        frame = pd.read_csv(path, sep=";", encoding="cp1250", skiprows=1)
        extra["rows"] = len(frame)
    else:
        from ckanext.bdom.collect.columns import columns_from_json
        from ckanext.bdom.collect.validate import validate_file

        out = Path(path).with_suffix(".normalised.csv")
        result = validate_file(Path(path), columns_from_json(COLUMNS), out=out)
        extra["rows"] = result.row_count
        extra["ok"] = result.ok
        extra["problems"] = [p.code for p in result.problems[:5]]
        out.unlink(missing_ok=True)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, **extra}))


def measure(kind: str, path: Path) -> dict[str, object]:
    command = [sys.executable, "-m", "tests.bench.collect", "--child", kind, str(path)]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def alternating(path: Path, repeat: int) -> tuple[dict[str, object], dict[str, object]]:
    """The run of median time of each kind, the kinds run in turn ``repeat``
    times (so that a busy moment of the machine does not fall on one kind)."""
    runs: dict[str, list[dict[str, object]]] = {"validate": [], "pandas": []}
    for _ in range(max(1, repeat)):
        for kind, done in runs.items():
            done.append(measure(kind, path))
    median = [
        sorted(done, key=lambda run: float(run["seconds"]))[len(done) // 2]  # type: ignore[arg-type]
        for done in runs.values()
    ]
    return median[0], median[1]


def table(mb: int, big_mb: int, repeat: int, rows: list[tuple[str, str, str]]) -> str:
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
    ).stdout.strip()
    load = os.getloadavg()[0]
    lines = [
        f"{MARK} — {dt.date.today().isoformat()}, commit {commit}",
        "",
        f"`python -m tests.bench.collect --mb {mb} --big-mb {big_mb} --repeat {repeat}`: "
        "a generated "
        "Windows-1250 CSV (`;`, decimal commas, thousands separated by spaces and "
        "non-breaking spaces, `31.12.2021` dates, GUS signs in 1 % of rows, a title row; "
        "7 columns, `lp` the key). Each measurement in its own child process; "
        f"machine {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, load average {load:.1f} at the end.",
        "",
        "| measure | value | goal |",
        "|---|---|---|",
        *(f"| {a} | {b} | {c} |" for a, b, c in rows),
    ]
    return "\n".join(lines) + "\n"


def write(section: str) -> None:
    docs.replace_section(MARK, section)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=int, default=100, help="size of the throughput file")
    parser.add_argument("--big-mb", type=int, default=1024, help="size of the memory file")
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each, alternating")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    small = WORK / f"collect-{args.mb}mb.csv"
    generate(small, args.mb)
    size = small.stat().st_size / 10**6
    ours, plain = alternating(small, args.repeat)
    ours_speed = size / float(ours["seconds"])  # type: ignore[arg-type]
    plain_speed = size / float(plain["seconds"])  # type: ignore[arg-type]
    ratio = ours_speed / plain_speed
    big = WORK / f"collect-{args.big_mb}mb.csv"
    generate(big, args.big_mb)
    big_size = big.stat().st_size / 10**6
    memory = measure("validate", big)
    peak = float(memory["peak_mb"])  # type: ignore[arg-type]
    met = "met" if ratio >= GOAL_RATIO else "**not met**"
    rows = [
        (
            f"validation + normalisation, {size:.0f} MB (median of {args.repeat})",
            f"{ours_speed:.1f} MB/s ({ours['seconds']:.1f} s, {ours['rows']} rows)",
            "—",
        ),
        (
            f"plain pandas.read_csv, {size:.0f} MB (median of {args.repeat})",
            f"{plain_speed:.1f} MB/s ({plain['seconds']:.1f} s)",
            "—",
        ),
        ("throughput ratio", f"{ratio:.2f}", f"≥ {GOAL_RATIO}: {met}"),
        (
            f"peak memory, {big_size:.0f} MB file",
            f"{peak:.0f} MB ({float(memory['seconds']):.0f} s, valid: {memory['ok']})",  # type: ignore[arg-type]
            f"< {GOAL_MB} MB: {'met' if peak < GOAL_MB else '**not met**'}",
        ),
        (
            f"peak memory, plain pandas of the {size:.0f} MB file",
            f"{float(plain['peak_mb']):.0f} MB",  # type: ignore[arg-type]
            "—",
        ),
    ]
    section = table(args.mb, args.big_mb, args.repeat, rows)
    print(section)
    if args.write:
        write(section)


if __name__ == "__main__":
    main()
