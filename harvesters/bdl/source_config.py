"""The ``bdl`` harvest source configuration: parsing and validation.

Pure Python (no CKAN), so the form's messages are testable as they are. Every
message carries both languages: "Polski tekst. / English text."

Keys (all optional)::

    {
      "units": ["012414874011", "012414874000"],  # the city (gmina, powiat)
      "comparison_units": ["012400000000", "000000000000"],  # Śląskie, Poland
      "topics": ["ludnosc", "rynek-pracy"],   # curated topics; default: all
      "variables": [60559, 64428],            # more variables, grouped by BDL subject
      "subjects": ["P2425"],                  # whole BDL subjects, one dataset each
      "year_from": 2010, "year_to": 2024,     # default: every year BDL has
      "lang": "pl",                            # pl | en
      "publish": true,                         # publish harvested datasets
      "notice": "",                            # a line added to every description
      "full_refresh_days": 7                   # re-read all data at least this often
    }
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

CITY_UNITS = ("012414874011", "012414874000")
COMPARISON_UNITS = ("012400000000", "000000000000")
KNOWN_KEYS = {
    "units",
    "comparison_units",
    "topics",
    "variables",
    "subjects",
    "year_from",
    "year_to",
    "lang",
    "publish",
    "notice",
    "full_refresh_days",
}
_UNIT = re.compile(r"^\d{12}$")
_SUBJECT = re.compile(r"^P\d{1,6}$")


class ConfigError(ValueError):
    """The configuration is wrong; ``str()`` is the bilingual message."""


def catalogue() -> list[dict[str, Any]]:
    """The curated default set (ISO 37120 + city profile), shipped as JSON."""
    text = (resources.files(__package__) / "default_set.json").read_text(encoding="utf-8")
    return json.loads(text)["topics"]


@dataclass
class SourceConfig:
    units: list[str] = field(default_factory=lambda: list(CITY_UNITS))
    comparison_units: list[str] = field(default_factory=lambda: list(COMPARISON_UNITS))
    topics: list[str] | None = None  # None = every curated topic
    variables: list[int] = field(default_factory=list)
    subjects: list[str] = field(default_factory=list)
    year_from: int | None = None
    year_to: int | None = None
    lang: str = "pl"
    publish: bool = True
    notice: str = ""
    full_refresh_days: int = 7

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _units(value: Any, key: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(u, str) for u in value):
        raise ConfigError(
            f"„{key}” musi być listą identyfikatorów jednostek BDL w cudzysłowie, np. "
            f'["012414874011"]. / "{key}" must be a list of quoted BDL unit ids, e.g. '
            '["012414874011"].'
        )
    wrong = [u for u in value if not _UNIT.match(u)]
    if wrong:
        raise ConfigError(
            f"Niepoprawne identyfikatory jednostek BDL w „{key}”: {', '.join(wrong)}; "
            "identyfikator ma 12 cyfr razem z zerami na początku, np. 012414874011. / "
            f'Invalid BDL unit ids in "{key}": {", ".join(wrong)}; an id has 12 digits, '
            "leading zeros included, e.g. 012414874011."
        )
    return list(dict.fromkeys(value))


def _year(value: Any, key: str) -> int | None:
    if value is None:
        return None
    this_year = dt.date.today().year
    if isinstance(value, bool) or not isinstance(value, int) or not 1995 <= value <= this_year:
        raise ConfigError(
            f"„{key}” musi być rokiem od 1995 do {this_year} (liczbą, bez cudzysłowu). / "
            f'"{key}" must be a year from 1995 to {this_year} (a number, unquoted).'
        )
    return value


def parse(text: str | None) -> SourceConfig:
    """The configuration from the source's JSON; ConfigError says what is wrong."""
    if not text or not text.strip():
        return SourceConfig()
    try:
        data = json.loads(text)
    except ValueError as error:
        raise ConfigError(
            f"Konfiguracja nie jest poprawnym JSON-em ({error}). / "
            f"The configuration is not valid JSON ({error})."
        ) from None
    if not isinstance(data, dict):
        raise ConfigError(
            'Konfiguracja musi być obiektem JSON, np. {"topics": ["ludnosc"]}. / '
            'The configuration must be a JSON object, e.g. {"topics": ["ludnosc"]}.'
        )
    unknown = sorted(set(data) - KNOWN_KEYS)
    if unknown:
        raise ConfigError(
            f"Nieznane klucze konfiguracji: {', '.join(unknown)}; dozwolone: "
            f"{', '.join(sorted(KNOWN_KEYS))}. / Unknown configuration keys: "
            f"{', '.join(unknown)}; allowed: {', '.join(sorted(KNOWN_KEYS))}."
        )
    config = SourceConfig()
    if "units" in data:
        config.units = _units(data["units"], "units")
        if not config.units:
            raise ConfigError(
                "Podaj co najmniej jedną jednostkę miasta w „units”. / "
                'Give at least one city unit in "units".'
            )
    if "comparison_units" in data:
        config.comparison_units = _units(data["comparison_units"], "comparison_units")
    known_topics = [t["key"] for t in catalogue()]
    if "topics" in data:
        topics = data["topics"]
        if topics == "all":
            topics = None
        elif not isinstance(topics, list) or not all(isinstance(t, str) for t in topics):
            raise ConfigError(
                '„topics” musi być listą nazw tematów albo "all". / '
                '"topics" must be a list of topic names or "all".'
            )
        else:
            wrong = [t for t in topics if t not in known_topics]
            if wrong:
                raise ConfigError(
                    f"Nieznane tematy: {', '.join(wrong)}; dostępne: {', '.join(known_topics)}. / "
                    f"Unknown topics: {', '.join(wrong)}; available: {', '.join(known_topics)}."
                )
        config.topics = topics
    if "variables" in data:
        variables = data["variables"]
        if not isinstance(variables, list) or not all(
            isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in variables
        ):
            raise ConfigError(
                "„variables” musi być listą identyfikatorów zmiennych BDL (liczb dodatnich), "
                'np. [60559, 64428]. / "variables" must be a list of BDL variable ids '
                "(positive numbers), e.g. [60559, 64428]."
            )
        config.variables = list(dict.fromkeys(variables))
    if "subjects" in data:
        subjects = data["subjects"]
        if not isinstance(subjects, list) or not all(
            isinstance(s, str) and _SUBJECT.match(s) for s in subjects
        ):
            raise ConfigError(
                '„subjects” musi być listą podgrup BDL (zawierają zmienne), np. ["P2425"]. / '
                '"subjects" must be a list of BDL subgroups (they hold the variables), '
                'e.g. ["P2425"].'
            )
        config.subjects = list(dict.fromkeys(subjects))
    config.year_from = _year(data.get("year_from"), "year_from")
    config.year_to = _year(data.get("year_to"), "year_to")
    if config.year_from and config.year_to and config.year_from > config.year_to:
        raise ConfigError(
            '„year_from” jest późniejszy niż „year_to”. / "year_from" is after "year_to".'
        )
    if "lang" in data:
        if data["lang"] not in ("pl", "en"):
            raise ConfigError(
                '„lang” musi mieć wartość "pl" albo "en". / "lang" must be "pl" or "en".'
            )
        config.lang = data["lang"]
    if "publish" in data:
        if not isinstance(data["publish"], bool):
            raise ConfigError(
                '„publish” musi mieć wartość true albo false. / "publish" must be true or false.'
            )
        config.publish = data["publish"]
    if "notice" in data:
        if not isinstance(data["notice"], str):
            raise ConfigError('„notice” musi być tekstem. / "notice" must be text.')
        config.notice = data["notice"].strip()
    if "full_refresh_days" in data:
        days = data["full_refresh_days"]
        if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= 365:
            raise ConfigError(
                "„full_refresh_days” musi być liczbą dni od 0 do 365. / "
                '"full_refresh_days" must be a number of days from 0 to 365.'
            )
        config.full_refresh_days = days
    if config.topics == [] and not config.variables and not config.subjects:
        raise ConfigError(
            "Nie wybrano żadnych danych: podaj „topics”, „variables” albo „subjects”. / "
            'Nothing selected: give "topics", "variables" or "subjects".'
        )
    return config
