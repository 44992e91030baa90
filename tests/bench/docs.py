"""docs/benchmarks.md: where each bench writes its section."""

from __future__ import annotations

from pathlib import Path

DOCS = Path(__file__).resolve().parents[2] / "docs" / "benchmarks.md"


def replace_section(mark: str, section: str) -> None:
    """Put ``section`` first among the sections, instead of the older one
    that starts with ``mark`` (kept: the other benches' sections)."""
    text = DOCS.read_text(encoding="utf-8")
    start = text.find(mark)
    if start >= 0:
        end = text.find("\n## ", start + 1)
        text = text[:start] + text[end + 1 :] if end >= 0 else text[:start]
    first = text.find("\n## ")
    at = first + 1 if first >= 0 else len(text)
    DOCS.write_text(text[:at] + section + "\n" + text[at:], encoding="utf-8")


def add_section(section: str) -> None:
    """Put ``section`` above the older sections, which stay as they are."""
    text = DOCS.read_text(encoding="utf-8")
    head, marker, rest = text.partition("\n## ")
    DOCS.write_text(f"{head}\n{section}{marker}{rest}" if rest else f"{text}\n{section}")
