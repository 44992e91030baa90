"""``ckan bdom validate``: the upload validation from the shell."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from ckanext.bdom.collect import columns as dictionary
from ckanext.bdom.collect.validate import ValidationResult, validate_file


def _dataset_columns(
    name: str, resource_id: str | None
) -> tuple[list[dictionary.Column], list[int] | None]:
    """The column dictionary and the years asked for, read through the action API."""
    import ckan.plugins.toolkit as tk

    from ckanext.bdom.collect import plan

    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    context = {"user": site_user["name"], "ignore_auth": True}
    try:
        dataset = tk.get_action("package_show")(context, {"id": name})
    except tk.ObjectNotFound as error:
        raise click.ClickException(
            f"Nie ma zbioru „{name}”. / There is no dataset “{name}”."
        ) from error
    if resource_id:
        resource = next((r for r in dataset["resources"] if r["id"] == resource_id), None)
        if resource is None:
            raise click.ClickException(
                f"Zbiór „{name}” nie ma zasobu {resource_id}. / "
                f"The dataset “{name}” has no resource {resource_id}."
            )
    else:
        resource = plan.data_resource(dataset)
    found = dictionary.columns_of(resource or {})
    if not found:
        raise click.ClickException(
            f"Zbiór „{name}” nie ma opisu kolumn; dodaj go w zasobie (pole „Opis kolumn”). / "
            f"The dataset “{name}” has no column dictionary; add it to a resource "
            "(the “Column dictionary” field)."
        )
    return found, plan.years_of(dataset) or None


def _file_columns(path: Path) -> list[dictionary.Column]:
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise click.ClickException(
            f"Nie można odczytać opisu kolumn z {path}: {error}. / "
            f"Cannot read the column dictionary from {path}: {error}."
        ) from error
    found = dictionary.columns_from_json(data)
    if not found:
        raise click.ClickException(
            f"{path} nie zawiera opisu kolumn (lista obiektów z polem „name”). / "
            f"{path} holds no column dictionary (a list of objects with a “name”)."
        )
    return found


def _print(result: ValidationResult) -> None:
    click.echo(result.summary_pl)
    click.echo(result.summary_en)
    for item in result.problems:
        mark = "BŁĄD/ERROR" if item.severity == "error" else "UWAGA/WARNING"
        click.echo(f"{mark} {item.code}: {item.text}")
    for code, number in sorted(result.omitted.items()):
        click.echo(f"… {code}: i jeszcze {number} / and {number} more")


@click.command("validate")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dataset", "dataset", help="Dataset name or id: its column dictionary is used.")
@click.option("--resource", "resource_id", help="The resource holding the dictionary.")
@click.option(
    "--columns",
    "columns_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A JSON column dictionary instead of a dataset (no portal needed).",
)
@click.option("--years", help="Years asked for, e.g. 2015-2024 (with --columns).")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the normalised CSV here when the file is valid.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def validate_command(
    file: Path,
    dataset: str | None,
    resource_id: str | None,
    columns_file: Path | None,
    years: str | None,
    out: Path | None,
    as_json: bool,
) -> None:
    """Validate FILE (CSV or XLSX) against a dataset's column dictionary.

    Prints what was detected and every problem in Polish and English; exits
    with 0 when the file is valid, 1 when it has errors.
    """
    wanted: list[int] | None = None
    if columns_file is not None:
        found = _file_columns(columns_file)
    elif dataset:
        found, wanted = _dataset_columns(dataset, resource_id)
    else:
        raise click.UsageError("Podaj --dataset albo --columns. / Give --dataset or --columns.")
    if years:
        wanted = _years(years)
    if sys.stderr.isatty() and not as_json:
        with click.progressbar(length=file.stat().st_size, label=file.name, file=sys.stderr) as bar:
            result = validate_file(
                file, found, years=wanted, out=out, original_name=file.name, progress=bar.update
            )
    else:
        result = validate_file(file, found, years=wanted, out=out, original_name=file.name)
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        _print(result)
    sys.exit(0 if result.ok else 1)


def _years(text: str) -> list[int]:
    from ckanext.bdom.collect import plan

    try:
        return plan.parse_years(text)
    except ValueError as error:
        raise click.BadParameter(
            f"„{text}”: podaj lata, np. 2015-2024. / “{text}”: give years, e.g. 2015-2024."
        ) from error
