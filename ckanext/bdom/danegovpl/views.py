"""Flask views of ``bdom_danegovpl``."""

from __future__ import annotations

from flask import Blueprint

danegovpl = Blueprint("bdom_danegovpl", __name__)


def get_blueprints() -> list[Blueprint]:
    return [danegovpl]
