"""``ckan bdom indicators``: compute the ISO 37120 indicators on demand."""

from __future__ import annotations

import click

import ckan.plugins.toolkit as tk

from ckanext.bdom.indicators import config, jobs


@click.group(short_help="ISO 37120 indicators.")
def indicators() -> None:
    """ISO 37120:2018 indicators computed from published data."""


@indicators.command("compute")
def compute() -> None:
    """Compute every indicator from published data and write the results dataset."""
    count = len(config.indicator_catalogue().indicators)
    with click.progressbar(length=count, label="ISO 37120") as bar:
        try:
            results = jobs.recompute(progress=lambda indicator: bar.update(1))
        except tk.ValidationError as error:
            raise click.ClickException(str(error.error_dict)) from error
    with_data = results.rows[results.rows["status"] == "ok"]["indicator_id"].nunique()
    click.echo(
        f"{with_data} of {count} indicators have values ({len(results.rows)} rows) in "
        f"the dataset {config.dataset_name()}"
    )
    for error in results.errors.values():
        click.echo(f"error: {error}", err=True)
    if results.errors:
        raise SystemExit(1)
