"""Bench of the GUS BDL harvester against the local BDL-compatible server.

    python -m tests.bench.bdl [--write]

Measures, for the default set (every curated topic, the city's units and the
comparison units Śląskie and Poland):

* HTTP requests of a full harvest against the minimum the API allows
  (Σ units ⌈variables of the unit / batch⌉ × pages, pages = 1 with 100 per
  page), goal ≤ 1.1 × the minimum;
* requests of a repeat harvest with nothing changed, goal ≤ 5 % of the first;
* whether a full harvest fits the anonymous 15-minute and 12-hour quotas and
  the shortest time it can take at the anonymous per-second limit;
* CPU time per 10 000 values mapped to tidy rows and CSV (the DataStore load
  is xloader's, measured by the stack test, not here).

``--write`` puts the table in docs/benchmarks.md (a section of its own, kept
by `make bench`'s main report).
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import time
from pathlib import Path

from ckanext.bdom.harvesters.bdl import collect, mapping, source_config
from ckanext.bdom.harvesters.bdl.client import ANONYMOUS, BdlClient
from ckanext.bdom.harvesters.bdl.fixture_server import FixtureServer
from tests.bench import docs

REPO = Path(__file__).resolve().parents[2]
MARK = "## GUS BDL harvester"


def measure() -> dict[str, float]:
    server = FixtureServer().start()
    try:
        config = source_config.parse("")
        client = BdlClient(server.url)
        topics = collect.build_topics(config, client)
        plan = collect.request_plan(topics, config)
        minimum = collect.minimum_requests(plan, client.batch_size)
        fetched = collect.fetch(plan, client)
        first = client.stats.requests
        values = sum(len(results["values"]) for _, _, rs in fetched.answers for results in rs)
        cpu = time.process_time()
        rounds = 20
        for _ in range(rounds):
            for topic in topics:
                data = collect.topic_data(topic, fetched, config)
                mapping.rows_to_csv(mapping.sort_rows(data.rows))
        cpu = time.process_time() - cpu
        repeat_client = BdlClient(server.url)
        # the harvester stops here: BDL's data are older than the first read
        unchanged = bool(repeat_client.data_modified())
        repeat = repeat_client.stats.requests
    finally:
        server.stop()
    limits = {label: limit for label, _, limit in ANONYMOUS.windows}
    return {
        "topics": len(topics),
        "variables": sum(len(t.variables) for t in topics),
        "units": len(plan),
        "minimum": minimum,
        "first": first,
        "repeat": repeat if unchanged else first,
        "values": values,
        "cpu_per_10k": cpu / (values * rounds) * 10_000,
        "fits_15min": first <= limits["15 min"],
        "fits_12h": first <= limits["12 h"],
        "seconds_at_anonymous": max(0, first - 1) / limits["1 s"],
    }


def report(m: dict[str, float]) -> str:
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=REPO
    ).stdout.strip()
    ratio = m["first"] / m["minimum"]
    share = m["repeat"] / m["first"]
    ok = lambda good: "met" if good else "**not met**"  # noqa: E731
    return "\n".join(
        [
            f"{MARK} — {dt.date.today().isoformat()}, commit {commit}",
            "",
            "`python -m tests.bench.bdl --write` against the local BDL server (demonstration "
            f"data): default set, {m['topics']} topics, {m['variables']} variables, "
            f"{m['units']} units (city gmina and powiat, Śląskie, Poland), batches of 50 "
            "`var-id`, pages of 100.",
            "",
            "| measure | value | goal |",
            "|---|---|---|",
            f"| requests, first full harvest (values) | {m['first']} | "
            f"≤ 1.1 × minimum {m['minimum']}: {ratio:.2f}, {ok(ratio <= 1.1)} |",
            f"| requests, repeat harvest with nothing changed | {m['repeat']} | "
            f"≤ 5 % of the first: {share:.0%}, {ok(share <= 0.05)} |",
            f"| fits anonymous 15 min quota (100) | {'yes' if m['fits_15min'] else 'no'} | yes |",
            f"| fits anonymous 12 h quota (1000) | {'yes' if m['fits_12h'] else 'no'} | yes |",
            f"| shortest full harvest at 5 requests/s (anonymous) | "
            f"{m['seconds_at_anonymous']:.1f} s | — |",
            f"| CPU per 10 000 values mapped to rows and CSV | {m['cpu_per_10k'] * 1000:.0f} ms "
            f"({m['values']} values) | — |",
            "",
            "The minimum is Σ units ⌈variables of the unit / 50⌉. A first harvest asks only "
            "for values; a repeat harvest first asks BDL's change marker (`/data/metadata`), "
            "and that one request is all it asks when nothing changed since the last read. "
            f"With the default set that one request is {share:.0%} of a full harvest, because "
            "batching makes the full harvest itself only a handful of requests: no harvest "
            "that checks the source can ask less than one request, so the 5 % goal needs a "
            "full harvest of at least 20 requests (about 250 variables of four units). "
            "Metadata of the default set ships with the package, so it costs no request.",
            "",
        ]
    )


def write(section: str) -> None:
    docs.replace_section(MARK, section)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args()
    section = report(measure())
    print(section)
    if args.write:
        write(section)


if __name__ == "__main__":
    main()
