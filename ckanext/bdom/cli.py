"""The ``ckan bdom`` command group."""

from __future__ import annotations

from pathlib import Path

import click

import ckan.plugins.toolkit as tk

from ckanext.bdom import config
from ckanext.bdom.collect.cli import validate_command
from ckanext.bdom.harvesters.bdl.cli import bdl
from ckanext.bdom.indicators.cli import indicators
from ckanext.bdom.lib import demo, seed, users
from ckanext.bdom.schedule.cli import remind_command, scheduler_command

__all__ = ["bdom"]


@click.group(short_help="Bank Danych o Mieście: administration commands.")
def bdom() -> None:
    """Bank Danych o Mieście (ckanext-bdom) administration commands."""


bdom.add_command(bdl)


bdom.add_command(indicators)
bdom.add_command(remind_command)
bdom.add_command(scheduler_command)
bdom.add_command(validate_command)


@bdom.command("sysadmin")
@click.argument("name")
@click.option("--email", required=True, help="E-mail of the account.")
@click.option(
    "--password",
    envvar="BDOM_ADMIN_PASSWORD",
    required=True,
    help="Password (or the BDOM_ADMIN_PASSWORD environment variable).",
)
def sysadmin(name: str, email: str, password: str) -> None:
    """Create the sysadmin NAME, or reset its password and rights (idempotent)."""
    created = users.ensure_sysadmin(name, email, password)
    click.echo(f"{'Created' if created else 'Updated'} sysadmin {name}")


@bdom.command("api-token")
@click.argument("user")
@click.argument("token_name")
def api_token(user: str, token_name: str) -> None:
    """Print a new API token of USER; older tokens named TOKEN_NAME are revoked."""
    click.echo(users.fresh_api_token(user, token_name))


@bdom.command("role")
@click.argument("user")
@click.argument("roles", nargs=-1)
def role(user: str, roles: tuple[str, ...]) -> None:
    """Give USER the BDoM ROLES (officer, promotion); none removes them all."""
    try:
        result = users.set_roles(user, list(roles))
    except tk.ValidationError as error:
        raise click.ClickException(str(error.error_dict)) from error
    except tk.ObjectNotFound as error:
        raise click.ClickException(f"{user}: {error}") from error
    click.echo(f"{result['name']}: {', '.join(result['roles']) or '-'}")


@bdom.group("demo")
def demo_group() -> None:
    """Demo content: the city's stewards and sample datasets."""


@demo_group.command("load")
@click.option(
    "--file",
    "path",
    type=click.Path(exists=True, dir_okay=False),
    help="Demo YAML file (default: ckanext.bdom.demo_file).",
)
def demo_load(path: str | None) -> None:
    """Load demo stewards and datasets; existing ones are left untouched."""
    content = demo.read_demo(path or config.demo_file())
    with click.progressbar(content.steps(), label="Demo content") as steps:
        results = [demo.apply_step(step) for step in steps]
    created = sum(1 for result in results if result)
    click.echo(f"Demo content: {created} created, {len(results) - created} already present")


@bdom.command("seed")
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder with stewards.yaml, groups.yaml and vocabularies.yaml "
    "(default: ckanext.bdom.seed_dir, else ./config/seed).",
)
def seed_command(directory: Path | None) -> None:
    """Load stewards, thematic groups and vocabularies from YAML files (idempotent).

    Creates what is missing and patches only the fields the files set; never
    deletes anything. A wrong file stops the command before anything is written.
    """
    directory = directory or config.seed_dir()
    if directory is None:
        raise click.ClickException(
            "Nie znaleziono katalogu z danymi startowymi: podaj --dir albo ustaw "
            "ckanext.bdom.seed_dir / No seed directory: pass --dir or set "
            "ckanext.bdom.seed_dir (./config/seed does not exist here)"
        )
    try:
        entries = seed.read_seed(directory, seed.steward_types())
        with click.progressbar(
            entries, label="Seed", item_show_func=lambda e: e.name if e else None
        ) as progress:
            report = seed.apply(progress)
    except seed.SeedError as error:
        raise click.ClickException(str(error)) from error
    for line in report.lines():
        click.echo(line)
