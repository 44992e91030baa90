"""Reminders of due and overdue updates, e-mailed through CKAN's mailer.

* due soon → the coordinators of the dataset's steward;
* overdue → the coordinators and the officers;
* once a week (``ckanext.bdom.schedule.digest_weekday``) a digest of every
  due-soon and overdue dataset, by steward, to the officers.

Each recipient gets one message per run listing their new items; users
without an e-mail address are skipped. Every item
sent is logged in ``bdom_reminder`` (kind, dataset, recipient, day), and an
item already logged that day is not sent again, so a second run on the same
day sends nothing new.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.bdom.lib import schedule
from ckanext.bdom.schedule import config, listing
from ckanext.bdom.schedule.model import DIGEST, Reminder
from ckanext.bdom.workflow import roles

log = logging.getLogger(__name__)

STATE_NAMES = {
    schedule.DUE_SOON: ("termin wkrótce", "due soon"),
    schedule.OVERDUE: ("po terminie", "overdue"),
}


@dataclass
class Mail:
    """One message to one user: a reminder of ``rows`` or the weekly digest."""

    user: model.User
    kind: str  # "reminder" or DIGEST
    rows: list[listing.Row] = field(default_factory=list)

    @property
    def recipient(self) -> str:
        return f"{self.user.name} <{self.user.email}>"


def _site_url() -> str:
    return str(tk.config.get("ckan.site_url") or "").rstrip("/")


def dataset_url(row: listing.Row) -> str:
    return f"{_site_url()}/dataset/{row.name}"


def submission_url(row: listing.Row) -> str:
    """The dataset's submission page (plugin bdom_collect), wherever it is mounted."""
    path = "/bdom/zbior/<id>/przekaz"
    try:
        from flask import current_app

        for rule in current_app.url_map.iter_rules():
            if rule.rule.endswith("/zbior/<id>/przekaz"):
                path = rule.rule
                break
    except RuntimeError:  # outside an application context
        pass
    return _site_url() + path.replace("<id>", row.name)


def _logged(kind: str, package_id: str, recipient: str, day: dt.date) -> bool:
    query = model.Session.query(Reminder.id).filter_by(
        kind=kind, package_id=package_id, recipient=recipient, day=day
    )
    return query.first() is not None


def _site_context() -> dict[str, object]:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"ignore_auth": True, "user": site_user["name"]}


def plan(today: dt.date, digest: bool | None = None) -> list[Mail]:
    """The messages a run on ``today`` sends: items not yet logged that day.

    ``digest``: None = on the configured weekday only; True/False = force.
    """
    rows = [
        row
        for row in listing.schedule_rows(_site_context(), today=today)
        if row.state in (schedule.DUE_SOON, schedule.OVERDUE)
    ]
    officers = roles.officers()
    mails: dict[str, Mail] = {}
    for row in rows:
        users = roles.coordinators(row.steward_id)
        if not any(user.email for user in users):
            log.warning("No coordinator with an e-mail address for %s (%s)", row.steward, row.name)
        if row.state == schedule.OVERDUE:
            users += officers
        for user in users:
            if user.email and not _logged(row.state, row.id, user.name, today):
                mail = mails.setdefault(user.name, Mail(user, "reminder"))
                if row not in mail.rows:
                    mail.rows.append(row)
    result = list(mails.values())
    if digest is None:
        digest = today.weekday() == config.digest_weekday()
    if digest and rows:
        result += [
            Mail(officer, DIGEST, rows)
            for officer in officers
            if officer.email and not _logged(DIGEST, "", officer.name, today)
        ]
    return result


def _line(row: listing.Row, english: bool) -> str:
    polish_state, english_state = STATE_NAMES[row.state]
    due = row.due.isoformat() if row.due else ""
    if english:
        return (
            f'- "{row.title}" ({row.steward}): due {due}, {english_state}\n'
            f"  dataset: {dataset_url(row)}\n"
            f"  submit the data: {submission_url(row)}"
        )
    return (
        f"- „{row.title}” ({row.steward}): termin {due}, {polish_state}\n"
        f"  zbiór: {dataset_url(row)}\n"
        f"  przekaż dane: {submission_url(row)}"
    )


def _by_steward(rows: Iterable[listing.Row], english: bool) -> str:
    blocks: dict[str, list[str]] = {}
    for row in rows:
        blocks.setdefault(row.steward, []).append(_line(row, english))
    return "\n\n".join(f"{steward}:\n" + "\n".join(lines) for steward, lines in blocks.items())


def message(mail: Mail, today: dt.date) -> tuple[str, str]:
    """The subject and plain-text body, Polish first, then English."""
    count = len(mail.rows)
    if mail.kind == DIGEST:
        subject = (
            f"[BDoM] Tygodniowe zestawienie terminów ({today.isoformat()}) / "
            f"Weekly update digest ({today.isoformat()})"
        )
        body = (
            f"Zbiory danych z terminem aktualizacji wkrótce lub po terminie ({count}), "
            f"według gestorów:\n\n{_by_steward(mail.rows, False)}\n\n---\n\n"
            f"Datasets due soon or overdue ({count}), by steward:\n\n"
            f"{_by_steward(mail.rows, True)}\n"
        )
        return subject, body
    subject = (
        f"[BDoM] Przypomnienie o aktualizacji danych ({count}) / Data update reminder ({count})"
    )
    polish = "\n".join(_line(row, False) for row in mail.rows)
    english = "\n".join(_line(row, True) for row in mail.rows)
    body = (
        f"Te zbiory danych trzeba wkrótce zaktualizować albo minął już termin ich "
        f"aktualizacji:\n\n{polish}\n\n---\n\n"
        f"These datasets are due for an update soon or overdue:\n\n{english}\n"
    )
    return subject, body


def _log_sent(mail: Mail, today: dt.date) -> None:
    if mail.kind == DIGEST:
        items = [(DIGEST, "", None)]
    else:
        items = [(row.state, row.id, row.due) for row in mail.rows]
    for kind, package_id, due in items:
        model.Session.add(
            Reminder(kind=kind, package_id=package_id, recipient=mail.user.name, day=today, due=due)
        )
    try:
        model.Session.commit()
    except sa.exc.IntegrityError:  # a run at the same time logged it first
        model.Session.rollback()
        log.warning("Reminder to %s was also sent by another run", mail.user.name)


def send(mail: Mail, today: dt.date) -> bool:
    """Send one message and log its items; False (and a log line) on failure."""
    subject, body = message(mail, today)
    try:
        tk.mail_recipient(mail.user.display_name, mail.user.email, subject, body)
    except Exception as error:  # noqa: BLE001 - one failed message never stops the run
        log.warning("Reminder to %s not sent: %s", mail.user.name, error)
        return False
    _log_sent(mail, today)
    return True
