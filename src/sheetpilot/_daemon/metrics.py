"""Prometheus metrics and a health check for operators: `[daemon] listen = "host:port"`.

`GET /metrics` (the Prometheus text format, prometheus_client) and `GET /healthz`
(JSON; 200 while the daemon serves, 503 while it stops). Each daemon has its own
registry, so several in one process (tests) never mix their counts.

    sheetpilot_syncs_total{outcome,reason}      syncs by outcome (ok/errors/failed) and why
    sheetpilot_polls_skipped_total              polls that found nothing to sync (0 Sheets requests)
    sheetpilot_requests_total{api,kind}         requests sent to Google: api sheets (kind
                                                read/write) or drive (kind metadata)
    sheetpilot_quota_waits_total{kind}          requests that waited for the budget
    sheetpilot_quota_wait_seconds_total{kind}   seconds spent waiting for it
    sheetpilot_sync_duration_seconds            a histogram of sync durations
    sheetpilot_plans_leased                     plans this process syncs now
    sheetpilot_drive_polls_total{result}        polls of Drive's changes feed (ok/failed)
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily
from prometheus_client.registry import Collector

from sheetpilot._daemon.governor import Kind

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
DURATION_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0)


class _Waits(Collector):
    """Quota waits, read from the governor when scraped."""

    def __init__(self, waits: Callable[[], tuple[dict[Kind, int], dict[Kind, float]]]) -> None:
        self._waits = waits

    def collect(self) -> Iterator[CounterMetricFamily]:
        counts, seconds = self._waits()
        waits = CounterMetricFamily(
            "sheetpilot_quota_waits", "Requests that waited for the quota budget", labels=["kind"]
        )
        spent = CounterMetricFamily(
            "sheetpilot_quota_wait_seconds",
            "Seconds spent waiting for the quota budget",
            labels=["kind"],
        )
        for kind in ("read", "write", "drive"):
            waits.add_metric([kind], counts.get(kind, 0))
            spent.add_metric([kind], seconds.get(kind, 0.0))
        yield waits
        yield spent


class Metrics:
    """The daemon's counters; `serve(address)` exposes them over HTTP."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.syncs = Counter(
            "sheetpilot_syncs", "Syncs by outcome and reason", ["outcome", "reason"], registry=r
        )
        self.skipped = Counter(
            "sheetpilot_polls_skipped", "Polls that found nothing to sync", registry=r
        )
        self.requests = Counter(
            "sheetpilot_requests", "Requests sent to Google", ["api", "kind"], registry=r
        )
        self.duration = Histogram(
            "sheetpilot_sync_duration_seconds",
            "How long a sync took",
            buckets=DURATION_BUCKETS,
            registry=r,
        )
        self.leased = Gauge("sheetpilot_plans_leased", "Plans this process syncs now", registry=r)
        self.drive_polls = Counter(
            "sheetpilot_drive_polls", "Polls of Drive's changes feed", ["result"], registry=r
        )
        for api, kind in (("sheets", "read"), ("sheets", "write"), ("drive", "metadata")):
            self.requests.labels(api, kind)
        self._server: ThreadingHTTPServer | None = None
        self.health: Callable[[], tuple[bool, dict[str, Any]]] = lambda: (True, {})

    def watch_governor(
        self, waits: Callable[[], tuple[dict[Kind, int], dict[Kind, float]]]
    ) -> None:
        self.registry.register(_Waits(waits))

    def granted(self, kind: Kind, _when: float) -> None:
        """The governor granted a slot: one request goes to Google."""
        if kind == "drive":
            self.requests.labels("drive", "metadata").inc()
        else:
            self.requests.labels("sheets", kind).inc()

    # --- HTTP ---------------------------------------------------------------------------
    def serve(self, address: str) -> tuple[str, int]:
        """Listen on `address` ("host:port", port 0: any free one); the bound address."""
        host, _, port = address.rpartition(":")
        metrics = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return

            def do_GET(self) -> None:
                path = self.path.split("?", 1)[0]
                if path == "/metrics":
                    self._answer(200, generate_latest(metrics.registry), CONTENT_TYPE)
                elif path == "/healthz":
                    ok, detail = metrics.health()
                    body = json.dumps({"status": "ok" if ok else "unavailable", **detail})
                    self._answer(200 if ok else 503, body.encode(), "application/json")
                else:
                    self._answer(404, b"not found: try /metrics or /healthz\n", "text/plain")

            def _answer(self, status: int, body: bytes, content_type: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        server = ThreadingHTTPServer((host.strip("[]"), int(port)), Handler)
        server.daemon_threads = True
        self._server = server
        threading.Thread(
            target=server.serve_forever, args=(0.2,), name="metrics", daemon=True
        ).start()
        bound = server.server_address
        return str(bound[0]), int(bound[1])

    def close(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
