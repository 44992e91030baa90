"""The production compose file in docker/ is valid."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(shutil.which("docker") is None, reason="no docker client on this machine")
def test_docker_compose_config_accepts_the_production_stack():
    result = subprocess.run(
        [
            "docker",
            "compose",
            "--project-directory",
            "docker",
            "-f",
            "docker/docker-compose.yml",
            "config",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    services = yaml.safe_load(result.stdout)["services"]
    assert {
        "ckan",
        "worker",
        "harvest-gather",
        "harvest-fetch",
        "scheduler",
        "db",
        "solr",
        "redis",
    } <= set(services)
    for name, service in services.items():
        assert "healthcheck" in service or name == "scheduler", f"{name} has no health check"


def test_no_secret_is_committed_in_the_env_example():
    example = (REPO / "docker" / ".env.example").read_text(encoding="utf-8")
    for line in example.splitlines():
        if "PASSWORD" in line.split("=")[0] or "SECRET" in line.split("=")[0]:
            assert line.split("=", 1)[1].strip() in {"", "change-me"}, line
