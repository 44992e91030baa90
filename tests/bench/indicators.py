"""Bench of the ISO 37120 computation (pure, no CKAN).

    python -m tests.bench.indicators

Computes every indicator of the catalogue for 20 years × 5 BDL units (the
city's gmina and powiat, Śląskie, Poland, Katowice), with every portal table
and a steward entry for every steward-entered indicator and year, and prints
the wall time (median of 3 runs) and the peak memory (tracemalloc) of
``compute_all``.
"""

from __future__ import annotations

import statistics
import time
import tracemalloc

import pandas as pd

from ckanext.bdom.indicators import catalogue
from ckanext.bdom.indicators.compute import Inputs, Table, compute_all

UNITS = ("012414874011", "012414874000", "012400000000", "000000000000", "012414869000")
YEARS = range(2005, 2025)
GOAL_SECONDS, GOAL_MB = 2.0, 100


def inputs(cat: catalogue.Catalogue) -> Inputs:
    terms = [t for i in cat.indicators for t in catalogue.terms(i)]
    bdl = pd.DataFrame(
        [
            {
                "unit_id": unit,
                "unit_name": unit,
                "variable_id": term["bdl_variable"],
                "year": year,
                "value": 1000 + year % 7,
                "measure_unit": term["measure"],
                "flag": "",
            }
            for term in terms
            if "bdl_variable" in term
            for unit in UNITS
            for year in YEARS
        ]
    ).drop_duplicates(["unit_id", "variable_id", "year"])
    columns: dict[str, set[str]] = {}
    for term in terms:
        if "dataset" in term:
            columns.setdefault(term["dataset"], set()).add(term["column"])
    tables = {
        name: [Table(pd.DataFrame({"rok": list(YEARS), **{c: [5.0] * 20 for c in cols}}), name)]
        for name, cols in columns.items()
    }
    entries = pd.DataFrame(
        [
            {"indicator": i["id"], "year": year, "value": 1.5, "source": "bench", "note": ""}
            for i in cat.indicators
            if i["compute"]["kind"] == "steward"
            for year in YEARS
        ]
    )
    return Inputs(UNITS[0], "Siemianowice Śląskie", bdl, tables, entries)


def main() -> None:
    cat = catalogue.load()
    given = inputs(cat)
    times = []
    for _ in range(3):
        started = time.perf_counter()
        results = compute_all(cat.indicators, given)
        times.append(time.perf_counter() - started)
    tracemalloc.start()
    compute_all(cat.indicators, given)
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    wall = statistics.median(times)
    print(
        f"ISO 37120: {len(cat.indicators)} indicators, {len(given.bdl)} BDL rows, "
        f"{len(results.rows)} values, errors {len(results.errors)}\n"
        f"wall time (median of 3) {wall:.2f} s (goal ≤ {GOAL_SECONDS} s: "
        f"{'met' if wall <= GOAL_SECONDS else 'NOT met'}); peak memory {peak:.1f} MB "
        f"(goal ≤ {GOAL_MB} MB: {'met' if peak <= GOAL_MB else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
