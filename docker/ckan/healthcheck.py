"""Health checks of the containers built from docker/Dockerfile.

    python3 /srv/app/bdom/healthcheck.py web         CKAN answers status_show
    python3 /srv/app/bdom/healthcheck.py rq-worker   this container's `ckan jobs worker`
                                                     is registered in Redis
    python3 /srv/app/bdom/healthcheck.py redis       Redis (the harvest queues) answers
    python3 /srv/app/bdom/healthcheck.py heartbeat   the scheduler finished a round recently

Exit status 0 means healthy. Only the standard library and the redis client
(a CKAN dependency) are used, and CKAN itself is not imported: a check must be
cheap, it runs every 30 seconds.
"""

from __future__ import annotations

import json
import os
import socket
import sys
import time
import urllib.request


def web() -> None:
    url = "http://127.0.0.1:5000/api/3/action/status_show"
    with urllib.request.urlopen(url, timeout=10) as response:
        body = json.load(response)
    if not body.get("success"):
        sys.exit(f"status_show answered {body!r}")


def _redis():
    import redis

    return redis.Redis.from_url(os.environ["CKAN_REDIS_URL"], socket_timeout=5)


def redis_ping() -> None:
    _redis().ping()


def rq_worker() -> None:
    # RQ registers each worker in the set "rq:workers"; the worker's hash
    # records the host name, which is this container's.
    conn = _redis()
    host = socket.gethostname()
    for key in conn.smembers("rq:workers"):
        if conn.hget(key, "hostname") == host.encode():
            return
    sys.exit(f"no RQ worker of host {host} is registered in Redis")


def heartbeat() -> None:
    path = os.environ.get("SCHEDULER_HEARTBEAT", "/tmp/bdom-scheduler.heartbeat")
    interval = int(os.environ.get("SCHEDULER_INTERVAL", "300"))
    # A round may take a while (harvester run loads CKAN): allow three rounds
    # plus ten minutes.
    max_age = 3 * interval + 600
    try:
        age = time.time() - os.path.getmtime(path)
    except FileNotFoundError:
        sys.exit("the scheduler has not finished a round yet")
    if age > max_age:
        sys.exit(f"last round finished {age:.0f}s ago (limit {max_age}s)")


CHECKS = {"web": web, "rq-worker": rq_worker, "redis": redis_ping, "heartbeat": heartbeat}

if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in CHECKS:
        sys.exit(f"usage: healthcheck.py {'|'.join(CHECKS)}")
    try:
        CHECKS[sys.argv[1]]()
    except SystemExit:
        raise
    except Exception as error:  # noqa: BLE001 - any failure means unhealthy
        sys.exit(f"{sys.argv[1]}: {error}")
