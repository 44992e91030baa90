"""Auth functions: only the promotion specialist (and sysadmins, who pass
every check) manage promotional content; everyone sees what is current."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import AuthResult, Context, DataDict

from ckanext.bdom.promo import dictize
from ckanext.bdom.promo.model import Featured, News
from ckanext.bdom.workflow import roles

ALLOWED: AuthResult = {"success": True}
PROMOTION_ONLY = (
    "Treści promocyjne (aktualności i wyróżnione zbiory) prowadzi specjalista ds. promocji. / "
    "Promotional content (news and featured datasets) is managed by the promotion specialist."
)


def is_promotion(user: model.User | None) -> bool:
    """The promotion specialist, or a sysadmin who may do everything."""
    return user is not None and (bool(user.sysadmin) or roles.PROMOTION in roles.roles_of(user))


def bdom_promo_manage(context: Context, data_dict: DataDict | None) -> AuthResult:
    """The management pages and every write: the promotion specialist."""
    if is_promotion(roles.user_of(context)):
        return ALLOWED
    return {"success": False, "msg": PROMOTION_ONLY}


bdom_news_create = bdom_news_update = bdom_news_delete = bdom_promo_manage
bdom_featured_create = bdom_featured_update = bdom_featured_delete = bdom_promo_manage


def _shown(cls: type[News] | type[Featured], data_dict: DataDict) -> bool:
    row = model.Session.get(cls, str(data_dict.get("id") or ""))
    if row is None:
        return False
    if cls is News:
        return dictize.news(row)["public"]
    return dictize.featured(row, model.Package.get(row.package_id))["public"]


@tk.auth_allow_anonymous_access
def bdom_news_show(context: Context, data_dict: DataDict) -> AuthResult:
    """Current items: everyone; drafts, scheduled and expired items: managers."""
    return ALLOWED if _shown(News, data_dict) else bdom_promo_manage(context, data_dict)


@tk.auth_allow_anonymous_access
def bdom_featured_show(context: Context, data_dict: DataDict) -> AuthResult:
    return ALLOWED if _shown(Featured, data_dict) else bdom_promo_manage(context, data_dict)


@tk.auth_allow_anonymous_access
def bdom_news_list(context: Context, data_dict: DataDict) -> AuthResult:
    """Everyone lists what is current; ``all`` is for managers."""
    if tk.asbool(data_dict.get("all", False)):
        return bdom_promo_manage(context, data_dict)
    return ALLOWED


bdom_featured_list = bdom_news_list


def get_auth_functions() -> dict[str, Any]:
    return {
        name: func
        for name, func in globals().items()
        if name.startswith(("bdom_news_", "bdom_featured_", "bdom_promo_")) and callable(func)
    }
