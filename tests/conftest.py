"""Shared fixtures: the suite runs against real PostgreSQL, Redis and Solr.

`make test` starts those services and prepares the test databases. Tests that
need CKAN's background processes (web app, job worker, harvest consumers) use
the ``bdom_stack`` fixture, which runs them as real processes on test.ini.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
TEST_INI = REPO / "test.ini"


def _worker_ini(worker: int) -> Path:
    """test.ini for the ``worker``-th pytest-xdist worker (``make test`` runs
    two): its own databases, Redis database, Solr site, storage, xloader job
    database and port, so that the workers never see each other's data."""
    port = 5055 + 100 * worker
    ini = REPO / ".data" / f"test-gw{worker}.ini"
    ini.parent.mkdir(parents=True, exist_ok=True)
    ini.write_text(
        "\n".join(
            [
                "[app:main]",
                f"use = config:{REPO / 'test.ini'}",
                f"ckan.site_id = bdom_test_gw{worker}",
                f"ckan.site_url = http://127.0.0.1:{port}",
                f"sqlalchemy.url = postgresql://bdom:bdom@127.0.0.1/bdom_test_gw{worker}",
                "ckan.datastore.write_url = "
                f"postgresql://bdom:bdom@127.0.0.1/bdom_datastore_test_gw{worker}",
                "ckan.datastore.read_url = "
                f"postgresql://bdom_datastore_ro:bdom_ro@127.0.0.1/bdom_datastore_test_gw{worker}",
                f"ckan.redis.url = redis://127.0.0.1:6379/{16 - worker}?socket_timeout=31536000",
                f"ckan.storage_path = {REPO / '.data' / f'test-storage-gw{worker}'}",
                "ckanext.xloader.jobs_db.uri = "
                f"sqlite:///{REPO / '.data' / f'xloader-jobs-test-gw{worker}.db'}",
                "",
            ]
        ),
        encoding="utf-8",
    )
    os.environ.setdefault("BDOM_TEST_PORT", str(port))
    return ini


WORKER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0")[2:] or 0)
if WORKER and "CKAN_SQLALCHEMY_URL" not in os.environ:
    TEST_INI = _worker_ini(WORKER)


def pytest_configure(config: pytest.Config) -> None:
    if TEST_INI.name != "test.ini":
        config.option.ckan_ini = str(TEST_INI)


CKAN = REPO / ".venv" / "bin" / "ckan"
# a second suite on the same machine (own databases through CKAN_* variables)
# picks another port with BDOM_TEST_PORT and sets CKAN_SITE_URL to match
STACK_PORT = os.environ.get("BDOM_TEST_PORT", "5055")
STACK_URL = f"http://127.0.0.1:{STACK_PORT}"
LOGS = REPO / ".data" / f"test-logs-{STACK_PORT}"


PLUGINS_WITH_MIGRATIONS = ("activity", "harvest", "bdom_promo", "bdom_schedule")


@pytest.fixture(scope="session", autouse=True)
def _services_are_running() -> None:
    """Fail fast, and say how to fix it, when a service is down."""
    from ckan.common import config

    solr = config["solr_url"].rstrip("/") + "/admin/ping?wt=json"
    if not _answers(solr):
        pytest.exit(f"Solr does not answer at {solr}: run the suite with `make test`", 3)


@pytest.fixture
def clean_db(with_plugins, reset_db, migrate_db_for):
    """CKAN's reset drops every table on its first call in a session, plugin
    tables included, so the plugins' migrations are applied again after it;
    later resets only empty the tables, which need no migration."""
    from ckan import model

    dropping = not model.repo.tables_created_and_initialised
    reset_db()
    if dropping:
        for plugin in PLUGINS_WITH_MIGRATIONS:
            migrate_db_for(plugin)


@dataclass
class Stack:
    url: str
    processes: dict[str, subprocess.Popen]
    prefix: str = ""

    def log(self, name: str) -> str:
        return (LOGS / f"{self.prefix}{name}.log").read_text(errors="replace")


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


STACK_COMMANDS = {
    "web": ("run", "--host", "127.0.0.1", "--port", STACK_PORT, "--disable-reloader", "--threaded"),
    "worker": ("jobs", "worker", "default"),
    "harvest-gather": ("harvester", "gather-consumer"),
    "harvest-fetch": ("harvester", "fetch-consumer"),
}


def _start(ini: Path, log: Path, args: tuple[str, ...]) -> subprocess.Popen:
    return subprocess.Popen(
        [str(CKAN), "-c", str(ini), *args],
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _descendants(pid: int) -> list[int]:
    """Every process below ``pid``, read from /proc (the job worker runs each
    job in a child of its own session, which killing its group misses)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _stop(processes: dict[str, subprocess.Popen]) -> None:
    below = [pid for process in processes.values() for pid in _descendants(process.pid)]
    for process in processes.values():
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes.values():
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    for pid in below:  # job processes that outlived their worker
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


def _kill_leftovers(pids: Path) -> None:
    """Stop processes that an interrupted earlier run left behind."""
    if not pids.exists():
        return
    for pid in pids.read_text().split():
        with contextlib.suppress(OSError):
            os.killpg(int(pid), signal.SIGKILL)
    pids.unlink()


@contextlib.contextmanager
def running_stack(ini: Path = TEST_INI, prefix: str = "") -> Iterator[Stack]:
    """The test portal's web app, job worker and harvest consumers on ``ini``,
    logging to ``LOGS/<prefix><name>.log``; stopped on exit."""
    LOGS.mkdir(parents=True, exist_ok=True)
    pids = LOGS / f"{prefix}stack.pids"
    _kill_leftovers(pids)
    if _answers(f"{STACK_URL}/api/3/action/status_show"):
        pytest.fail(f"something else already serves {STACK_URL}; stop it first")
    # jobs and harvest messages that earlier modules left in the test Redis
    # database point at data long deleted; the new worker starts on empty queues
    from ckan.lib.redis import connect_to_redis

    connect_to_redis().flushdb()
    processes = {
        name: _start(ini, LOGS / f"{prefix}{name}.log", args)
        for name, args in STACK_COMMANDS.items()
    }
    pids.write_text(" ".join(str(p.pid) for p in processes.values()))
    stack = Stack(STACK_URL, processes, prefix)
    try:
        deadline = time.monotonic() + 120
        while not _answers(f"{STACK_URL}/api/3/action/status_show"):
            dead = [name for name, proc in processes.items() if proc.poll() is not None]
            if dead or time.monotonic() > deadline:
                pytest.fail(f"test stack did not start ({dead}):\n{stack.log('web')[-3000:]}")
            time.sleep(0.3)
        yield stack
    finally:
        _stop(processes)
        pids.unlink(missing_ok=True)


@pytest.fixture(scope="module")
def bdom_stack() -> Iterator[Stack]:
    """The test portal's web app, job worker and harvest consumers."""
    with running_stack() as stack:
        yield stack


def wait_for(
    predicate,
    timeout: float = 60,
    interval: float = 0.5,
    what: str = "condition",
    explain: Callable[[], str] | None = None,
):
    """Poll ``predicate`` until it returns a truthy value or time runs out;
    ``explain`` adds what the failure message should show."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    details = f"\n{explain()}" if explain else ""
    pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}{details}")


@dataclass
class SmtpSink:
    """What the local SMTP server received: (recipients, message) pairs."""

    messages: list[tuple[list[str], Message]] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content)))
        return "250 OK"

    def take(self) -> list[tuple[str, str, str]]:
        """(first recipient, subject, text body) of each message, then forget them."""
        taken = [
            (rcpt[0], str(msg["Subject"]), msg.get_payload(decode=True).decode("utf-8"))
            for rcpt, msg in self.messages
        ]
        self.messages.clear()
        return taken


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_sink(ckan_config, monkeypatch) -> Iterator[SmtpSink]:
    """A real SMTP server on this machine that keeps what it receives;
    ``smtp.server`` points at it (in this process and, through
    ``CKAN_SMTP_SERVER``, in `ckan` commands started from the test)."""
    from aiosmtpd.controller import Controller

    sink = SmtpSink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setitem(ckan_config, "smtp.server", f"127.0.0.1:{port}")
    monkeypatch.setenv("CKAN_SMTP_SERVER", f"127.0.0.1:{port}")
    try:
        yield sink
    finally:
        controller.stop()
