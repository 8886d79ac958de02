"""gunicorn settings shared by the containers, the systemd units and `make cluster`.

Bind address, workers and threads come from the environment (GUNICORN_BIND, GUNICORN_WORKERS,
GUNICORN_THREADS). With PROMETHEUS_MULTIPROC_DIR set, the folder is emptied at start and a
worker's metric files are retired when it exits (prometheus-client's multiprocess mode).
"""

import os
import shutil
from pathlib import Path

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
accesslog = None
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")
wsgi_app = "config.wsgi:application"


def on_starting(server):
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        Path(folder).mkdir(parents=True, exist_ok=True)


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
