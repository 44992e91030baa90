"""The ``ckan bdom`` command group."""

from __future__ import annotations

import click

from ckanext.bdom import config
from ckanext.bdom.lib import demo, users

__all__ = ["bdom"]


@click.group(short_help="Bank Danych o Mieście: administration commands.")
def bdom() -> None:
    """Bank Danych o Mieście (ckanext-bdom) administration commands."""


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
