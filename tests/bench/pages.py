"""The public pages against stock CKAN 2.12 (issue 8): home page and search
page timings, and the home page's weight; and the ISO 37120 pages (issue 5)
against a dataset page of the same BDoM portal (goal: ratio at most 1.5).

    python -m tests.bench.pages --n 1000 [--write]

Seeds both portals as ``tests.bench.run`` does (same data, own databases),
serves each with ``ckan run`` and alternates requests between them. Page
weight: the bytes of the home page's HTML and of every stylesheet, script and
font it loads (for each ``@font-face`` the first source, as a browser picks
woff2 first), as a browser without a cache would fetch them. ``--write`` adds
the section to docs/benchmarks.md, above the older ones.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import re
import signal
import subprocess
import time
from urllib.parse import urljoin

import redis
import requests

from tests.bench import docs, run

GOAL = 1.2
PAGES = [("home page", "/", 150), ("search page (q, facets)", "/dataset/?q={word}", 150)]
INDICATOR_PAGES = [
    ("/wskazniki (every theme)", "/wskazniki"),
    ("/wskazniki/10.1", "/wskazniki/10.1"),
]
INDICATOR_GOAL = 1.5
FONT_FACE = re.compile(r"@font-face\s*{[^}]*?url\(\s*['\"]?([^'\")]+)", re.S)


def _get(session: requests.Session, url: str) -> requests.Response:
    response = session.get(url, timeout=60)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}: {response.text[:300]}")
    return response


def page_weight(base: str) -> dict[str, int]:
    """Bytes of the home page and of what it loads, by kind."""
    session = requests.Session()
    page = _get(session, base + "/")
    weight = {"html": len(page.content), "css": 0, "js": 0, "fonts": 0}
    html = page.text
    styles = re.findall(r'<link[^>]+rel="stylesheet"[^>]*href="([^"]+)"', html)
    styles += re.findall(r'<link[^>]+href="([^"]+)"[^>]*rel="stylesheet"', html)
    fonts: set[str] = set()
    for href in dict.fromkeys(styles):
        url = urljoin(base + "/", href)
        css = _get(session, url)
        weight["css"] += len(css.content)
        fonts |= {urljoin(url, f.split("?")[0].split("#")[0]) for f in FONT_FACE.findall(css.text)}
    for src in dict.fromkeys(re.findall(r'<script[^>]+src="([^"]+)"', html)):
        weight["js"] += len(_get(session, urljoin(base + "/", src)).content)
    for font in sorted(fonts):  # a font the server does not have costs the browser nothing
        response = session.get(font, timeout=60)
        weight["fonts"] += len(response.content) if response.status_code == 200 else 0
    weight["total"] = sum(weight.values())
    return weight


def measure(sessions: dict[str, requests.Session]) -> dict[str, dict[str, list[float]]]:
    rng = random.Random(8)
    timings: dict[str, dict[str, list[float]]] = {}
    for label, path, repeat in PAGES:
        timings[label] = {name: [] for name in sessions}
        for i in range(repeat + 5):  # the first 5 warm caches up and are dropped
            url_path = path.format(word=rng.choice(run.WORDS))
            order = list(sessions) if i % 2 == 0 else list(reversed(sessions))
            for name in order:
                url = f"http://127.0.0.1:{run.PORTALS[name][0]}{url_path}"
                started = time.perf_counter()
                _get(sessions[name], url)
                if i >= 5:
                    timings[label][name].append((time.perf_counter() - started) * 1000)
    return timings


def measure_indicator_pages(n: int, repeat: int = 40) -> dict[str, dict[str, list[float]]]:
    """Each ISO 37120 page ("bdom") against a random dataset page ("stock" slot
    of ``run.compare``) of the same BDoM portal, alternating."""
    rng = random.Random(37120)
    session = requests.Session()
    base = f"http://127.0.0.1:{run.PORTALS['bdom'][0]}"
    timings: dict[str, dict[str, list[float]]] = {}
    for label, path in INDICATOR_PAGES:
        timings[label] = {"bdom": [], "stock": []}
        for i in range(repeat + 5):
            pair = [("bdom", path), ("stock", f"/dataset/bench-{rng.randrange(n):05d}")]
            for slot, url_path in pair if i % 2 == 0 else reversed(pair):
                started = time.perf_counter()
                _get(session, base + url_path)
                if i >= 5:
                    timings[label][slot].append((time.perf_counter() - started) * 1000)
    return timings


def indicator_rows(timings: dict[str, dict[str, list[float]]]) -> list[str]:
    rows = [
        "",
        "ISO 37120 pages against a dataset page of the same BDoM portal (the bench data "
        "feed no indicator, so every card shows why it has no value):",
        "",
        "| page | requests | page median ms | dataset page median ms | ratio | page p95 ms "
        "| dataset page p95 ms | ratio |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    compared, verdict = graded(timings, INDICATOR_GOAL)
    return [*rows, *compared, "", f"Goal: ratio ≤ {INDICATOR_GOAL}: {verdict}."]


def graded(timings: dict[str, dict[str, list[float]]], goal: float) -> tuple[list[str], str]:
    """A table row per page (``run.compare``) and whether every ratio meets ``goal``."""
    rows, missed = [], []
    for label, by_slot in timings.items():
        row, ratios = run.compare(label, by_slot)
        rows.append(row)
        if max(ratios) > goal:
            missed.append(label)
    return rows, "met" if not missed else "NOT met by " + ", ".join(missed)


def report(n: int, timings: dict[str, dict[str, list[float]]], weights: dict) -> str:
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=run.REPO, capture_output=True, text=True
    ).stdout.strip()
    load = os.getloadavg()[0]
    rows = [
        f"## Public pages — {dt.date.today().isoformat()}, N = {n} datasets, commit {commit}",
        "",
        f"`python -m tests.bench.pages --n {n}`: machine {platform.machine()}, "
        f"{os.cpu_count()} cores, load {load:.1f} at the end; both portals served by "
        "`ckan run` on the same PostgreSQL, Redis and Solr, requests alternating. "
        "Anonymous visitor, Polish pages.",
        "",
        "| page | requests | BDoM median ms | stock median ms | ratio | BDoM p95 ms "
        "| stock p95 ms | ratio |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    compared, verdict = graded(timings, GOAL)
    rows += [
        *compared,
        "",
        f"Goal: ratio ≤ {GOAL} for both pages: {verdict}.",
        "",
        "Home page weight (bytes a browser without a cache fetches: HTML, stylesheets, "
        "scripts, fonts):",
        "",
        "| portal | HTML | CSS | JS | fonts | total |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, w in weights.items():
        rows.append(
            f"| {name} | {w['html']:,} | {w['css']:,} | {w['js']:,} | {w['fonts']:,} "
            f"| {w['total']:,} |".replace(",", " ")
        )
    return "\n".join(rows) + "\n"


def write(section: str) -> None:
    docs.add_section(section)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    run.WORK.mkdir(parents=True, exist_ok=True)
    redis.Redis.from_url("redis://127.0.0.1:6379/2").flushdb()
    inis = {name: run.prepare(name, args.n) for name in run.PORTALS}
    servers = {name: run.serve(name, ini) for name, ini in inis.items()}
    try:
        sessions = {name: requests.Session() for name in run.PORTALS}
        timings = measure(sessions)
        indicator_timings = measure_indicator_pages(args.n)
        weights = {
            name: page_weight(f"http://127.0.0.1:{run.PORTALS[name][0]}") for name in run.PORTALS
        }
    finally:
        for server in servers.values():
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    section = report(args.n, timings, weights) + "\n".join(indicator_rows(indicator_timings)) + "\n"
    print(section)
    if args.write:
        write(section)


if __name__ == "__main__":
    main()
