"""deploy/: the compose file's services, their order and health checks; the nginx configurations."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())


def test_the_compose_file_has_the_topology(compose):
    services = compose["services"]
    assert set(services) == {"nginx", "app1", "app2", "migrate", "postgres", "redis", "worker", "beat"}
    assert {"media", "backups", "pgdata"} <= set(compose["volumes"])


def test_everything_that_uses_the_database_waits_for_the_one_shot_migration(compose):
    services = compose["services"]
    assert services["migrate"]["restart"] == "no"
    assert services["migrate"]["command"][:3] == ["python", "manage.py", "migrate"]
    assert services["migrate"]["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    for name in ("app1", "app2", "worker", "beat"):
        depends = services[name]["depends_on"]
        assert depends["migrate"] == {"condition": "service_completed_successfully"}, name
        assert depends["postgres"] == {"condition": "service_healthy"}, name
        assert depends["redis"] == {"condition": "service_healthy"}, name
        assert "/var/lib/crm/backups" in " ".join(services[name]["volumes"])
    assert services["nginx"]["depends_on"] == {
        "app1": {"condition": "service_healthy"},
        "app2": {"condition": "service_healthy"},
    }


def test_every_long_running_service_has_a_health_check(compose):
    for name, service in compose["services"].items():
        if name != "migrate":
            assert service.get("healthcheck", {}).get("test"), name


def test_the_instances_differ_only_in_their_name(compose):
    app1, app2 = compose["services"]["app1"], compose["services"]["app2"]
    assert app1["environment"]["CRM_INSTANCE"] == "app1"
    assert app2["environment"]["CRM_INSTANCE"] == "app2"
    assert app1["environment"]["REDIS_URL"] == app2["environment"]["REDIS_URL"] == "redis://redis:6379/0"
    assert compose["services"]["beat"]["command"][:4] == ["celery", "-A", "config", "beat"]
    assert "--beat" not in compose["services"]["worker"]["command"]  # exactly one beat


@pytest.mark.skipif(
    shutil.which("docker") is None
    or subprocess.run(["docker", "compose", "version"], capture_output=True, check=False).returncode != 0,
    reason="docker compose is not installed here",
)
def test_docker_compose_accepts_the_file():
    result = subprocess.run(
        ["docker", "compose", "-f", str(DEPLOY / "docker-compose.yml"), "config", "--quiet"],
        capture_output=True,
        text=True,
        check=False,
        env={"SECRET_KEY": "x" * 50, "POSTGRES_PASSWORD": "test", "PATH": "/usr/bin:/bin:/usr/local/bin"},
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("name", ["nginx.conf", "nginx-cluster.conf"])
def test_nginx_retries_on_the_other_instance_but_never_repeats_a_write(name):
    text = (DEPLOY / name).read_text()
    assert "proxy_next_upstream error timeout http_502 http_503;" in text
    directives = [line.strip() for line in text.splitlines() if line.strip().startswith("proxy_next_upstream ")]
    assert directives and not any("non_idempotent" in line for line in directives)
    assert "location = /metrics" in text


@pytest.mark.skipif(shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists(), reason="no nginx")
def test_the_cluster_nginx_configuration_is_valid(tmp_path):
    (tmp_path / "tmp").mkdir()
    conf = (DEPLOY / "nginx-cluster.conf").read_text()
    conf = conf.replace("@LISTEN@", "127.0.0.1:1").replace("@APP1@", "127.0.0.1:2").replace("@APP2@", "127.0.0.1:3")
    (tmp_path / "nginx.conf").write_text(conf.replace("@DIR@", str(tmp_path)))
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    result = subprocess.run(
        [nginx, "-t", "-q", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-g", "daemon off;"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_bare_metal_units_run_the_same_processes():
    procfile = (DEPLOY / "Procfile").read_text()
    for line in ("release: python manage.py migrate", "web1:", "web2:", "worker: celery", "beat: celery"):
        assert line in procfile
    units = {path.name for path in (DEPLOY / "systemd").iterdir()}
    assert units == {"crm-migrate.service", "crm-web@.service", "crm-worker.service", "crm-beat.service"}
    assert "Type=oneshot" in (DEPLOY / "systemd" / "crm-migrate.service").read_text()
