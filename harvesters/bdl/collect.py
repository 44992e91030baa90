"""Which requests a harvest needs and what each topic gets from them.

CKAN-free: the harvester's gather stage, the CLI and the bench share it. All
variables of every topic are requested together, one unit at a time, in
batches of ``client.batch_size`` ids, so a full harvest costs
Σ units ⌈variables of the unit / batch⌉ data requests (plus one change check).
A failed batch marks only the variables it carried; the topics holding them
error, every other topic goes on.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .client import BdlClient, BdlError, batches
from .mapping import MalformedPayloadError, Topic, Variable, last_updates, tidy_rows, unit_level
from .source_config import SourceConfig, catalogue


def build_topics(config: SourceConfig, client: BdlClient | None = None) -> list[Topic]:
    """The datasets of this source: curated topics, whole subjects, extra variables.

    Curated topics carry their metadata; subjects and extra variables are read
    from the API (cached for the run), so only they cost metadata requests.
    """
    wanted = config.topics
    topics = [
        Topic.from_catalogue(entry)
        for entry in catalogue()
        if wanted is None or entry["key"] in wanted
    ]
    known = {v.id for topic in topics for v in topic.variables}
    if (config.subjects or config.variables) and client is None:
        raise ValueError("subjects and variables need a client for their metadata")
    for subject_id in config.subjects:
        subject = client.subject(subject_id)
        variables = [Variable.from_bdl(item) for item in client.subject_variables(subject_id)]
        topics.append(_subject_topic(subject_id, subject, variables))
        known.update(v.id for v in variables)
    grouped: dict[str, list[Variable]] = defaultdict(list)
    for var_id in config.variables:
        if var_id in known:
            continue
        variable = Variable.from_bdl(client.variable(var_id))
        grouped[variable.subject_id or "inne"].append(variable)
    for subject_id, variables in grouped.items():
        subject = client.subject(subject_id) if subject_id != "inne" else {}
        topics.append(_subject_topic(subject_id, subject, variables))
    return topics


def _subject_topic(subject_id: str, subject: dict[str, Any], variables: list[Variable]) -> Topic:
    name = str(subject.get("name") or subject_id)
    return Topic(
        key=f"temat-{subject_id.lower()}",
        title={"pl": name, "en": name},
        description={"pl": f"Podgrupa BDL {subject_id}: {name}."},
        variables=variables,
        keywords=[name[:50]] if name else [],
        methodology=str(subject.get("description") or ""),
    )


def units_for(variable: Variable, config: SourceConfig) -> list[str]:
    """Units to ask for one variable: the city's most detailed unit that has it
    (a variable exists from its level upward) and every comparison unit."""
    city = sorted(
        (u for u in config.units if unit_level(u) <= variable.level),
        key=unit_level,
        reverse=True,
    )
    comparison = [u for u in config.comparison_units if unit_level(u) <= variable.level]
    return list(dict.fromkeys(city[:1] + comparison))


def request_plan(topics: Iterable[Topic], config: SourceConfig) -> dict[str, list[int]]:
    """Unit id → the variable ids to request for it."""
    plan: dict[str, set[int]] = defaultdict(set)
    for topic in topics:
        for variable in topic.variables:
            for unit in units_for(variable, config):
                plan[unit].add(variable.id)
    return {unit: sorted(ids) for unit, ids in plan.items()}


def minimum_requests(plan: dict[str, list[int]], batch_size: int) -> int:
    return sum(-(-len(ids) // batch_size) for ids in plan.values())


@dataclass
class Fetched:
    """Every answer of a harvest's data requests."""

    answers: list[tuple[str, str, list[dict[str, Any]]]] = field(default_factory=list)
    failed: dict[tuple[str, int], str] = field(default_factory=dict)  # (unit, var) → why

    def returned(self) -> set[int]:
        return {
            int(result["id"])
            for _, _, results in self.answers
            for result in results
            if isinstance(result, dict) and "id" in result
        }


def fetch(
    plan: dict[str, list[int]],
    client: BdlClient,
    years: Iterable[int] | None = None,
    progress=None,
) -> Fetched:
    """Run the data requests of ``plan``; a failed batch is recorded, not raised."""
    fetched = Fetched()
    for unit, var_ids in plan.items():
        for chunk in batches(var_ids, client.batch_size):
            try:
                data = client.data_by_unit(unit, chunk, years)
            except BdlError as error:
                for var_id in chunk:
                    fetched.failed[(unit, var_id)] = str(error)
            else:
                fetched.answers.append((unit, data.unit_name, data.results))
            if progress:
                progress(1)
    return fetched


@dataclass
class TopicData:
    rows: list[dict[str, Any]]
    updated: dict[int, str]
    missing: list[int]  # requested, answered by no unit: gone from BDL


def topic_data(topic: Topic, fetched: Fetched, config: SourceConfig) -> TopicData:
    """The topic's rows; BdlError/MalformedPayloadError when any of its requests failed."""
    ids = {v.id for v in topic.variables}
    errors = sorted({why for (unit, var), why in fetched.failed.items() if var in ids})
    if errors:
        raise BdlError(" ".join(errors))
    variables = {v.id: v for v in topic.variables}
    rows: list[dict[str, Any]] = []
    updated: dict[int, str] = {}
    for unit, unit_name, results in fetched.answers:
        mine = [r for r in results if isinstance(r, dict) and _var_id(r) in ids]
        if not mine:
            continue
        rows.extend(
            tidy_rows(unit, unit_name, mine, variables, years=(config.year_from, config.year_to))
        )
        for var_id, when in last_updates(mine).items():
            updated[var_id] = max(when, updated.get(var_id, ""))
    missing = sorted(ids - fetched.returned())
    return TopicData(rows, updated, missing)


def _var_id(result: dict[str, Any]) -> int | None:
    try:
        return int(result["id"])
    except (KeyError, TypeError, ValueError):
        raise MalformedPayloadError(f"a result has no variable id: {result!r:.200}") from None
