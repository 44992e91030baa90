"""Template helpers of the promotional content. They return data, never HTML."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.bdom.promo import auth, config, dictize
from ckanext.bdom.workflow import roles


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}


def bdom_promo_is_manager() -> bool:
    """The current user manages promotional content (header link)."""
    if not tk.current_user.is_authenticated:
        return False
    return auth.is_promotion(roles.user_of({"user": tk.current_user.name}))


def bdom_promo_home_news() -> list[dict[str, Any]]:
    """The newest current news items for the home page."""
    result = tk.get_action("bdom_news_list")(_context(), {"limit": config.home_news()})
    return result["results"]


def bdom_promo_home_featured() -> list[dict[str, Any]]:
    """Current featured datasets (public ones only) for the home page."""
    return tk.get_action("bdom_featured_list")(_context(), {"limit": config.home_featured()})


def bdom_promo_timezone() -> str:
    """The name of the time zone form dates are given in (ckan.display_timezone)."""
    zone = tk.h.get_display_timezone()
    return str(getattr(zone, "zone", zone))


def bdom_promo_status_label(status: str) -> str:
    labels = {
        dictize.DRAFT: tk._("Draft (not public)"),
        dictize.SCHEDULED: tk._("Scheduled"),
        dictize.CURRENT: tk._("Shown now"),
        dictize.EXPIRED: tk._("Expired"),
        dictize.HIDDEN: tk._("Hidden: the dataset is not public"),
    }
    return labels.get(status, status)


def get_helpers() -> dict[str, Any]:
    return {
        name: func
        for name, func in globals().items()
        if name.startswith("bdom_promo_") and callable(func)
    }
