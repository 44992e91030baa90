"""Validation and normalisation of a steward's file (pure Python + pandas).

``validate_file`` reads a CSV or XLSX as Polish offices export them, says
what it detected (format, encoding, separator, decimal mark, thousands
separator, header row, sheet), checks every row against the column
dictionary and, when there is no error, writes the normalised UTF-8 CSV.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ckanext.bdom.collect.columns import Column

ERROR = "error"
WARNING = "warning"


@dataclass
class Problem:
    """One thing wrong with the file, in Polish and English.

    ``row`` is the row number as the steward sees it (the line of a CSV, the
    row of the XLSX sheet), ``None`` for the whole file; ``column`` the
    header's name or ``None``.
    """

    code: str
    message_pl: str
    message_en: str
    fix_pl: str = ""
    fix_en: str = ""
    row: int | None = None
    column: str | None = None
    severity: str = ERROR

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Detected:
    """What the validator found out about the file."""

    format: str = ""  # csv | xlsx | "" (not tabular)
    encoding: str = ""  # utf-8, utf-8-sig, cp1250, iso-8859-2 ("" for xlsx)
    separator: str = ""  # ; , \t
    decimal: str = ""  # , or .
    thousands: str = ""  # "" | space | nbsp | narrow nbsp | . | ,
    header_row: int | None = None  # 1-based
    sheet: str = ""
    units_row: int | None = None
    columns: list[str] = field(default_factory=list)  # the header as found

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ValidationResult:
    detected: Detected = field(default_factory=Detected)
    problems: list[Problem] = field(default_factory=list)
    row_count: int = 0  # data rows written (totals rows and notes excluded)
    omitted: dict[str, int] = field(default_factory=dict)  # problems left out, per code
    gus_signs: int = 0  # cells where a GUS sign stood for the value

    @property
    def ok(self) -> bool:
        return not any(p.severity == ERROR for p in self.problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    @property
    def summary_pl(self) -> str:
        raise NotImplementedError

    @property
    def summary_en(self) -> str:
        raise NotImplementedError

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "detected": self.detected.to_dict(),
            "row_count": self.row_count,
            "problems": [p.to_dict() for p in self.problems],
            "omitted": dict(self.omitted),
            "gus_signs": self.gus_signs,
            "summary_pl": self.summary_pl,
            "summary_en": self.summary_en,
        }


def validate_file(
    source: Path,
    columns: Sequence[Column],
    *,
    years: Sequence[int] | None = None,
    out: Path | None = None,
    original_name: str = "",
) -> ValidationResult:
    """Validate ``source`` against ``columns``; when ok and ``out`` is given,
    write the normalised CSV there. ``source`` is never modified."""
    raise NotImplementedError
