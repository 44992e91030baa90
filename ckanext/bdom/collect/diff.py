"""What changed between two normalised CSV files, by key columns (pure).

Streams both files: memory holds one short digest per key of the old file
and at most ``limit`` example rows per kind of change; the counts cover
every row.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

LIMIT = 200


@dataclass(frozen=True)
class Change:
    key: tuple[str, ...]
    cells: tuple[tuple[str, str, str], ...]  # (column, old, new) of the changed cells


@dataclass
class Diff:
    columns: list[str]
    keys: list[str]
    added_count: int = 0
    changed_count: int = 0
    removed_count: int = 0
    unchanged_count: int = 0
    added: list[dict[str, str]] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    removed: list[dict[str, str]] = field(default_factory=list)
    added_columns: list[str] = field(default_factory=list)
    removed_columns: list[str] = field(default_factory=list)

    @property
    def first(self) -> bool:
        """No earlier version: every row is new."""
        return not self.removed_count and not self.changed_count and not self.unchanged_count

    def to_dict(self) -> dict[str, object]:
        return {
            "keys": self.keys,
            "counts": {
                "added": self.added_count,
                "changed": self.changed_count,
                "removed": self.removed_count,
                "unchanged": self.unchanged_count,
            },
            "added": self.added,
            "changed": [
                {
                    "key": list(c.key),
                    "cells": [{"column": n, "old": o, "new": v} for n, o, v in c.cells],
                }
                for c in self.changed
            ],
            "removed": self.removed,
            "added_columns": self.added_columns,
            "removed_columns": self.removed_columns,
        }


def _rows(path: Path | None) -> Iterator[dict[str, str]]:
    if path is None or not path.exists():
        return
    with path.open(encoding="utf-8-sig", newline="") as stream:
        for row in csv.DictReader(stream):
            yield {k: (v or "") for k, v in row.items() if k is not None}


def _header(path: Path | None) -> list[str]:
    if path is None or not path.exists():
        return []
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return next(csv.reader(stream), [])


def _canonical(value: str) -> str:
    """A number as its value (``3482.0`` and ``3482`` are the same)."""
    try:
        number = Decimal(value)
    except InvalidOperation:
        return value
    return format(number.normalize(), "f") if number.is_finite() else value


def _comparable(
    row: dict[str, str], columns: Sequence[str], numeric: Collection[str]
) -> tuple[str, ...]:
    return tuple(_canonical(row.get(c, "")) if c in numeric else row.get(c, "") for c in columns)


def _digest(values: tuple[str, ...]) -> bytes:
    joined = "\x1f".join(values)
    return hashlib.blake2b(joined.encode("utf-8"), digest_size=12).digest()


def diff_csv(
    old: Path | None,
    new: Path,
    keys: Sequence[str],
    numeric: Collection[str] = (),
    limit: int = LIMIT,
) -> Diff:
    """Rows added, changed (old → new per cell) and removed from ``old`` to
    ``new``, identified by ``keys`` (the whole row when no key is given).
    Cells of ``numeric`` columns are compared by value."""
    old_columns, new_columns = _header(old), _header(new)
    common = [c for c in new_columns if c in old_columns] if old_columns else new_columns
    key_columns = [k for k in keys if k in new_columns] or list(common)
    result = Diff(
        columns=new_columns,
        keys=key_columns,
        added_columns=[c for c in new_columns if old_columns and c not in old_columns],
        removed_columns=[c for c in old_columns if c not in new_columns],
    )

    def key_of(row: dict[str, str]) -> tuple[str, ...]:
        return _comparable(row, key_columns, numeric)

    def digest(row: dict[str, str]) -> bytes:
        return _digest(_comparable(row, common, numeric))

    before = {key_of(row): digest(row) for row in _rows(old)}
    seen: set[tuple[str, ...]] = set()
    wanted: dict[tuple[str, ...], dict[str, str]] = {}  # changed key -> new row
    for row in _rows(new):
        key = key_of(row)
        if key in seen:
            continue
        seen.add(key)
        stored = before.get(key)
        if stored is None:
            result.added_count += 1
            if len(result.added) < limit:
                result.added.append(row)
        elif stored != digest(row):
            result.changed_count += 1
            if len(wanted) < limit:
                wanted[key] = row
        else:
            result.unchanged_count += 1
    gone = [key for key in before if key not in seen]
    result.removed_count = len(gone)
    removed_keys = set(gone[:limit])
    if wanted or removed_keys:
        for row in _rows(old):
            key = key_of(row)
            if key in wanted:
                new_row = wanted[key]
                cells = tuple(
                    (c, row.get(c, ""), new_row.get(c, ""))
                    for c in common
                    if _comparable(row, [c], numeric) != _comparable(new_row, [c], numeric)
                )
                result.changed.append(Change(key, cells))
                del wanted[key]
            elif key in removed_keys:
                result.removed.append(row)
                removed_keys.discard(key)
    return result
