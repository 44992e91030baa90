"""``ckan bdom bdl``: preview BDL values and run a BDL harvest by hand."""

from __future__ import annotations

from collections import Counter

import click

import ckan.plugins.toolkit as tk
from ckan import model

from . import mapping, source_config
from .client import BASE_URL, BdlError

__all__ = ["bdl"]


@click.group("bdl", short_help="GUS Bank Danych Lokalnych: preview and harvest.")
def bdl() -> None:
    """GUS Bank Danych Lokalnych (BDL): preview values, run a harvest."""


def _catalogue_variables() -> dict[int, mapping.Variable]:
    return {
        v.id: v
        for entry in source_config.catalogue()
        for v in mapping.Topic.from_catalogue(entry).variables
    }


@bdl.command("preview")
@click.option("--unit", "units", multiple=True, help="BDL unit id (12 digits); repeatable.")
@click.option(
    "--var",
    "variables",
    multiple=True,
    type=int,
    required=True,
    help="BDL variable id; repeatable.",
)
@click.option("--url", default=BASE_URL, show_default=True, help="BDL API base URL.")
@click.option("--year-from", type=int, help="First year shown.")
@click.option("--lang", type=click.Choice(["pl", "en"]), default="pl", show_default=True)
def preview(
    units: tuple[str, ...], variables: tuple[int, ...], url: str, year_from: int | None, lang: str
) -> None:
    """Print the values of VARIABLES for UNITS as a table (nothing is stored)."""
    from .harvester import make_client

    client = make_client(url, lang)
    known = _catalogue_variables()
    try:
        meta = {
            var: known.get(var) or mapping.Variable.from_bdl(client.variable(var))
            for var in variables
        }
        rows = []
        for unit in units or (tk.config.get("ckanext.bdom.bdl_unit_id") or "012414874011",):
            data = client.data_by_unit(unit, variables)
            rows += mapping.tidy_rows(
                unit, data.unit_name, data.results, meta, years=(year_from, None)
            )
    except (BdlError, mapping.MalformedPayloadError) as error:
        raise click.ClickException(str(error)) from error
    header = ("unit_id", "unit_name", "variable_id", "variable_name", "year", "value", "flag")
    table = [header] + [
        tuple(mapping.cell(row[c]) for c in header) for row in mapping.sort_rows(rows)
    ]
    widths = [min(40, max(len(r[i]) for r in table)) for i in range(len(header))]
    for line in table:
        cells = zip(line, widths, strict=True)
        click.echo("  ".join(cell[:40].ljust(width) for cell, width in cells))
    click.echo(
        f"{len(rows)} values, {client.stats.requests} requests ({client.quota.name} quota)",
        err=True,
    )


@bdl.command("harvest")
@click.option("--source", "source_name", help="Name or id of a bdl harvest source (default: all).")
def harvest(source_name: str | None) -> None:
    """Run a BDL harvest now, in this process, with a progress bar."""
    from ckanext.harvest import queue
    from ckanext.harvest.model import HarvestJob, HarvestObject, HarvestSource

    user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    context = {"user": user, "ignore_auth": True}
    query = model.Session.query(HarvestSource).filter_by(type="bdl", active=True)
    if source_name:
        package = model.Package.get(source_name)
        query = query.filter(HarvestSource.id == (package.id if package else source_name))
    sources = query.all()
    if not sources:
        raise click.ClickException("Nie ma źródła BDL / no bdl harvest source found")
    harvester = queue.get_harvester("bdl")
    for source in sources:
        job_dict = _new_job(context, source.id)
        if job_dict is None:
            click.echo(f"{source.url}: a harvest job is still running; skipped")
            continue
        job = HarvestJob.get(job_dict["id"])
        job.status = "Running"
        job.save()
        click.echo(f"{source.url}: gathering…")
        ids = queue.gather_stage(harvester, job) or []
        with click.progressbar(ids, label="BDL", item_show_func=lambda i: i and i[:8]) as bar:
            for obj_id in bar:
                queue.fetch_and_import_stages(harvester, HarvestObject.get(obj_id))
        tk.get_action("harvest_jobs_run")(dict(context), {"source_id": source.id})
        statuses = Counter(
            obj.report_status or obj.state
            for obj in model.Session.query(HarvestObject).filter_by(harvest_job_id=job.id)
        )
        click.echo(", ".join(f"{k}: {v}" for k, v in sorted(statuses.items())) or "-")


def _new_job(context: dict, source_id: str) -> dict | None:
    """A job this process runs (the gather consumer does not get it), or None
    while an earlier job of the source is still unfinished."""
    from ckanext.harvest.logic import HarvestJobExists

    for _ in range(2):
        try:
            return tk.get_action("harvest_job_create")(
                dict(context), {"source_id": source_id, "run": False}
            )
        except HarvestJobExists:
            # marks the jobs whose objects are all done as finished
            tk.get_action("harvest_jobs_run")(dict(context), {"source_id": source_id})
    return None


@bdl.command("ensure-source")
@click.option("--name", default="gus-bdl", show_default=True, help="Harvest source name.")
@click.option("--url", default=BASE_URL, show_default=True, help="BDL API base URL.")
@click.option(
    "--steward",
    default="glowny-urzad-statystyczny",
    show_default=True,
    help="Owner organization (the GUS steward of config/seed).",
)
@click.option("--title", default="GUS Bank Danych Lokalnych", show_default=True)
@click.option(
    "--config",
    "config_text",
    default="{}",
    show_default=True,
    help="Source configuration (JSON), validated.",
)
def ensure_source(name: str, url: str, steward: str, title: str, config_text: str) -> None:
    """Create the bdl harvest source NAME, or update its URL and configuration
    (idempotent)."""
    try:
        source_config.parse(config_text)
    except source_config.ConfigError as error:
        raise click.ClickException(str(error)) from error
    user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    fields = {
        "name": name,
        "title": title,
        "url": url,
        "source_type": "bdl",
        "owner_org": steward,
        "frequency": "MANUAL",
        "config": config_text,
    }
    try:
        current = tk.get_action("harvest_source_show")({"user": user}, {"id": name})
    except tk.ObjectNotFound:
        tk.get_action("harvest_source_create")({"user": user}, fields)
        click.echo(f"created harvest source {name} ({url})")
        return
    if current.get("url") == url and (current.get("config") or "{}") == config_text:
        click.echo(f"harvest source {name} unchanged")
        return
    tk.get_action("harvest_source_update")({"user": user}, {**fields, "id": current["id"]})
    click.echo(f"updated harvest source {name} ({url})")
