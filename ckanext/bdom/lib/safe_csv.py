"""CSV that spreadsheet programs open safely and correctly.

* UTF-8 with a byte order mark and ``;`` separators, as Excel with Polish
  regional settings expects;
* a text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
  return gets a leading apostrophe, so it is never run as a formula (OWASP
  "CSV injection").
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """``value`` unchanged, except text that a spreadsheet would run as a formula."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def excel_csv(header: Iterable[Any], rows: Iterable[Iterable[Any]]) -> bytes:
    """The rows as UTF-8 CSV with a BOM and ``;`` separators, cells made safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def download(body: bytes, filename: str) -> Any:
    """A Flask response that makes the browser save ``body`` as ``filename``."""
    from flask import Response

    return Response(
        body,
        mimetype="text/csv",
        headers={
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": f'attachment; filename="{filename}"',
        },
    )
