"""``ckan bdom seed``: stewards, thematic groups and tag vocabularies from YAML.

The seed directory holds three files that operators edit: ``stewards.yaml``
(CKAN organizations), ``groups.yaml`` (CKAN groups) and ``vocabularies.yaml``
(CKAN tag vocabularies).

:func:`read_seed` is pure: it checks every file and entry and raises
:class:`SeedError` listing every problem, in Polish and English, before
anything is written. :func:`apply` writes in one database transaction: it
creates what is missing, patches only the fields a file sets where they
differ, adds missing vocabulary tags, leaves everything else alone, and rolls
everything back on the first error.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.bdom.lib.demo import site_context

STEWARD = "steward"
GROUP = "group"
VOCABULARY = "vocabulary"

CREATED = "created"
UPDATED = "updated"
UNCHANGED = "unchanged"

STEWARD_TYPE_FIELD = "bdom_steward_type"

# Keys CKAN sets itself or that would replace an object's members or datasets.
RESERVED_KEYS = frozenset(
    {"id", "type", "is_organization", "state", "created", "packages", "users", "groups"}
)
VOCABULARY_KEYS = frozenset({"name", "tags"})
_BLANKS: tuple[Any, ...] = (None, "", [], {})


@dataclass(frozen=True)
class SeedFile:
    kind: str
    file_name: str
    key: str
    label: str


FILES = (
    SeedFile(STEWARD, "stewards.yaml", "stewards", "Stewards (gestorzy)"),
    SeedFile(GROUP, "groups.yaml", "groups", "Groups (grupy tematyczne)"),
    SeedFile(VOCABULARY, "vocabularies.yaml", "vocabularies", "Vocabularies (słowniki)"),
)


class SeedError(Exception):
    """The seed files are wrong or CKAN refused a write; nothing was written."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(problems)

    def __str__(self) -> str:
        header = (
            "Nie załadowano danych startowych, nic nie zapisano / "
            "Seed data not loaded, nothing was written:"
        )
        return "\n".join([header, *(f"  - {problem}" for problem in self.problems)])


@dataclass(frozen=True)
class Entry:
    kind: str
    where: str
    data: dict[str, Any]

    @property
    def name(self) -> str:
        return self.data["name"]


@dataclass(frozen=True)
class Outcome:
    kind: str
    name: str
    status: str
    changes: tuple[str, ...] = ()


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, kind: str, status: str) -> int:
        return sum(1 for o in self.outcomes if o.kind == kind and o.status == status)

    def lines(self) -> list[str]:
        lines = []
        for spec in FILES:
            counts = ", ".join(
                f"{self.count(spec.kind, status)} {status}"
                for status in (CREATED, UPDATED, UNCHANGED)
            )
            lines.append(f"{spec.label}: {counts}")
            for outcome in self.outcomes:
                if outcome.kind == spec.kind and outcome.status == CREATED:
                    lines.append(f"  + {outcome.name}")
                elif outcome.kind == spec.kind and outcome.status == UPDATED:
                    lines.append(f"  ~ {outcome.name} ({', '.join(outcome.changes)})")
        return lines


def _problem(where: object, polish: str, english: str) -> str:
    return f"{where}: {polish} / {english}"


# --- reading and validation (no writes) -------------------------------------


def steward_types() -> list[str] | None:
    """Values the steward schema allows for the steward type; None: no constraint."""
    schema = tk.h.scheming_get_organization_schema("organization")
    fields = schema["fields"] if schema else []
    found = next((f for f in fields if f["field_name"] == STEWARD_TYPE_FIELD), None)
    choices = found.get("choices") if found else None
    return [choice["value"] for choice in choices] if choices else None


def read_seed(directory: Path, allowed_steward_types: Collection[str] | None) -> list[Entry]:
    """Read and check the three seed files; raise SeedError listing every problem."""
    if not directory.is_dir():
        raise SeedError([_problem(directory, "nie ma takiego katalogu", "no such directory")])
    problems: list[str] = []
    entries: list[Entry] = []
    for spec in FILES:
        path = directory / spec.file_name
        for index, raw in enumerate(_load_list(path, spec.key, problems), start=1):
            where = _where(path, index, raw)
            found = _check_entry(spec.kind, raw, allowed_steward_types)
            problems.extend(f"{where}: {problem}" for problem in found)
            if not found:
                entries.append(Entry(spec.kind, where, raw))
    problems.extend(_name_clashes(entries))
    if problems:
        raise SeedError(problems)
    return entries


def _load_list(path: Path, key: str, problems: list[str]) -> list[Any]:
    if not path.is_file():
        problems.append(_problem(path, "brak pliku", "file is missing"))
        return []
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        problems.append(_problem(path, "niepoprawny YAML", f"invalid YAML\n{error}"))
        return []
    entries = raw.get(key, False) if isinstance(raw, dict) else False
    if entries is None:
        return []
    if not isinstance(entries, list):
        problems.append(
            _problem(
                path,
                f"plik musi mieć klucz „{key}:” z listą wpisów",
                f'the file must have a "{key}:" key holding a list of entries',
            )
        )
        return []
    return entries


def _where(path: Path, index: int, raw: Any) -> str:
    name = raw.get("name") if isinstance(raw, dict) else None
    label = f' "{name}"' if isinstance(name, str) else ""
    return f"{path}, wpis/entry {index}{label}"


def _check_entry(kind: str, raw: Any, allowed_steward_types: Collection[str] | None) -> list[str]:
    """Problems of one entry, each in Polish and English."""
    if not isinstance(raw, dict):
        return [_both("wpis musi być zbiorem pól „klucz: wartość”", "the entry must be a mapping")]
    problems = _check_name(raw.get("name"))
    if kind == VOCABULARY:
        return problems + _check_vocabulary(raw)
    reserved = sorted(RESERVED_KEYS & raw.keys())
    if reserved:
        listed = ", ".join(reserved)
        problems.append(_both(f"niedozwolone pola: {listed}", f"fields not allowed: {listed}"))
    title = raw.get("title")
    if not isinstance(title, str) or not title.strip():
        problems.append(_both("brak pola „title” (nazwa)", 'missing "title"'))
    if kind == STEWARD and allowed_steward_types is not None:
        problems.extend(_check_steward_type(raw.get(STEWARD_TYPE_FIELD), allowed_steward_types))
    return problems


def _both(polish: str, english: str) -> str:
    return f"{polish} / {english}"


def _check_name(name: Any) -> list[str]:
    if name is None:
        return [_both("brak pola „name” (adres URL)", 'missing "name"')]
    try:
        tk.get_validator("name_validator")(name, {})
    except tk.Invalid:
        return [
            _both(
                f"niepoprawna nazwa „{name}”: 2–100 znaków, małe litery a-z, cyfry, „-” i „_”",
                f'bad name (slug) "{name}": 2-100 characters, lowercase a-z, digits, "-", "_"',
            )
        ]
    return []


def _check_steward_type(value: Any, allowed: Collection[str]) -> list[str]:
    listed = ", ".join(allowed)
    if value is None:
        return [
            _both(
                f"brak pola „{STEWARD_TYPE_FIELD}” (jedno z: {listed})",
                f'missing "{STEWARD_TYPE_FIELD}" (one of: {listed})',
            )
        ]
    if value not in allowed:
        return [
            _both(
                f"nieznany rodzaj gestora „{value}” (dozwolone: {listed})",
                f'unknown steward type "{value}" (allowed: {listed})',
            )
        ]
    return []


def _check_vocabulary(raw: dict[str, Any]) -> list[str]:
    problems = []
    unknown = ", ".join(sorted(raw.keys() - VOCABULARY_KEYS))
    if unknown:
        problems.append(
            _both(
                f"nieznane pola: {unknown} (słownik ma tylko name i tags)",
                f"unknown fields: {unknown} (a vocabulary has only name and tags)",
            )
        )
    tags = raw.get("tags")
    if not isinstance(tags, list) or not tags:
        return [
            *problems,
            _both("„tags” musi być niepustą listą", '"tags" must be a non-empty list'),
        ]
    problems.extend(
        _both(
            f"niepoprawny tag „{tag}”: 2–100 znaków, litery, cyfry, spacje, „-”, „_”, „.”",
            f'bad tag "{tag}": 2-100 characters of letters, digits, spaces, "-", "_", "."',
        )
        for tag in tags
        if not _valid_tag(tag)
    )
    repeated = ", ".join(sorted({t for t in tags if isinstance(t, str) and tags.count(t) > 1}))
    if repeated:
        problems.append(_both(f"powtórzone tagi: {repeated}", f"repeated tags: {repeated}"))
    return problems


def _valid_tag(tag: Any) -> bool:
    if not isinstance(tag, str):
        return False
    try:
        tk.get_validator("tag_length_validator")(tag, {})
        tk.get_validator("tag_name_validator")(tag, {})
    except tk.Invalid:
        return False
    return True


def _name_clashes(entries: list[Entry]) -> list[str]:
    """Names repeated in the files (CKAN keeps stewards and groups in one table)."""
    seen: dict[tuple[bool, str], str] = {}
    problems = []
    for entry in entries:
        key = (entry.kind == VOCABULARY, entry.name)
        if key in seen:
            problems.append(
                _problem(
                    entry.where,
                    f"nazwa „{entry.name}” jest już użyta: {seen[key]}",
                    f'the name "{entry.name}" is already used by {seen[key]}',
                )
            )
        else:
            seen[key] = entry.where
    return problems


# --- writing -----------------------------------------------------------------


def apply(entries: Iterable[Entry]) -> Report:
    """Write the entries in one transaction; roll everything back on any error."""
    context = {**site_context(), "defer_commit": True}
    report = Report()
    try:
        for entry in entries:
            report.outcomes.append(_apply_entry(entry, context))
    except BaseException:
        model.Session.rollback()
        raise
    model.repo.commit()
    return report


def _apply_entry(entry: Entry, context: dict[str, Any]) -> Outcome:
    sync = _sync_vocabulary if entry.kind == VOCABULARY else _sync_group
    try:
        status, changes = sync(entry, context)
    except tk.ValidationError as error:
        raise SeedError(
            [
                _problem(
                    entry.where,
                    f"CKAN odrzucił wpis: {error.error_summary}",
                    f"CKAN rejected the entry: {error.error_summary}",
                )
            ]
        ) from error
    return Outcome(entry.kind, entry.name, status, changes)


# organization_show / group_show without the Solr count and member lists.
_LIGHT_SHOW = {
    "include_dataset_count": False,
    "include_users": False,
    "include_followers": False,
    "include_groups": False,
    "include_tags": False,
}


def _show(action: str, name: str, context: dict[str, Any], **params: Any) -> dict | None:
    try:
        return tk.get_action(action)(dict(context), {"id": name, **params})
    except tk.ObjectNotFound:
        return None


def _same(current: Any, wanted: Any) -> bool:
    """Whether CKAN's value already says what the file says.

    Blanks are equal, scalars compare as stripped text, a mapping compares only
    the keys the file sets (validators may add blank keys, e.g. a phone).
    """
    if current in _BLANKS and wanted in _BLANKS:
        return True
    if isinstance(wanted, dict):
        return isinstance(current, dict) and all(
            _same(current.get(key), value) for key, value in wanted.items()
        )
    if isinstance(wanted, list):
        return (
            isinstance(current, list)
            and len(current) == len(wanted)
            and all(map(_same, current, wanted))
        )
    if isinstance(current, (dict, list)) or current is None or wanted is None:
        return False
    return str(current).strip() == str(wanted).strip()


def _sync_group(entry: Entry, context: dict[str, Any]) -> tuple[str, tuple[str, ...]]:
    """Create or patch an organization (steward) or a group."""
    prefix = "organization" if entry.kind == STEWARD else "group"
    existing = _show(f"{prefix}_show", entry.name, context, **_LIGHT_SHOW)
    if existing is None:
        tk.get_action(f"{prefix}_create")(dict(context), dict(entry.data))
        status, changes = CREATED, ()
    else:
        patch = {k: v for k, v in entry.data.items() if not _same(existing.get(k), v)}
        if existing.get("state") != "active":
            patch["state"] = "active"
        if not patch:
            return UNCHANGED, ()
        tk.get_action(f"{prefix}_patch")(dict(context), {**patch, "id": existing["id"]})
        status, changes = UPDATED, tuple(sorted(patch))
    _check_stored(entry, _show(f"{prefix}_show", entry.name, context, **_LIGHT_SHOW) or {})
    return status, changes


def _check_stored(entry: Entry, shown: dict[str, Any]) -> None:
    """Fail on fields CKAN dropped or converted: a rerun would never be clean."""
    lost = ", ".join(sorted(k for k, v in entry.data.items() if not _same(shown.get(k), v)))
    if lost:
        raise SeedError(
            [
                _problem(
                    entry.where,
                    f"CKAN nie zapisał pól {lost} tak jak w pliku "
                    "(nie ma ich w schemacie albo CKAN zmienia wartość)",
                    f"CKAN did not store the fields {lost} as the file gives them "
                    "(not in the schema, or CKAN converts the value)",
                )
            ]
        )


def _sync_vocabulary(entry: Entry, context: dict[str, Any]) -> tuple[str, tuple[str, ...]]:
    """Create a vocabulary or add its missing tags; tags are never removed."""
    tags = entry.data["tags"]
    existing = _show("vocabulary_show", entry.name, context)
    if existing is None:
        tk.get_action("vocabulary_create")(
            dict(context), {"name": entry.name, "tags": [{"name": tag} for tag in tags]}
        )
        return CREATED, ()
    present = {tag["name"] for tag in existing["tags"]}
    missing = [tag for tag in tags if tag not in present]
    for tag in missing:
        tk.get_action("tag_create")(dict(context), {"name": tag, "vocabulary_id": existing["id"]})
    return (UPDATED, tuple(f"+{tag}" for tag in missing)) if missing else (UNCHANGED, ())
