"""Prometheus metrics and /healthz, scraped over HTTP while the daemon runs."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from fakesheets import FakeSheets
from sheetpilot._backends.google import GoogleBackend
from sheetpilot._config import GoogleConfig
from sheetpilot._daemon import Daemon
from sheetpilot._errors import ConfigError
from sheetpilot._example import example_plan
from sheetpilot._history import read_states
from sheetpilot._scaffold import scaffold_changes
from tests.polling import wait_until


def lay_example(fake: FakeSheets) -> str:
    key = fake.create_spreadsheet("Plan")
    backend = GoogleBackend(key, GoogleConfig(credentials="none", endpoint=fake.url))
    backend.write(scaffold_changes(backend.read(), "fr", example_plan(date(2026, 1, 5))))
    return key


def write_config(path: Path, fake: FakeSheets, plans: dict[str, str], listen: str) -> Path:
    lines = ["[google]", 'credentials = "none"', f'endpoint = "{fake.url}"', "[daemon]"]
    lines += ['history = "history.sqlite"', f'listen = "{listen}"']
    for name, key in plans.items():
        lines += ["[[plans]]", f'name = "{name}"', f'spreadsheet = "{key}"', 'every = "0.5s"']
    path.write_text("\n".join(lines) + "\n")
    return path


def scrape(url: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    answer = requests.get(f"{url}/metrics", timeout=5)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("text/plain")
    out = {}
    for family in text_string_to_metric_families(answer.text):
        for sample in family.samples:
            out[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return out


def logged(fake: FakeSheets, prefix: str, method: str | None = None) -> int:
    return sum(
        1 for e in fake.log if e.path.startswith(prefix) and (method is None or e.method == method)
    )


def test_metrics_count_syncs_requests_and_leases_during_a_run(tmp_path, fake):
    plans = {name: lay_example(fake) for name in ("a", "b", "c")}
    fake.reset()
    config = write_config(tmp_path / "sheetpilot.toml", fake, plans, "127.0.0.1:0")
    daemon = Daemon(config, {})
    daemon.start()
    try:
        assert daemon.metrics_address is not None
        host, port = daemon.metrics_address
        url = f"http://{host}:{port}"
        names = list(plans)
        runs = lambda: sum(s.runs for s in read_states(tmp_path / "history.sqlite", names))  # noqa: E731
        wait_until(lambda: runs() == 3)
        fake.set_values(plans["b"], "'Suivi des actions'!H26", [[5]])
        wait_until(lambda: runs() == 4)
        wait_until(lambda: scrape(url)[("sheetpilot_polls_skipped_total", ())] >= 3)
        drive_before = logged(fake, "/drive/")
        metrics = scrape(url)
        drive_after = logged(fake, "/drive/")
        health = requests.get(f"{url}/healthz", timeout=5)
    finally:
        daemon.stop()
    syncs = {
        dict(labels)["reason"]: value
        for (name, labels), value in metrics.items()
        if name == "sheetpilot_syncs_total" and dict(labels)["outcome"] == "ok"
    }
    assert syncs == {"first-run": 3, "edit": 1}

    def sheets(kind: str) -> float:
        return metrics[("sheetpilot_requests_total", (("api", "sheets"), ("kind", kind)))]

    assert sheets("read") == logged(fake, "/v4/", "GET") == 4
    assert sheets("write") == logged(fake, "/v4/", "POST") == 4  # 3 first runs + the edit
    drive = metrics[("sheetpilot_requests_total", (("api", "drive"), ("kind", "metadata")))]
    assert drive_before <= drive <= drive_after + 1  # a granted poll may still be on its way
    assert metrics[("sheetpilot_sync_duration_seconds_count", ())] == 4
    assert metrics[("sheetpilot_plans_leased", ())] == 3
    assert metrics[("sheetpilot_drive_polls_total", (("result", "ok"),))] >= 3
    assert ("sheetpilot_quota_waits_total", (("kind", "read"),)) in metrics
    assert health.status_code == 200
    assert json.loads(health.text) == {"status": "ok", "plans": 3, "leased": 3, "drive_feed": "ok"}
    with pytest.raises(requests.ConnectionError):  # stopped: nothing listens any more
        requests.get(f"{url}/healthz", timeout=5)


def test_an_address_in_use_stops_the_start_with_a_clear_error(tmp_path, fake):
    first = Daemon(write_config(tmp_path / "a.toml", fake, {}, "127.0.0.1:0"), {})
    first.start()
    try:
        assert first.metrics_address is not None
        taken = f"127.0.0.1:{first.metrics_address[1]}"
        second = Daemon(write_config(tmp_path / "b.toml", fake, {}, taken), {})
        with pytest.raises(ConfigError, match=r"cannot serve metrics on 127\.0\.0\.1:\d+"):
            second.start()
    finally:
        first.stop()


def test_listen_must_be_host_and_port(tmp_path, fake):
    config = write_config(tmp_path / "c.toml", fake, {}, "9464")
    with pytest.raises(ConfigError, match=r"daemon\.listen: .*host:port"):
        Daemon(config, {})
