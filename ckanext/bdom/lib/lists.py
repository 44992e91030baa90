"""Multi-valued schema fields arrive as lists or as their JSON text."""

from __future__ import annotations

import json
from typing import Any


def as_list(value: Any) -> list[str]:
    """The non-empty items of a list, of its JSON text, or of a single value."""
    if isinstance(value, str):
        try:
            value = json.loads(value) if value.strip().startswith("[") else [value]
        except ValueError:
            value = [value]
    return [str(item) for item in value or [] if item]
