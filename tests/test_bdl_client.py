"""The BDL HTTP client against `responses`: paging, batching, the quota
limiter, 429 waits, bounded retries and timeouts. No CKAN involved."""

from __future__ import annotations

import datetime as dt
import json
import logging
import random
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses

from ckanext.bdom.harvesters.bdl import client as bdl
from ckanext.bdom.harvesters.bdl.fixture_server import FixtureServer

BASE = "https://bdl.example/api/v1"
UNIT = "012414874011"


class FakeTime:
    """A clock that only moves when someone sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def make(fake: FakeTime | None = None, **kwargs) -> bdl.BdlClient:
    fake = fake or FakeTime()
    limiter = bdl.RateLimiter(
        bdl.REGISTERED if kwargs.get("api_key") else bdl.ANONYMOUS,
        clock=fake.clock,
        sleep=fake.sleep,
        max_wait=10**7,
    )
    return bdl.BdlClient(BASE, limiter=limiter, sleep=fake.sleep, rng=random.Random(1), **kwargs)


def query(call) -> dict[str, list[str]]:
    return parse_qs(urlsplit(call.request.url).query)


def unit_page(ids, next_url=None):
    links = {"self": "x"}
    if next_url:
        links["next"] = next_url
    return {
        "totalRecords": len(ids),
        "unitId": UNIT,
        "unitName": "Siemianowice Śląskie",
        "links": links,
        "results": [
            {
                "id": i,
                "measureUnitId": 26,
                "lastUpdate": "2025-05-14T15:05:15",
                "values": [{"year": "2024", "val": 1, "attrId": 1}],
            }
            for i in ids
        ],
    }


@responses.activate
def test_pages_follow_links_next_with_page_size_100_and_a_timeout_on_every_call():
    second = f"{BASE}/data/by-unit/{UNIT}?var-id=1&var-id=2&page=1&page-size=100&format=json"
    responses.get(f"{BASE}/data/by-unit/{UNIT}", json=unit_page([1], next_url=second))
    responses.get(second, json=unit_page([2]))
    client = make(timeout=(3, 7))
    data = client.data_by_unit(UNIT, [2, 1])
    assert [r["id"] for r in data.results] == [1, 2]
    assert data.unit_name == "Siemianowice Śląskie"
    first = query(responses.calls[0])
    assert first["page-size"] == ["100"]
    assert first["format"] == ["json"]
    assert first["lang"] == ["pl"]
    assert first["var-id"] == ["1", "2"]
    assert responses.calls[1].request.url == second  # links.next as given
    assert all(call.request.req_kwargs["timeout"] == (3, 7) for call in responses.calls)
    assert client.stats.requests == 2


@responses.activate
def test_var_ids_are_batched_up_to_the_limit_and_paging_stops_on_empty_results():
    responses.get(f"{BASE}/data/by-unit/{UNIT}", json=unit_page([]))
    client = make()
    client.data_by_unit(UNIT, range(1, 121))
    sizes = [len(query(call)["var-id"]) for call in responses.calls]
    assert sizes == [50, 50, 20]
    assert client.requests_needed(120) == 3


def test_the_limiter_keeps_within_every_window_and_names_the_quota_that_slows():
    fake = FakeTime()
    limiter = bdl.RateLimiter(bdl.ANONYMOUS, clock=fake.clock, sleep=fake.sleep, max_wait=10**7)
    stamps = []
    for _ in range(101):
        limiter.acquire()
        stamps.append(fake.now)
    for i in range(len(stamps) - 5):  # never more than 5 in one second
        assert stamps[i + 5] - stamps[i] >= 1
    assert stamps[100] - stamps[0] >= 900  # 101st waits for the 15-minute window
    assert limiter.waited["15 min"] > 800
    assert limiter.waited["1 s"] > 0


def test_a_wait_longer_than_allowed_is_an_error_not_a_hang():
    fake = FakeTime()
    limiter = bdl.RateLimiter(bdl.ANONYMOUS, clock=fake.clock, sleep=fake.sleep, max_wait=60)
    for _ in range(100):
        limiter.acquire()
    with pytest.raises(bdl.QuotaWaitTooLongError, match="15 min"):
        limiter.acquire()


def test_registered_quota_with_the_key_which_never_shows(caplog):
    client = bdl.BdlClient(BASE, api_key="11111111-2222-3333-4444-555555555555")
    assert client.quota is bdl.REGISTERED
    assert client.session.headers["X-ClientId"].startswith("1111")
    assert "1111" not in repr(client)
    assert bdl.BdlClient(BASE).quota is bdl.ANONYMOUS
    assert "X-ClientId" not in bdl.BdlClient(BASE).session.headers


@responses.activate
def test_429_waits_for_retry_after_then_retries():
    url = f"{BASE}/variables/60559"
    responses.get(url, status=429, headers={"Retry-After": "7"})
    responses.get(url, json={"id": 60559})
    fake = FakeTime()
    assert make(fake).variable(60559) == {"id": 60559}
    assert 7 in fake.slept


@responses.activate
def test_429_waits_until_the_rate_limit_reset_header():
    url = f"{BASE}/variables/60559"
    reset = dt.datetime(2026, 7, 2, 21, 5, 39, tzinfo=dt.timezone.utc)
    headers = {
        "X-Rate-Limit-Limit": "15m",
        "X-Rate-Limit-Remaining": "0",
        "X-Rate-Limit-Reset": "2026-07-02T21:05:39Z",
    }
    responses.get(url, status=429, headers=headers)
    responses.get(url, json={"id": 60559})
    fake = FakeTime()
    client = make(fake, wall_clock=lambda: reset.timestamp() - 42)
    client.variable(60559)
    assert 42 in fake.slept


@responses.activate
def test_429_without_headers_backs_off_exponentially_with_jitter_and_gives_up():
    url = f"{BASE}/variables/60559"
    responses.get(url, status=429)
    fake = FakeTime()
    client = make(fake, backoff_base=2, max_429_retries=4)
    with pytest.raises(bdl.BdlRequestError, match="429"):
        client.variable(60559)
    waits = [s for s in fake.slept if s >= 0.5]  # limiter waits are below a second
    assert len(waits) == 4
    for attempt, wait in enumerate(waits):
        assert 2 * 2**attempt * 0.5 <= wait <= 2 * 2**attempt
    assert client.stats.throttled == 5


@responses.activate
def test_5xx_and_connection_errors_are_retried_a_bounded_number_of_times():
    url = f"{BASE}/subjects/P2425"
    responses.get(url, status=500)
    responses.get(url, body=requests.ConnectionError("reset"))
    responses.get(url, body=requests.ReadTimeout("slow"))
    responses.get(url, json={"id": "P2425"})
    assert make(max_retries=3).subject("P2425") == {"id": "P2425"}
    assert len(responses.calls) == 4

    responses.reset()
    responses.get(url, status=503)
    client = make(max_retries=2)
    with pytest.raises(bdl.BdlRequestError, match="503"):
        client.subject("P2425")
    assert len(responses.calls) == 3

    responses.reset()
    responses.get(url, body=requests.ReadTimeout("slow"))
    with pytest.raises(bdl.BdlRequestError, match="timeout"):
        make(max_retries=1).subject("P2425")


@responses.activate
def test_client_errors_are_not_retried_and_bad_json_is_a_payload_error():
    responses.get(
        f"{BASE}/variables/1", status=400, json={"errors": [{"errorReason": "invalid id"}]}
    )
    with pytest.raises(bdl.BdlRequestError, match="invalid id"):
        make().variable(1)
    assert len(responses.calls) == 1
    responses.get(f"{BASE}/variables/2", body='{"id": 2, "n1": "ucię')
    with pytest.raises(bdl.BdlPayloadError, match="truncated"):
        make().variable(2)


@responses.activate
def test_metadata_is_cached_within_a_run():
    responses.get(f"{BASE}/variables/60559", json={"id": 60559})
    responses.get(f"{BASE}/measures", json={"results": [{"id": 26, "name": "osoba"}]})
    client = make()
    for _ in range(3):
        client.variable(60559)
        assert client.measures() == {26: "osoba"}
    assert len(responses.calls) == 2
    assert client.stats.cache_hits == 4


def test_against_the_fixture_server_faults_are_survived_or_reported(caplog, monkeypatch):
    # a CKAN config loaded earlier in this worker (fileConfig) disables loggers
    # that existed before it, this one included
    monkeypatch.setattr(bdl.log, "disabled", False)
    server = FixtureServer(slow_seconds=1.5).start()
    try:
        client = bdl.BdlClient(server.url, timeout=(1, 0.5), backoff_base=0.01)
        state = server.state
        state.fault("429", times=1)
        state.fault("500", times=1)
        state.fault("timeout", times=1)
        with caplog.at_level(logging.WARNING):
            data = client.data_by_unit(UNIT, [72305, 60559])
        assert sorted(r["id"] for r in data.results) == [60559, 72305]
        assert client.stats.throttled == 1
        assert "429" in caplog.text
        state.fault("truncated", times=1)
        with pytest.raises(bdl.BdlPayloadError):
            client.data_by_unit(UNIT, [72305])
        state.fault("unknown-field", times=1)
        assert client.data_by_unit(UNIT, [72305]).results[0]["newField"] == 1
        state.fault("missing-field", times=1)
        assert "values" not in client.data_by_unit(UNIT, [72305]).results[0]
        # the server pages like BDL: page-size 100 and absolute links.next
        names = [v["id"] for page in client.pages("variables") for v in page["results"]]
        assert len(names) == len(state.data["variables"])
        assert json.loads(json.dumps(client.data_modified()))
    finally:
        server.stop()
