"""Seed a portal with N datasets of realistic Polish city metadata.

    python -m tests.bench.seed --ini FILE --n 1000 --profile bdom|stock

The same seed gives the same datasets on both portals; ``bdom`` adds the
fields its schema requires. Already seeded datasets are skipped.
"""

from __future__ import annotations

import argparse
import random
from typing import Any

import click

TOPICS = [
    ("Ludność", "ludność"),
    ("Urodzenia żywe", "demografia"),
    ("Zgony", "demografia"),
    ("Migracje", "migracje"),
    ("Bezrobocie rejestrowane", "rynek pracy"),
    ("Mieszkania oddane do użytkowania", "mieszkalnictwo"),
    ("Zużycie wody", "wodociągi"),
    ("Odpady komunalne", "odpady"),
    ("Jakość powietrza", "środowisko"),
    ("Uczniowie szkół podstawowych", "edukacja"),
    ("Porady lekarskie", "zdrowie"),
    ("Podmioty gospodarcze REGON", "gospodarka"),
    ("Dochody budżetu", "finanse publiczne"),
    ("Wydatki budżetu", "finanse publiczne"),
    ("Wypadki drogowe", "transport"),
    ("Wypożyczenia w bibliotekach", "kultura"),
    ("Interwencje straży miejskiej", "bezpieczeństwo"),
    ("Zieleń miejska", "środowisko"),
    ("Ścieżki rowerowe", "transport"),
    ("Świadczenia pomocy społecznej", "pomoc społeczna"),
]
DISTRICTS = [
    "Centrum",
    "Bytków",
    "Michałkowice",
    "Bańgów",
    "Przełajka",
    "Tuwima",
    "Węzłowiec",
    "Maciejkowice",
    "Pszczelnik",
    "Osiedle Chemik",
]
STEWARDS = [
    ("wydzial-spraw-obywatelskich", "Wydział Spraw Obywatelskich"),
    ("wydzial-geodezji", "Wydział Geodezji i Kartografii"),
    ("miejski-osrodek-pomocy-spolecznej", "Miejski Ośrodek Pomocy Społecznej"),
    ("straz-miejska", "Straż Miejska"),
    ("glowny-urzad-statystyczny", "Główny Urząd Statystyczny"),
]
EU = "http://publications.europa.eu/resource/authority/"
THEMES = ["SOCI", "ECON", "EDUC", "ENVI", "HEAL", "TRAN", "GOVE", "REGI", "JUST"]


def dataset(i: int, rng: random.Random, profile: str) -> dict[str, Any]:
    topic, tag = TOPICS[i % len(TOPICS)]
    district = DISTRICTS[(i // len(TOPICS)) % len(DISTRICTS)]
    year = 2010 + i % 15
    data: dict[str, Any] = {
        "name": f"bench-{i:05d}",
        "title": f"{topic} — {district} {year}",
        "notes": (
            f"{topic} w dzielnicy {district} w roku {year}. Dane zebrane przez gestora "
            f"i zweryfikowane przez pełnomocnika ds. otwartych danych. Wartości roczne "
            f"według stanu na 31 grudnia; metodologia zgodna z GUS."
        ),
        "tag_string": ",".join(sorted({tag, district.lower(), str(year), "siemianowice"})),
        "owner_org": STEWARDS[i % len(STEWARDS)][0],
        "license_id": "cc-by",
        "resources": [
            {
                "name": f"{topic} {year} (CSV)",
                "format": "CSV",
                "url": f"http://127.0.0.1:9/pliki/{i:05d}.csv",
                "description": "Dane w formacie CSV (UTF-8, przecinek).",
            },
            {
                "name": f"{topic} {year} (XLSX)",
                "format": "XLSX",
                "url": f"http://127.0.0.1:9/pliki/{i:05d}.xlsx",
            },
        ],
    }
    if profile == "bdom":
        data.update(
            frequency=EU + "frequency/ANNUAL",
            theme=[EU + "data-theme/" + rng.choice(THEMES)],
            contact=[{"name": "Koordynator gestora", "email": "dane@example.invalid"}],
            temporal_coverage=[{"start": f"{year}-01-01", "end": f"{year}-12-31"}],
            bdom_source=rng.choice(["own", "gus_bdl", "external"]),
        )
    return data


def seed(n: int, profile: str) -> int:
    import ckan.plugins.toolkit as tk

    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]

    def context() -> dict[str, Any]:
        return {"user": site_user, "ignore_auth": True}

    for name, title in STEWARDS:
        try:
            tk.get_action("organization_show")(context(), {"id": name})
        except tk.ObjectNotFound:
            tk.get_action("organization_create")(context(), {"name": name, "title": title})
    existing = set(tk.get_action("package_list")(context(), {}))
    rng = random.Random(37120)
    created = 0
    with click.progressbar(range(n), label=f"Seeding {profile}") as numbers:
        for i in numbers:
            data = dataset(i, rng, profile)
            if data["name"] in existing:
                continue
            created_dataset = tk.get_action("package_create")(context(), data)
            if profile == "bdom":  # residents see what the officer published
                from ckanext.bdom.workflow import transitions

                transitions.bring_to(context(), created_dataset["id"], "published")
            created += 1
    return created


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ini", required=True)
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--profile", choices=["bdom", "stock"], required=True)
    args = parser.parse_args()

    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(args.ini))
    with app._wsgi_app.test_request_context():
        created = seed(args.n, args.profile)
    print(f"{args.profile}: {created} datasets created")


if __name__ == "__main__":
    main()
