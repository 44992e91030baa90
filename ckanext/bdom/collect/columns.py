"""The column dictionary of a resource (``bdom_columns``), pure Python.

A resource describes its file's columns in ``bdom_columns``: a list of
``{name, type, unit, description, allowed_values, required, key}`` (or the
same list as a JSON string, as the API may hand it over). ``columns_of``
reads it into ``Column`` objects; ``datastore_fields`` gives the DataStore
fields of the normalised CSV that ``validate.validate_file`` writes.

Rules the validator and the forms share:

* The year column is the first column named ``rok`` or ``year`` (letter
  case, diacritics and a unit in brackets ignored): ``year_column``.
* The normalised CSV has the dictionary's columns in dictionary order, then
  one extra text column ``FLAG_COLUMN`` (``znak_gus``). It is empty when no
  Statistics Poland (GUS) sign was used in the row; otherwise it lists
  ``column=sign`` pairs separated by ``"; "``, e.g. ``ludnosc=-; dochody=x``,
  where the sign is ``-`` (phenomenon did not occur), ``.`` (data not
  available) or ``x`` (not applicable). The cell of such a column is empty.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

TYPES = ("text", "integer", "decimal", "date", "boolean")
YEAR_NAMES = ("rok", "year")
FLAG_COLUMN = "znak_gus"
GUS_SIGNS = {
    "-": ("zjawisko nie wystąpiło", "the phenomenon did not occur"),
    ".": ("brak informacji", "data not available"),
    "x": ("wypełnienie pozycji niemożliwe lub niecelowe", "not applicable"),
}
DATASTORE_TYPES = {
    "text": "text",
    "integer": "int",
    "decimal": "numeric",
    "date": "date",
    "boolean": "bool",
}
_TRUE = ("true", "yes", "tak", "on", "1", "t", "y")
_UNIT = re.compile(r"\s*[\[(]([^\[\]()]*)[\])]\s*$")
_SPACES = re.compile(r"[\s_\-]+")
_EXTRA_LETTERS = str.maketrans({"ł": "l", "Ł": "l", "ø": "o", "ß": "ss"})


@dataclass(frozen=True)
class Column:
    name: str
    type: str = "text"  # text|integer|decimal|date|boolean
    unit: str = ""
    description: str = ""
    allowed_values: tuple[str, ...] = ()
    required: bool = False
    key: bool = False


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return str(value or "").strip().lower() in _TRUE


def _allowed(value: Any) -> tuple[str, ...]:
    """Allowed values from a list or the form's text (``tak, nie`` or one per line)."""
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        parts: Iterable[Any]
        if "\n" in value:
            parts = value.splitlines()
        elif ";" in value:
            parts = value.split(";")
        else:
            parts = value.split(",")
    else:
        parts = value
    return tuple(dict.fromkeys(text for text in (str(p).strip() for p in parts) if text))


def column_from_dict(data: Mapping[str, Any]) -> Column:
    kind = str(data.get("type") or "text").strip().lower()
    return Column(
        name=str(data.get("name") or "").strip(),
        type=kind if kind in TYPES else "text",
        unit=str(data.get("unit") or "").strip(),
        description=str(data.get("description") or "").strip(),
        allowed_values=_allowed(data.get("allowed_values")),
        required=_flag(data.get("required")),
        key=_flag(data.get("key")),
    )


def columns_of(resource: Mapping[str, Any]) -> list[Column]:
    """The resource's column dictionary (``bdom_columns``); unnamed entries skipped."""
    raw = resource.get("bdom_columns") if isinstance(resource, Mapping) else None
    if isinstance(raw, str):
        try:
            raw = json.loads(raw) if raw.strip() else []
        except ValueError:
            raw = []
    columns = [column_from_dict(item) for item in raw or [] if isinstance(item, Mapping)]
    return [column for column in columns if column.name]


def columns_from_json(data: Any) -> list[Column]:
    """Columns from a JSON document: a list, ``{"bdom_columns": [...]}`` or a resource."""
    if isinstance(data, Mapping) and "resources" in data and "bdom_columns" not in data:
        for resource in data.get("resources") or []:
            found = columns_of(resource)
            if found:
                return found
        return []
    if isinstance(data, Mapping):
        return columns_of(data)
    return columns_of({"bdom_columns": data})


def plain_name(text: Any) -> str:
    """A header or column name for matching: no unit in brackets, letter case,
    diacritics, or spacing (``Ludność [osoby]`` → ``ludnosc``)."""
    value = str(text or "").replace("\u00a0", " ").strip()
    value = _UNIT.sub("", value)
    value = unicodedata.normalize("NFKD", value.translate(_EXTRA_LETTERS))
    value = "".join(ch for ch in value if not unicodedata.combining(ch)).lower()
    return _SPACES.sub("_", value).strip("_")


def unit_in(text: Any) -> str | None:
    """The unit in brackets at the end of a header cell (``Ludność [osoby]``)."""
    match = _UNIT.search(str(text or "").replace("\u00a0", " "))
    return match.group(1).strip() if match else None


def plain_unit(text: Any) -> str:
    """A unit for comparing: letter case, diacritics, spaces and dots ignored."""
    value = plain_name(f"x{text}").removeprefix("x") if text else ""
    return value.replace("_", "").replace(".", "")


def year_column(columns: Sequence[Column]) -> Column | None:
    """The first column named ``rok`` or ``year`` (any case, unit ignored)."""
    for column in columns:
        if plain_name(column.name) in YEAR_NAMES:
            return column
    return None


def key_columns(columns: Sequence[Column]) -> list[Column]:
    return [column for column in columns if column.key]


def output_names(columns: Sequence[Column]) -> list[str]:
    """The header of the normalised CSV: dictionary columns, then the flag column."""
    return [column.name for column in columns] + [flag_column(columns)]


def flag_column(columns: Sequence[Column]) -> str:
    """``znak_gus``, or ``znak_gus_2``… when the dictionary already has that name."""
    taken = {column.name for column in columns}
    name, number = FLAG_COLUMN, 1
    while name in taken:
        number += 1
        name = f"{FLAG_COLUMN}_{number}"
    return name


def datastore_fields(columns: Sequence[Column]) -> list[dict[str, Any]]:
    """DataStore fields of the normalised CSV, typed by the dictionary (never guessed)."""
    fields: list[dict[str, Any]] = []
    for column in columns:
        info = {"label": column.name, "notes": column.description, "unit": column.unit}
        fields.append(
            {"id": column.name, "type": DATASTORE_TYPES.get(column.type, "text"), "info": info}
        )
    fields.append(
        {
            "id": flag_column(columns),
            "type": "text",
            "info": {
                "label": "Znak GUS / Statistics Poland sign",
                "notes": (
                    "Kolumny, w których podano znak GUS zamiast wartości (kolumna=znak; "
                    "„-” zjawisko nie wystąpiło, „.” brak informacji, „x” nie dotyczy). / "
                    "Columns where a Statistics Poland sign stood for the value (column=sign; "
                    "“-” none, “.” data not available, “x” not applicable)."
                ),
                "unit": "",
            },
        }
    )
    return fields
