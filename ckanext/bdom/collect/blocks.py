"""Plain CSV blocks as byte grids: the fast lane of the upload validator.

A block without quotes whose every line has the header's number of fields is
read without making a Python string per cell. Each column is cut out of the
block's bytes as a fixed-width numpy bytes array (``S`` dtype, NUL padded);
numbers are cleaned byte by byte; keys are hashed and the normalised CSV is
assembled from such arrays. The validator sends what these functions do not
take (quotes, ragged rows, unusual values) through its general path.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

_NEWLINE, _RETURN, _SPACE = 10, 13, 32
_PADDING = 256  # NUL bytes after a block: fields up to this long are cut as windows
_FNV_OFFSET = np.uint64(0xCBF29CE484222325)
_FNV_PRIME = np.uint64(0x100000001B3)
_COLUMN_MARK = np.uint64(0xFF)  # a byte UTF-8 never has: ends each key column
# what a spreadsheet puts between thousands (dropped) and its minus signs
THOUSANDS = (" ", "'", "\u00a0", "\u202f", "\u2009", "\u2007")
MINUSES = ("\u2212", "\u2013", "\u2014")
_QUOTE_BYTES = np.array([ord(c) for c in ',"\n\r'], dtype=np.uint8)


@dataclass
class Grid:
    """Where each field of each line of a block is."""

    data: np.ndarray  # the block's bytes, then ``_PADDING`` NUL bytes
    starts: np.ndarray  # (lines, width) offset of each field's first byte
    ends: np.ndarray  # (lines, width) offset just past each field's last byte
    blank: np.ndarray  # lines without a value (nothing but separators)

    def lengths(self) -> np.ndarray:
        return self.ends - self.starts

    def column(self, position: int) -> np.ndarray:
        """The fields at ``position`` as a fixed-width bytes array."""
        starts = self.starts[:, position]
        return _cut(self.data, starts, self.ends[:, position] - starts)


def grid(data: bytes, separator: str, width: int) -> Grid | None:
    """The fields of a block of whole lines, or None unless every line has
    exactly ``width`` fields and there is no NUL byte."""
    if b"\x00" in data:
        return None
    array = np.frombuffer(data + bytes(_PADDING), dtype=np.uint8)
    line_ends = np.flatnonzero(array == _NEWLINE)
    separators = np.flatnonzero(array == ord(separator))
    lines = len(line_ends)
    if not lines or len(separators) != lines * (width - 1):
        return None
    line_starts = np.concatenate(([0], line_ends[:-1] + 1))
    shaped = separators.reshape(lines, width - 1)
    if width > 1 and ((shaped[:, 0] < line_starts).any() or (shaped[:, -1] > line_ends).any()):
        return None  # some line has fewer fields and another more
    content_ends = line_ends - (array[np.maximum(line_ends - 1, 0)] == _RETURN)
    content_ends = np.maximum(content_ends, line_starts)
    starts = np.empty((lines, width), dtype=np.int64)
    ends = np.empty((lines, width), dtype=np.int64)
    starts[:, 0] = line_starts
    starts[:, 1:] = shaped + 1
    ends[:, :-1] = shaped
    ends[:, -1] = np.maximum(content_ends, starts[:, -1])
    return Grid(array, starts, ends, content_ends - line_starts <= width - 1)


def _cut(array: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The byte ranges ``starts`` + ``lengths`` of ``array`` (which ends with
    ``_PADDING`` NUL bytes) as an ``S`` array."""
    size = len(starts)
    width = int(lengths.max()) if size else 0
    if width == 0:
        return np.zeros(size, dtype="S1")
    if width <= _PADDING:
        cut = np.lib.stride_tricks.sliding_window_view(array, width)[starts]
        cut *= np.arange(width) < lengths[:, None]
    else:
        cut = np.zeros((size, width), dtype=np.uint8)
        for offset in range(width):
            inside = lengths > offset
            cut[inside, offset] = array[starts[inside] + offset]
    return cut.view(f"S{width}").ravel()


def rows_any(flags: np.ndarray) -> np.ndarray:
    """Which rows of a bool matrix have a True (faster than ``any(axis=1)``
    for the few columns of a field)."""
    found = np.zeros(flags.shape[0], dtype=bool)
    for column in range(flags.shape[1]):
        found |= flags[:, column]
    return found


def matrix(values: np.ndarray) -> np.ndarray:
    """The bytes of an ``S`` array as a (values, width) uint8 matrix."""
    return values.view(np.uint8).reshape(len(values), values.dtype.itemsize)


@dataclass
class Texts:
    """An ``S`` array read as text in its encoding, one value at a time."""

    values: np.ndarray
    encoding: str

    def text(self, index: int) -> str:
        return self.values[index].decode(self.encoding, "replace")


@dataclass
class Cleaned:
    """Numbers with the thousands separators made NUL (the padding byte, left
    out of the CSV and of key hashes) and every minus sign ``-``."""

    values: np.ndarray  # ``S`` array, NUL bytes inside
    thousands: dict[str, np.ndarray]  # separator → which values had it


def clean_numbers(values: np.ndarray, encoding: str = "utf-8") -> Cleaned:
    """Blank out the thousands separators and make every minus sign ``-``
    (``values`` in ``encoding``: UTF-8 or a one-byte Polish encoding)."""
    grid_bytes = matrix(values).copy()
    flat = grid_bytes.ravel()
    width = max(values.dtype.itemsize, 1)
    seen: dict[str, np.ndarray] = {}
    wide: list[tuple[str, bytes]] = []
    for char in (*THOUSANDS, *MINUSES):
        try:
            encoded = char.encode(encoding)
        except UnicodeEncodeError:
            continue  # the encoding has no such character
        if len(encoded) > 1:
            wide.append((char, encoded))
            continue
        hit = flat == encoded[0]
        if not hit.any():
            continue
        if char in MINUSES:
            flat[hit] = ord("-")
        else:
            seen[char] = rows_any(hit.reshape(grid_bytes.shape))
            flat[hit] = 0
    leads = np.flatnonzero(flat >= 0xC0) if wide else []  # where UTF-8 sequences start
    if len(leads):
        padded = np.concatenate((flat, np.zeros(2, dtype=np.uint8)))
        for char, encoded in wide:
            found = leads
            for step, byte in enumerate(encoded):
                found = found[padded[found + step] == byte]
            if not len(found):
                continue
            for step in range(len(encoded)):
                flat[found + step] = 0
            if char in MINUSES:
                flat[found] = ord("-")
            else:
                rows = np.zeros(len(values), dtype=bool)
                rows[found // width] = True
                seen[char] = rows
    return Cleaned(grid_bytes.view(values.dtype).ravel(), seen)


def factorize(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(code of each value, distinct values) of an ``S`` array, in order of
    appearance: pandas' hash table over the values' 8-byte words, one word
    at a time (numpy's ``unique`` sorts)."""
    size = len(values)
    words = -(-values.dtype.itemsize // 8)
    padded = np.zeros((size, words * 8), dtype=np.uint8)
    padded[:, : values.dtype.itemsize] = matrix(values)
    keys = padded.view(np.uint64)
    codes = np.zeros(size, dtype=np.int64)
    for word in range(words):
        part, distinct = pd.factorize(keys[:, word])
        codes, _ = pd.factorize(codes * len(distinct) + part)
    first = np.empty(int(codes.max()) + 1 if size else 0, dtype=np.int64)
    first[codes[::-1]] = np.arange(size - 1, -1, -1)
    return codes, values[first]


def replace_byte(values: np.ndarray, old: str, new: str) -> np.ndarray:
    """``values`` with the ASCII character ``old`` replaced by ``new`` (in place)."""
    grid_bytes = matrix(values)
    grid_bytes[grid_bytes == ord(old)] = ord(new)
    return values


def has_byte(values: np.ndarray, char: str) -> np.ndarray:
    """Which values hold the ASCII character ``char``."""
    return rows_any(matrix(values) == ord(char))


def plain_numbers(values: np.ndarray, integer: bool) -> np.ndarray:
    """Which values are plain numbers: an optional leading ``-``, ASCII
    digits and, unless ``integer``, at most one ``.`` (NUL bytes skipped)."""
    grid_bytes = matrix(values)
    digit = (grid_bytes >= ord("0")) & (grid_bytes <= ord("9"))
    other = ~digit & (grid_bytes != 0)
    rows = np.arange(len(values))
    first = np.argmax(grid_bytes != 0, axis=1)
    other[rows, first] &= grid_bytes[rows, first] != ord("-")
    if integer:
        return ~rows_any(other) & rows_any(digit)
    dots = grid_bytes == ord(".")
    other &= ~dots
    dot_count = np.zeros(len(values), dtype=np.int64)
    for column in range(dots.shape[1]):
        dot_count += dots[:, column]
    return ~rows_any(other) & rows_any(digit) & (dot_count <= 1)


def empty(values: np.ndarray) -> np.ndarray:
    """Which values are empty (their first byte is the padding)."""
    return matrix(values)[:, 0] == 0


def at_most(values: np.ndarray, size: int) -> np.ndarray:
    """Where the values of 1 to ``size`` bytes are (an index array)."""
    grid_bytes = matrix(values)
    short = grid_bytes[:, 0] != 0
    if grid_bytes.shape[1] > size:
        short &= grid_bytes[:, size] == 0
    return np.flatnonzero(short)


def needs_quotes(values: np.ndarray) -> np.ndarray:
    """Which values CSV has to quote (a comma, quote or line break in them)."""
    return rows_any(np.isin(matrix(values), _QUOTE_BYTES))


def starts_with_letter(values: np.ndarray) -> np.ndarray:
    """Which values begin with a space, a letter or a non-ASCII character
    (the candidates for a "Razem" totals row)."""
    first = matrix(values)[:, 0]
    lower = first | 0x20
    return (first == _SPACE) | (first >= 0x80) | ((lower >= ord("a")) & (lower <= ord("z")))


def from_texts(texts: Sequence[str]) -> np.ndarray:
    """An ``S`` array of the UTF-8 bytes of ``texts``."""
    encoded = [text.encode("utf-8") for text in texts]
    return np.array(encoded, dtype="S") if encoded else np.zeros(0, dtype="S1")


def to_texts(values: np.ndarray, encoding: str = "utf-8") -> np.ndarray:
    """An object array of the texts of an ``S`` array (blanked bytes left out)."""
    texts = [v.replace(b"\x00", b"").decode(encoding) for v in values.tolist()]
    return np.array(texts, dtype=object)


def put(values: np.ndarray, index: np.ndarray, new: Sequence[bytes]) -> np.ndarray:
    """``values`` with ``new`` at ``index`` (widened when ``new`` is longer)."""
    if not len(index):
        return values
    longest = max((len(v) for v in new), default=0)
    if longest > values.dtype.itemsize:
        values = values.astype(f"S{longest}")
    values[index] = new
    return values


def hashes(columns: Sequence[np.ndarray]) -> np.ndarray:
    """A 64-bit FNV-1a hash of each row of ``S`` columns (a row's bytes but
    NUL, each column ended by a mark), whatever width the arrays have."""
    size = len(columns[0]) if columns else 0
    result = np.full(size, _FNV_OFFSET, dtype=np.uint64)
    for values in columns:
        grid_bytes = matrix(values)
        for offset in range(grid_bytes.shape[1]):
            byte = grid_bytes[:, offset]
            mixed = (result ^ byte.astype(np.uint64)) * _FNV_PRIME
            result = np.where(byte != 0, mixed, result)
        result = (result ^ _COLUMN_MARK) * _FNV_PRIME
    return result


def join_lines(columns: Sequence[np.ndarray]) -> bytes:
    """CSV lines (``,`` between, ``\\n`` after) of already quoted ``S``
    columns; NUL bytes are left out."""
    size = len(columns[0]) if columns else 0
    if not size:
        return b""
    widths = [values.dtype.itemsize for values in columns]
    lines = np.empty((size, sum(widths) + len(columns)), dtype=np.uint8)
    start = 0
    for values, width in zip(columns, widths, strict=True):
        lines[:, start : start + width] = matrix(values)
        lines[:, start + width] = ord(",")
        start += width + 1
    lines[:, -1] = _NEWLINE
    flat = lines.ravel()
    return flat[flat != 0].tobytes()
