"""A local BDL-compatible server: same paths, parameters, paging and JSON
shapes as ``https://bdl.stat.gov.pl/api/v1``, serving demonstration data
(real unit and variable ids, generated values) from ``fixtures/bdl_demo.json``.

Run it on its own (``make run`` does)::

    python -m ckanext.bdom.harvesters.bdl.fixture_server --port 8765

and point a ``bdl`` harvest source at ``http://127.0.0.1:8765/api/v1``.

Faults, switched on for the next N matching requests (N = 0: until reset),
from Python (``server.fault("500", times=2, match="by-unit/000000000000")``)
or over HTTP (``GET /_control?fault=500&times=2&match=...``, ``?reset=1``):

* ``429``: too many requests, with ``Retry-After: 1``;
* ``429-bare``: too many requests, no Retry-After (the client backs off);
* ``500``: a server error;
* ``timeout``: answers only after ``slow_seconds`` (the client times out);
* ``truncated``: a 200 answer cut in the middle of its JSON;
* ``unknown-field``: extra fields the client must ignore;
* ``missing-field``: results without their ``values``.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from .client import MAX_VAR_IDS, PAGE_SIZE

FAULTS = ("429", "429-bare", "500", "timeout", "truncated", "unknown-field", "missing-field")
PREFIX = "/api/v1"


def demo_data() -> dict[str, Any]:
    text = (resources.files(__package__) / "fixtures" / "bdl_demo.json").read_text("utf-8")
    return json.loads(text)


@dataclass
class Fault:
    mode: str
    times: int  # 0 = until reset
    match: str


class FixtureState:
    """The data and the switches, shared by every request thread."""

    def __init__(self, data: dict[str, Any] | None = None, slow_seconds: float = 3.0) -> None:
        self.lock = threading.Lock()
        self.data = data or demo_data()
        self.slow_seconds = slow_seconds
        self.faults: list[Fault] = []
        self.requests: list[str] = []

    # --- switches ----------------------------------------------------------

    def fault(self, mode: str, times: int = 1, match: str = "") -> None:
        if mode not in FAULTS:
            raise ValueError(f"unknown fault {mode!r}; one of {', '.join(FAULTS)}")
        with self.lock:
            self.faults.append(Fault(mode, times, match))

    def reset_faults(self) -> None:
        with self.lock:
            self.faults.clear()

    def _take_fault(self, target: str) -> str | None:
        with self.lock:
            for fault in self.faults:
                if fault.match in target:
                    if fault.times:
                        fault.times -= 1
                        if fault.times == 0:
                            self.faults.remove(fault)
                    return fault.mode
        return None

    # --- data changes (for re-harvest tests) --------------------------------

    def _touch(self, var_id: int | None = None) -> None:
        stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]
        self.data["dateModified"] = stamp
        for results in self.data["data"].values():
            for result in results:
                if var_id is None or result["id"] == var_id:
                    result["lastUpdate"] = stamp

    def set_value(self, unit_id: str, var_id: int, year: int, val: float, attr: int = 1) -> None:
        with self.lock:
            for result in self.data["data"][unit_id]:
                if result["id"] == var_id:
                    for item in result["values"]:
                        if int(item["year"]) == year:
                            item.update(val=val, attrId=attr)
            self._touch(var_id)

    def remove_variable(self, var_id: int) -> None:
        with self.lock:
            for unit, results in self.data["data"].items():
                self.data["data"][unit] = [r for r in results if r["id"] != var_id]
            self._touch()

    # --- answers -----------------------------------------------------------

    def answer(self, path: str, query: dict[str, list[str]], base: str) -> tuple[int, Any]:
        parts = path[len(PREFIX) :].strip("/").split("/") if path.startswith(PREFIX) else []
        if not parts or not parts[0]:
            return 404, _error("not found")
        head = parts[0]
        if parts == ["data", "metadata"] or parts == ["version"]:
            return 200, {
                "id": "bdl",
                "title": "Bank Danych Lokalnych (serwer demonstracyjny)",
                "description": self.data["_note"],
                "dateModified": self.data["dateModified"],
            }
        if head == "data" and len(parts) == 3 and parts[1] == "by-unit":
            return self._by_unit(parts[2], query, base, path)
        if head == "variables" and len(parts) == 2:
            return self._one(self.data["variables"], parts[1], numeric=True)
        if head == "variables" and len(parts) == 1:
            subject = (query.get("subject-id") or [""])[0]
            items = [
                {k: v for k, v in item.items() if k not in ("description", "years")}
                for item in self.data["variables"]
                if not subject or item["subjectId"] == subject
            ]
            return self._page(items, query, base, path, {})
        if head == "subjects" and len(parts) == 2:
            return self._one(self.data["subjects"], parts[1])
        if head == "units" and len(parts) == 2:
            return self._one(self.data["units"], parts[1])
        if head == "measures" and len(parts) == 1:
            return self._page(self.data["measures"], query, base, path, {})
        return 404, _error("not found")

    def _one(self, items: list[dict[str, Any]], wanted: str, numeric: bool = False) -> tuple:
        for item in items:
            if str(item["id"]) == wanted:
                return 200, item
        return (400 if numeric and not wanted.isdigit() else 404), _error(f"{wanted}: not found")

    def _page(self, items, query, base, path, envelope) -> tuple[int, Any]:
        try:
            size = int((query.get("page-size") or ["10"])[0])
            page = int((query.get("page") or ["0"])[0])
        except ValueError:
            return 400, _error("page and page-size must be numbers")
        if not 1 <= size <= PAGE_SIZE:
            return 400, _error(f"page-size must be 1-{PAGE_SIZE}")
        chunk = items[page * size : (page + 1) * size]

        def link(number: int) -> str:
            params = {k: v for k, v in query.items() if k != "page"}
            return f"{base}{path}?{urlencode({**params, 'page': [str(number)]}, doseq=True)}"

        last = max(0, (len(items) - 1) // size)
        links = {"first": link(0), "self": link(page), "last": link(last)}
        if page > 0:
            links["prev"] = link(page - 1)
        if page < last:
            links["next"] = link(page + 1)
        body = {"totalRecords": len(items), "page": page, "pageSize": size, "links": links}
        return 200, {**body, **envelope, "results": chunk}

    def _by_unit(self, unit_id: str, query, base, path) -> tuple[int, Any]:
        units = {u["id"]: u for u in self.data["units"]}
        if len(unit_id) != 12 or not unit_id.isdigit():
            return 400, _error(f"{unit_id}: invalid unit id")
        wanted = query.get("var-id") or []
        if not wanted:
            return 400, _error("var-id is required")
        if len(wanted) > MAX_VAR_IDS:
            return 400, _error(f"at most {MAX_VAR_IDS} var-id values")
        if not all(v.isdigit() for v in wanted):
            return 400, _error("var-id must be numbers")
        years = {y for y in query.get("year") or []}
        ids = {int(v) for v in wanted}
        results = []
        for result in self.data["data"].get(unit_id, []):
            if result["id"] in ids:
                result = copy.deepcopy(result)
                if years:
                    result["values"] = [v for v in result["values"] if v["year"] in years]
                results.append(result)
        results.sort(key=lambda r: r["id"])
        unit = units.get(unit_id, {"name": ""})
        envelope = {"unitId": unit_id, "unitName": unit["name"], "aggregateId": 1}
        return self._page(results, query, base, path, envelope)


def _error(reason: str) -> dict[str, Any]:
    return {"errors": [{"errorResult": "Error", "errorReason": reason}]}


class Handler(BaseHTTPRequestHandler):
    server: FixtureServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        return

    def do_GET(self) -> None:  # noqa: N802
        state = self.server.state
        url = urlsplit(self.path)
        query = parse_qs(url.query, keep_blank_values=True)
        if url.path == "/_control":
            self._control(state, query)
            return
        target = f"{url.path}?{url.query}"
        with state.lock:
            state.requests.append(target)
        fault = state._take_fault(target)
        if fault in ("429", "429-bare"):
            headers = {"Retry-After": "1"} if fault == "429" else {}
            body = {"errorResult": "Limit", "errorReason": "query reached data limits"}
            self._send(429, json.dumps(body).encode(), headers)
            return
        if fault == "500":
            self._send(500, json.dumps(_error("internal server error")).encode())
            return
        if fault == "timeout":
            time.sleep(state.slow_seconds)
        host = self.headers.get("Host") or f"127.0.0.1:{self.server.server_address[1]}"
        status, body = state.answer(url.path, query, f"http://{host}")
        if fault == "unknown-field" and isinstance(body, dict):
            body["newField"] = {"added": "in a later API version"}
            for result in body.get("results") or []:
                if isinstance(result, dict):
                    result["newField"] = 1
        if fault == "missing-field" and isinstance(body, dict):
            for result in body.get("results") or []:
                if isinstance(result, dict):
                    result.pop("values", None)
        payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
        if fault == "truncated":
            payload = payload[: len(payload) // 2]
        self._send(status, payload)

    def _control(self, state: FixtureState, query: dict[str, list[str]]) -> None:
        if query.get("reset"):
            state.reset_faults()
        if query.get("fault"):
            state.fault(
                query["fault"][0],
                int((query.get("times") or ["1"])[0]),
                (query.get("match") or [""])[0],
            )
        self._send(200, json.dumps({"faults": [f.__dict__ for f in state.faults]}).encode())

    def _send(self, status: int, payload: bytes, headers: dict[str, str] | None = None) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout fault)


class FixtureServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, host: str = "127.0.0.1", port: int = 0, **state: Any) -> None:
        super().__init__((host, port), Handler)
        self.state = FixtureState(**state)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}{PREFIX}"

    def start(self) -> FixtureServer:
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    server = FixtureServer(args.host, args.port)
    print(f"BDL fixture server (demonstration data) at {server.url}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
