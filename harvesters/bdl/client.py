"""HTTP client of the GUS BDL REST API (``https://bdl.stat.gov.pl/api/v1``).

No CKAN imports: the harvester, the CLI, the fixture tests and the bench use it
alike. Every call has a timeout; list calls ask for ``page-size=100`` and
follow ``links.next``; ``var-id`` values are batched; a sliding-window limiter
keeps within the anonymous or registered quotas and says when a quota, not the
code, is what slows a harvest; 429 answers wait (``Retry-After`` or the
``X-Rate-Limit-Reset`` header, else exponential backoff with jitter) and are
retried, and so are 5xx answers and connection errors, a bounded number of
times. Metadata answers are cached for the life of the client (one run).

The API key (``X-ClientId``) goes only into the request headers: it is never
logged and never part of ``repr()``.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import logging
import random
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import requests

log = logging.getLogger(__name__)

BASE_URL = "https://bdl.stat.gov.pl/api/v1"
PAGE_SIZE = 100
# No documented limit; 50 ids keep the URL near 1 kB and are well within what
# public clients send. The fixture server enforces the same number.
MAX_VAR_IDS = 50
DEFAULT_TIMEOUT = (5.0, 30.0)  # connect, read (seconds)
MAX_BACKOFF = 900.0  # 15 minutes, as the 429 advice in bdl-api.md §5.2


class BdlError(Exception):
    """A BDL call failed; the message is meant for people (harvest report)."""


class BdlRequestError(BdlError):
    """The API refused the request or kept failing after the retries."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class BdlPayloadError(BdlError):
    """The answer is not the JSON the API documents (truncated, wrong shape)."""


class QuotaWaitTooLongError(BdlError):
    """Honouring a quota would mean waiting longer than the caller allows."""


@dataclass(frozen=True)
class Quota:
    """Requests allowed per window, as (label, seconds, limit)."""

    name: str
    windows: tuple[tuple[str, float, int], ...]


ANONYMOUS = Quota(
    "anonymous",
    (("1 s", 1, 5), ("15 min", 900, 100), ("12 h", 43200, 1000), ("7 d", 604800, 10000)),
)
REGISTERED = Quota(
    "registered",
    (("1 s", 1, 10), ("15 min", 900, 500), ("12 h", 43200, 5000), ("7 d", 604800, 50000)),
)


class RateLimiter:
    """Sliding-window limiter over every window of a quota.

    ``acquire`` blocks until one more request fits every window and records it.
    Waits longer than a second are attributed to the window that caused them
    (``waited`` by label) and logged, so a slow harvest says which quota slows it.
    """

    def __init__(
        self,
        quota: Quota,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        max_wait: float = MAX_BACKOFF,
    ) -> None:
        self.quota = quota
        self.clock = clock
        self.sleep = sleep
        self.max_wait = max_wait
        self._stamps: deque[float] = deque()
        self.waited: dict[str, float] = {}

    def _needed_wait(self, now: float) -> tuple[float, str]:
        longest = max(seconds for _, seconds, _ in self.quota.windows)
        while self._stamps and self._stamps[0] <= now - longest:
            self._stamps.popleft()
        wait, label = 0.0, ""
        for name, seconds, limit in self.quota.windows:
            if _count_after(self._stamps, now - seconds) < limit:
                continue
            # the request that must leave the window before one more fits
            this = self._stamps[len(self._stamps) - limit] + seconds - now
            if this > wait:
                wait, label = this, name
        return wait, label

    def acquire(self) -> float:
        total = 0.0
        while True:
            now = self.clock()
            wait, label = self._needed_wait(now)
            if wait <= 0:
                self._stamps.append(now)
                return total
            if total + wait > self.max_wait:
                raise QuotaWaitTooLongError(
                    f"Limit zapytań BDL ({self.quota.name}, okno {label}) wymaga czekania "
                    f"{wait:.0f} s. / The BDL {self.quota.name} quota ({label} window) "
                    f"needs a {wait:.0f} s wait."
                )
            if wait >= 1:
                log.warning(
                    "BDL %s quota (%s window) slows the harvest: waiting %.0f s",
                    self.quota.name,
                    label,
                    wait,
                )
            self.waited[label] = self.waited.get(label, 0.0) + wait
            self.sleep(wait)
            total += wait


def _count_after(stamps: deque[float], since: float) -> int:
    """How many stamps (sorted) are later than ``since``, by bisection."""
    lo, hi = 0, len(stamps)
    while lo < hi:
        mid = (lo + hi) // 2
        if stamps[mid] > since:
            hi = mid
        else:
            lo = mid + 1
    return len(stamps) - lo


@dataclass
class Stats:
    requests: int = 0
    retries: int = 0
    throttled: int = 0  # 429 answers
    cache_hits: int = 0
    by_path: dict[str, int] = field(default_factory=dict)


@dataclass
class UnitData:
    """Every page of ``/data/by-unit/{unit}`` for the requested variables."""

    unit_id: str
    unit_name: str
    results: list[dict[str, Any]]


def batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class BdlClient:
    """One harvest run's connection to BDL (or to a BDL-compatible server)."""

    def __init__(
        self,
        base_url: str = BASE_URL,
        api_key: str | None = None,
        lang: str = "pl",
        timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
        max_retries: int = 4,
        max_429_retries: int = 6,
        batch_size: int = MAX_VAR_IDS,
        backoff_base: float = 1.0,
        max_wait: float = MAX_BACKOFF,
        session: requests.Session | None = None,
        limiter: RateLimiter | None = None,
        sleep: Callable[[float], None] = time.sleep,
        wall_clock: Callable[[], float] = time.time,
        rng: random.Random | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.lang = lang
        self.timeout = timeout
        self.max_retries = max_retries
        self.max_429_retries = max_429_retries
        self.batch_size = max(1, min(batch_size, MAX_VAR_IDS))
        self.backoff_base = backoff_base
        self.max_wait = max_wait
        self.session = session or requests.Session()
        self.session.headers["Accept"] = "application/json"
        if api_key:
            self.session.headers["X-ClientId"] = api_key
        self.quota = REGISTERED if api_key else ANONYMOUS
        self.limiter = limiter or RateLimiter(self.quota, sleep=sleep, max_wait=max_wait)
        self.sleep = sleep
        self.wall_clock = wall_clock
        self.rng = rng or random.Random()
        self.stats = Stats()
        self._cache: dict[tuple[str, tuple[tuple[str, str], ...]], Any] = {}

    def __repr__(self) -> str:  # never shows the key
        return f"BdlClient({self.base_url!r}, quota={self.quota.name!r})"

    # --- low level ---------------------------------------------------------

    def _backoff(self, attempt: int) -> float:
        """Exponential backoff with full jitter in its upper half."""
        ceiling = min(self.max_wait, self.backoff_base * 2**attempt)
        return ceiling * (0.5 + self.rng.random() / 2)

    def _throttle_wait(self, response: requests.Response, attempt: int) -> float:
        """How long a 429 asks us to wait: Retry-After, the reset header, or backoff."""
        retry_after = response.headers.get("Retry-After")
        if retry_after:
            if retry_after.strip().isdigit():
                return float(retry_after)
            parsed = email.utils.parsedate_to_datetime(retry_after)
            if parsed is not None:
                return max(0.0, parsed.timestamp() - self.wall_clock())
        reset = response.headers.get("X-Rate-Limit-Reset")
        if reset:
            try:
                when = dt.datetime.fromisoformat(reset.replace("Z", "+00:00"))
            except ValueError:
                when = None
            if when is not None:
                if when.tzinfo is None:
                    when = when.replace(tzinfo=dt.timezone.utc)
                return max(0.0, when.timestamp() - self.wall_clock())
        return self._backoff(attempt)

    def _request(self, url: str, params: list[tuple[str, str]] | None) -> Any:
        failures = throttles = 0
        path = url[len(self.base_url) :].split("?")[0] if url.startswith(self.base_url) else url
        family = "/".join(path.strip("/").split("/")[:2])
        while True:
            self.limiter.acquire()
            self.stats.requests += 1
            self.stats.by_path[family] = self.stats.by_path.get(family, 0) + 1
            try:
                response = self.session.get(url, params=params, timeout=self.timeout)
            except (requests.ConnectionError, requests.Timeout) as error:
                failures += 1
                if failures > self.max_retries:
                    kind = "timeout" if isinstance(error, requests.Timeout) else "connection error"
                    raise BdlRequestError(
                        f"BDL nie odpowiada ({kind}) po {failures} próbach: {path}. / "
                        f"BDL does not answer ({kind}) after {failures} attempts: {path}."
                    ) from error
                self._wait(self._backoff(failures - 1))
                continue
            status = response.status_code
            if status == 429:
                self.stats.throttled += 1
                throttles += 1
                if throttles > self.max_429_retries:
                    raise BdlRequestError(
                        f"BDL wciąż odpowiada 429 (limit zapytań): {path}. / "
                        f"BDL keeps answering 429 (quota reached): {path}.",
                        429,
                    )
                wait = self._throttle_wait(response, throttles - 1)
                log.warning("BDL answered 429 (quota): waiting %.1f s before retrying", wait)
                self._wait(wait)
                continue
            if status >= 500:
                failures += 1
                if failures > self.max_retries:
                    raise BdlRequestError(
                        f"Błąd serwera BDL {status} po {failures} próbach: {path}. / "
                        f"BDL server error {status} after {failures} attempts: {path}.",
                        status,
                    )
                self._wait(self._backoff(failures - 1))
                continue
            if status >= 400:
                raise BdlRequestError(
                    f"BDL odrzucił zapytanie ({status}): {path} {_reason(response)}. / "
                    f"BDL refused the request ({status}): {path} {_reason(response)}.",
                    status,
                )
            try:
                payload = response.json()
            except ValueError as error:
                raise BdlPayloadError(
                    f"Odpowiedź BDL nie jest poprawnym JSON-em (ucięta?): {path}. / "
                    f"The BDL answer is not valid JSON (truncated?): {path}."
                ) from error
            if isinstance(payload, dict) and payload.get("errors"):
                raise BdlRequestError(
                    f"BDL zgłosił błąd: {path} {_reason(response)}. / "
                    f"BDL reported an error: {path} {_reason(response)}."
                )
            return payload

    def _wait(self, seconds: float) -> None:
        if seconds > self.max_wait:
            raise QuotaWaitTooLongError(
                f"BDL każe czekać {seconds:.0f} s, dłużej niż dozwolone {self.max_wait:.0f} s. / "
                f"BDL asks for a {seconds:.0f} s wait, longer than the allowed "
                f"{self.max_wait:.0f} s."
            )
        self.stats.retries += 1
        self.sleep(seconds)

    def get(self, path: str, params: list[tuple[str, str]] | None = None) -> Any:
        """One GET of ``path`` (relative to the base URL) with format and language."""
        query = [("format", "json"), ("lang", self.lang), *(params or [])]
        return self._request(f"{self.base_url}/{path.lstrip('/')}", query)

    def get_cached(self, path: str, params: list[tuple[str, str]] | None = None) -> Any:
        key = (path, tuple(params or ()))
        if key in self._cache:
            self.stats.cache_hits += 1
            return self._cache[key]
        value = self.get(path, params)
        self._cache[key] = value
        return value

    def pages(
        self, path: str, params: list[tuple[str, str]] | None = None
    ) -> Iterator[dict[str, Any]]:
        """Every page of a list call: ``page-size=100``, then ``links.next`` as given."""
        page = self.get(path, [*(params or []), ("page-size", str(PAGE_SIZE))])
        while True:
            if not isinstance(page, dict) or not isinstance(page.get("results"), list):
                raise BdlPayloadError(
                    f"Odpowiedź BDL nie ma listy „results”: {path}. / "
                    f"The BDL answer has no 'results' list: {path}."
                )
            yield page
            following = (page.get("links") or {}).get("next")
            if not following or not page["results"]:
                return
            page = self._request(following, None)

    # --- calls the harvester uses ------------------------------------------

    def data_by_unit(
        self, unit_id: str, var_ids: Iterable[int], years: Iterable[int] | None = None
    ) -> UnitData:
        """Values of many variables for one unit, batched and paged."""
        year_params = [("year", str(year)) for year in years or ()]
        results: list[dict[str, Any]] = []
        name = ""
        for chunk in batches(sorted(set(int(v) for v in var_ids)), self.batch_size):
            params = [("var-id", str(var)) for var in chunk] + year_params
            for page in self.pages(f"data/by-unit/{unit_id}", params):
                name = page.get("unitName") or name
                results.extend(page["results"])
        return UnitData(unit_id, name, results)

    def requests_needed(self, var_count: int) -> int:
        """Fewest ``by-unit`` requests one unit needs for ``var_count`` variables."""
        return -(-var_count // self.batch_size) if var_count else 0

    def variable(self, var_id: int) -> dict[str, Any]:
        return self.get_cached(f"variables/{int(var_id)}")

    def subject(self, subject_id: str) -> dict[str, Any]:
        return self.get_cached(f"subjects/{subject_id}")

    def subject_variables(self, subject_id: str) -> list[dict[str, Any]]:
        key = ("variables?subject-id", ((subject_id, ""),))
        if key in self._cache:
            self.stats.cache_hits += 1
            return self._cache[key]
        found = [
            item
            for page in self.pages("variables", [("subject-id", subject_id)])
            for item in page["results"]
        ]
        self._cache[key] = found
        return found

    def unit(self, unit_id: str) -> dict[str, Any]:
        return self.get_cached(f"units/{unit_id}")

    def measures(self) -> dict[int, str]:
        key = ("measures", ())
        if key not in self._cache:
            self._cache[key] = {
                int(item["id"]): str(item.get("name") or "")
                for page in self.pages("measures")
                for item in page["results"]
                if "id" in item
            }
        else:
            self.stats.cache_hits += 1
        return self._cache[key]

    def data_modified(self) -> str | None:
        """``dateModified`` of the data family's metadata record: one request that
        says whether anything at all changed since the last harvest."""
        record = self.get("data/metadata")
        if not isinstance(record, dict):
            return None
        value = record.get("dateModified")
        return str(value) if value else None


def _reason(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return ""
    errors = body.get("errors") if isinstance(body, dict) else None
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        first = errors[0]
        return str(first.get("errorReason") or first.get("errorResult") or "")
    if isinstance(body, dict):
        return str(body.get("errorReason") or body.get("error") or "")
    return ""
