"""``ckan bdom remind`` and ``ckan bdom scheduler``."""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import time
from typing import Any

import click

from ckan import model

from ckanext.bdom.schedule import config, remind

log = logging.getLogger(__name__)


def _parse_day(_ctx: Any, _param: Any, value: str | None) -> dt.date:
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"Data {value!r} jest niepoprawna; podaj RRRR-MM-DD, np. 2025-06-30. / "
            f"The date {value!r} is not valid; give YYYY-MM-DD, e.g. 2025-06-30."
        ) from None


@click.command("remind")
@click.option("--dry-run", is_flag=True, help="Print what would be sent; send nothing.")
@click.option(
    "--date",
    "day",
    callback=_parse_day,
    metavar="YYYY-MM-DD",
    help="The day to compute the states for (default: today).",
)
@click.option(
    "--digest/--no-digest",
    default=None,
    help="Send (or not) the officer's weekly digest; default: on the configured weekday.",
)
def remind_command(dry_run: bool, day: dt.date, digest: bool | None) -> None:
    """E-mail reminders: due soon to the coordinators, overdue to the coordinators
    and the officers, a weekly digest to the officers. Idempotent: nothing is
    sent twice to the same person for the same dataset and state on one day."""
    run_reminders(day, digest, dry_run)


def run_reminders(day: dt.date, digest: bool | None, dry_run: bool) -> None:
    mails = remind.plan(day, digest)
    if not mails:
        click.echo(f"{day.isoformat()}: nothing to send")
        return
    if dry_run:
        for mail in mails:
            subject, _body = remind.message(mail, day)
            click.echo(f"would send to {mail.recipient}: {subject}")
            for row in mail.rows:
                click.echo(f"  {row.state}: {row.title} ({row.steward}), due {row.due}")
        click.echo(f"dry run: {len(mails)} message(s) not sent")
        return
    with click.progressbar(
        mails, label="Reminders", item_show_func=lambda m: m.user.name if m else None
    ) as progress:
        results = [remind.send(mail, day) for mail in progress]
    failed = results.count(False)
    click.echo(f"{day.isoformat()}: {len(results) - failed} message(s) sent, {failed} failed")
    if failed:
        raise click.ClickException(
            f"{failed} wiadomości nie wysłano (szczegóły w logu); następne uruchomienie "
            f"spróbuje ponownie. / {failed} message(s) not sent (see the log); the next run "
            "tries again."
        )


class _Stop:
    """Set by SIGTERM or SIGINT: the loop ends after the current step."""

    def __init__(self) -> None:
        self.requested = False
        signal.signal(signal.SIGTERM, self.request)
        signal.signal(signal.SIGINT, self.request)

    def request(self, _signum: int, _frame: Any) -> None:
        self.requested = True


def _due_today(now: dt.datetime, last_run: dt.date | None) -> bool:
    return last_run != now.date() and now.time() >= config.remind_at()


@click.command("scheduler")
@click.option(
    "--heartbeat",
    type=click.Path(dir_okay=False),
    help="File touched every minute, for a health check.",
)
def scheduler_command(heartbeat: str | None) -> None:
    """Run ``ckan bdom remind`` once a day at ckanext.bdom.schedule.remind_at
    (local time), until SIGTERM. A missed hour (the process was down) is caught
    up on start; reminders are idempotent, so a restart sends nothing twice."""
    stop = _Stop()
    last_run: dt.date | None = None
    click.echo(f"bdom scheduler: reminders daily at {config.remind_at().isoformat('minutes')}")
    while not stop.requested:
        now = dt.datetime.now()
        if _due_today(now, last_run):
            try:
                run_reminders(now.date(), None, dry_run=False)
                last_run = now.date()
            except click.ClickException as error:  # some messages failed: logged
                click.echo(error.format_message(), err=True)
                last_run = now.date()
            except Exception:  # noqa: BLE001 - e.g. the database is down: retry next minute
                log.exception("Reminders failed; retrying in a minute")
            finally:
                model.Session.remove()
        if heartbeat:
            with open(heartbeat, "a"):
                os.utime(heartbeat)
        for _ in range(60):
            if stop.requested:
                break
            time.sleep(1)
    click.echo("bdom scheduler: stopped")
