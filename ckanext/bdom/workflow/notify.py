"""E-mail to the other side of a transition, in Polish and English.

submit → the officers; verify, return, publish, archive → the coordinators of
the dataset's steward. Sent by the job worker, only when ``smtp.server`` is
set; a failure is logged and never undoes the transition.
"""

from __future__ import annotations

import logging
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.bdom.workflow import roles, transitions

log = logging.getLogger(__name__)

SUBJECT = "[BDoM] {title}: {polish} / {english}"
BODY = """\
{actor} zmienia status zbioru danych „{title}” na: {polish}.
{comment_pl}
{url}

---

{actor} changed the status of the dataset "{title}" to: {english}.
{comment_en}
{url}
"""


def recipients(dataset: dict[str, Any], transition: str) -> list[model.User]:
    if transition == "submit":
        return roles.officers()
    return roles.coordinators(dataset.get("owner_org") or "")


def message(dataset: dict[str, Any], actor: str, comment: str) -> tuple[str, str]:
    """The subject and plain-text body of a notification."""
    polish, english = transitions.STATE_NAMES[transitions.status_of(dataset)]
    title = dataset.get("title") or dataset["name"]
    url = f"{tk.config.get('ckan.site_url', '').rstrip('/')}/dataset/{dataset['name']}"
    fields = {"title": title, "polish": polish, "english": english, "actor": actor, "url": url}
    body = BODY.format(
        comment_pl=f"Komentarz: {comment}" if comment else "",
        comment_en=f"Comment: {comment}" if comment else "",
        **fields,
    )
    return SUBJECT.format(**fields), body


def transition_done(dataset: dict[str, Any], transition: str, actor: str, comment: str) -> None:
    """Queue one e-mail per recipient: a slow or absent mail server never
    holds up the transition (the job worker sends them)."""
    if not tk.config.get("smtp.server"):
        return
    subject, body = message(dataset, actor, comment)
    for user in recipients(dataset, transition):
        if user.email and user.name != actor:
            tk.enqueue_job(
                send,
                [user.name, user.display_name, user.email, subject, body],
                title=f"bdom workflow e-mail to {user.name}",
            )


def send(name: str, display_name: str, email: str, subject: str, body: str) -> None:
    """Background job: send one notification; a failure is logged, not retried."""
    try:
        tk.mail_recipient(display_name, email, subject, body)
    except Exception as error:  # a mail failure never breaks the workflow
        log.warning("Workflow e-mail to %s not sent: %s", name, error)
