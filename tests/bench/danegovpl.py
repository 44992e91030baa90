"""Bench of the dane.gov.pl routes (plugin bdom_danegovpl), in one process.

    python -m tests.bench.danegovpl --n 1000 10000 [--write]

Datasets are package_show-shaped dicts built from tests.bench.seed (the same
metadata ``make bench`` seeds), so the numbers measure our code, not Solr or
PostgreSQL:

* one /catalog.ttl page of 100 datasets serialized with
  ``euro_dcat_ap_3 bdom_dcat_ap_pl`` against ``euro_dcat_ap_3`` alone (goal:
  ratio at most 1.2);
* a CONSTRUCT of the whole catalogue as /sparql answers it (RDF/XML): cold
  (the graph built first, as after a change) and warm (the graph reused);
* /dane-gov-pl.xml: time, and peak memory traced by tracemalloc.

Runs against test.ini (the CKAN_* variables pick the databases); needs Solr
and Redis up (``make services``). ``--write`` adds the table to
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import random
import statistics
import subprocess
import time
import tracemalloc
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.bench import docs
from tests.bench.seed import STEWARDS, dataset

REPO = Path(__file__).resolve().parents[2]
PAGE = 100
GOAL = 1.2
EVERYTHING = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
NAMESPACE = uuid.UUID("6f1c3c1e-1b7e-4d1e-9c55-247401100000")  # any fixed UUID


def shown(i: int, rng: random.Random) -> dict[str, Any]:
    """Seed dataset ``i`` as package_show gives it once published."""
    data = dataset(i, rng, "bdom")
    dataset_id = str(uuid.uuid5(NAMESPACE, data["name"]))
    stamp = (dt.datetime(2026, 1, 1) + dt.timedelta(minutes=i)).isoformat()
    owner, title = STEWARDS[i % len(STEWARDS)]
    resources = [
        {
            **resource,
            "id": str(uuid.uuid5(NAMESPACE, f"{data['name']}/{n}")),
            "package_id": dataset_id,
            "url": resource["url"].replace("http://127.0.0.1:9", "https://dane.example.invalid"),
            "created": stamp,
            "metadata_modified": stamp,
        }
        for n, resource in enumerate(data.pop("resources"))
    ]
    tags = [{"name": tag} for tag in data.pop("tag_string").split(",")]
    return {
        **data,
        "id": dataset_id,
        "type": "dataset",
        "state": "active",
        "private": False,
        "bdom_status": "published",
        "tags": tags,
        "resources": resources,
        "license_title": "CC BY 4.0",
        "license_url": "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0",
        "organization": {"id": owner, "name": owner, "title": title},
        "metadata_created": stamp,
        "metadata_modified": stamp,
        "spatial_coverage": [{"bdom_teryt": "2474011", "text": "Siemianowice Śląskie"}],
        "bdom_condition_source": "true",
        "bdom_has_dynamic_data": "false",
        "bdom_has_high_value_data": "false",
        "bdom_has_research_data": "false",
    }


def timed(run: Callable[[], Any], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return times


def catalogue_page(datasets: list[dict[str, Any]], profiles: list[str]) -> str:
    from ckanext.dcat.processors import RDFSerializer

    return RDFSerializer(profiles=profiles).serialize_catalog({}, datasets, _format="ttl")


def construct(graph: Any) -> bytes:
    from ckanext.bdom.danegovpl import sparql

    query = sparql.parse(EVERYTHING)
    return graph.query(query).graph.serialize(format="xml", encoding="utf-8")


def peak_mib(run: Callable[[], Any]) -> float:
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def measure(n: int) -> list[tuple[str, int, float, str]]:
    """(operation, runs, median ms, note) rows for a catalogue of ``n``."""
    from ckanext.bdom.danegovpl import graph, xml_export

    rng = random.Random(37120)
    datasets = [shown(i, rng) for i in range(n)]
    repeat = 3 if n <= 1000 else 1
    page = datasets[:PAGE]
    rows = []
    ours = statistics.median(
        timed(lambda: catalogue_page(page, ["euro_dcat_ap_3", "bdom_dcat_ap_pl"]), 10)
    )
    upstream = statistics.median(timed(lambda: catalogue_page(page, ["euro_dcat_ap_3"]), 10))
    ratio = ours / upstream
    verdict = "met" if ratio <= GOAL else "NOT met"
    rows.append(("/catalog.ttl page of 100, euro_dcat_ap_3 alone", 10, upstream, ""))
    rows.append(
        (
            "/catalog.ttl page of 100, + bdom_dcat_ap_pl",
            10,
            ours,
            f"ratio {ratio:.2f} (goal ≤ {GOAL}: {verdict})",
        )
    )
    built: dict[str, Any] = {}

    def cold() -> None:
        built["graph"] = graph.build(datasets)
        construct(built["graph"])

    cold_ms = timed(cold, 1)[0]
    triples = len(built["graph"])
    rows.append(
        ("SPARQL CONSTRUCT of everything, cold (graph built)", 1, cold_ms, f"{triples} triples")
    )
    warm = statistics.median(timed(lambda: construct(built["graph"]), repeat))
    rows.append(("SPARQL CONSTRUCT of everything, warm", repeat, warm, "RDF/XML"))
    built.clear()
    xml_ms = statistics.median(timed(lambda: xml_export.render(datasets), repeat))
    size = len(xml_export.render(datasets) or "") / 2**20
    memory = peak_mib(lambda: xml_export.render(datasets))
    rows.append(
        ("/dane-gov-pl.xml", repeat, xml_ms, f"{size:.1f} MiB, peak {memory:.0f} MiB traced")
    )
    return rows


def table(results: dict[int, list[tuple[str, int, float, str]]]) -> str:
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
    ).stdout.strip()
    lines = [
        f"## {dt.date.today().isoformat()} — dane.gov.pl routes, commit {commit}",
        "",
        f"Machine: {platform.machine()}, Python {platform.python_version()}; "
        "`python -m tests.bench.danegovpl` in one process, datasets as package_show "
        "dicts from `tests.bench.seed` (no Solr or PostgreSQL in the timings).",
        "",
        "| N | operation | runs | median ms | note |",
        "|---:|---|---:|---:|---|",
    ]
    for n, rows in results.items():
        for operation, runs, median, note in rows:
            lines.append(f"| {n} | {operation} | {runs} | {median:.0f} | {note} |")
    return "\n".join(lines) + "\n"


def write(section: str) -> None:
    docs.add_section(section)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, nargs="+", default=[1000])
    parser.add_argument("--ini", default=str(REPO / "test.ini"))
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()

    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(args.ini))
    with app._wsgi_app.test_request_context():
        results = {n: measure(n) for n in args.n}
    section = table(results)
    print(section)
    if args.write:
        write(section)


if __name__ == "__main__":
    main()
