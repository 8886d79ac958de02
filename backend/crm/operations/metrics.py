"""Prometheus metrics at ``/metrics``: request latency by route, responses by status, jobs, the pool.

Under gunicorn (several processes) set PROMETHEUS_MULTIPROC_DIR to an empty folder shared by the
processes: every process writes its samples there and the scrape adds them up (prometheus-client's
multiprocess mode; deploy/gunicorn.conf.py removes the files of a process that exited). Without it
the samples are those of the answering process.
"""

from __future__ import annotations

import hmac
import os
import re
import time
from collections.abc import Callable, Iterator

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from crm.core.security import parse_ip
from crm.jobs import selectors as job_selectors

REQUEST_LATENCY = Histogram(
    "crm_http_request_duration_seconds",
    "Time from request to response, by route",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
RESPONSES = Counter("crm_http_responses_total", "Responses by route and status", ["method", "route", "status"])
POOL_SIZE = Gauge("crm_db_pool_connections", "Connections the database pool holds", multiprocess_mode="livesum")
POOL_IDLE = Gauge("crm_db_pool_idle_connections", "Idle connections in the pool", multiprocess_mode="livesum")
POOL_WAITING = Gauge("crm_db_pool_waiting_requests", "Requests waiting for a connection", multiprocess_mode="livesum")


_GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)")


def _route(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unmatched"
    # "api/v1/accounts/(?P<pk>[0-9]+)/?$" -> "/api/v1/accounts/{pk}": one label per route, not per id.
    route = _GROUP.sub(r"{\1}", str(match.route)).replace("^", "").replace("$", "").replace("/?", "")
    return "/" + route.lstrip("/")


def _record_pool() -> None:
    pool = getattr(connection, "pool", None) if connection.vendor == "postgresql" else None
    if pool is None:
        return
    stats = pool.get_stats()
    POOL_SIZE.set(stats.get("pool_size", 0))
    POOL_IDLE.set(stats.get("pool_available", 0))
    POOL_WAITING.set(stats.get("requests_waiting", 0))


class MetricsMiddleware:
    """Times every request, counts its status, names the instance that answered."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        route = _route(request)
        REQUEST_LATENCY.labels(request.method, route).observe(time.perf_counter() - started)
        RESPONSES.labels(request.method, route, str(response.status_code)).inc()
        if settings.CRM_INSTANCE:
            response["X-CRM-Instance"] = settings.CRM_INSTANCE
        if route != "/metrics":
            _record_pool()
        return response


class JobCollector(Collector):
    """Jobs per state (queued is the queue depth, failed the failures), read from the job table at scrape."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        family = GaugeMetricFamily("crm_jobs", "Background jobs by state", labels=["state"])
        for state, count in job_selectors.job_counts().items():
            family.add_metric([state], count)
        yield family
        broker = GaugeMetricFamily("crm_broker_queue_length", "Messages waiting in the broker's default queue")
        length = _broker_queue_length()
        if length is not None:
            broker.add_metric([], length)
            yield broker


def _broker_queue_length() -> int | None:
    from celery import current_app

    try:
        with current_app.connection_for_read() as conn:
            return int(conn.default_channel.queue_declare(queue="celery", passive=True).message_count)
    except Exception:
        return None


def _allowed(request: HttpRequest) -> bool:
    token = settings.METRICS_TOKEN
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if token and header.startswith("Bearer ") and hmac.compare_digest(header[7:].strip(), token):
        return True
    # The raw connection only: a request relayed by a proxy on this machine is not "local".
    address = parse_ip(request.META.get("REMOTE_ADDR", ""))
    relayed = "HTTP_X_FORWARDED_FOR" in request.META or "HTTP_X_REAL_IP" in request.META
    return address is not None and address.is_loopback and not relayed


def metrics_view(request: HttpRequest) -> HttpResponse:
    if not _allowed(request):
        return HttpResponse("Not found.\n", status=404, content_type="text/plain")
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
    else:
        for collector in (REQUEST_LATENCY, RESPONSES, POOL_SIZE, POOL_IDLE, POOL_WAITING):
            registry.register(collector)
    registry.register(JobCollector())
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
