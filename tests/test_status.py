"""`sheetpilot status`: one row per configured plan, read from the run history."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

from rich.console import Console

from sheetpilot._config import config_from_dict
from sheetpilot._history import BudgetUse, History, RunRecord
from sheetpilot._status import print_status, status_rows, status_table

T0 = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)


def make_config(tmp_path, *names: str, tz: str = "UTC"):
    return config_from_dict(
        {
            "daemon": {"timezone": tz},
            "plans": [{"name": n, "path": f"{n}.xlsx", "every": "5m"} for n in names],
        },
        source=tmp_path / "sheetpilot.toml",
    )


def test_plans_never_run_read_as_never(tmp_path):
    rows = status_rows(make_config(tmp_path, "a", "b"))
    assert rows == [
        {
            "plan": n,
            "outcome": "never",
            "last_run": None,
            "next_run": None,
            "runs": 0,
            "failures_in_a_row": 0,
            "message": "",
            "last_change": None,
            "last_sync": None,
            "reason": "",
        }
        for n in ("a", "b")
    ]


def test_rows_tell_each_plans_story(tmp_path):
    config = make_config(tmp_path, "good", "broken", "sloppy", "new")
    with History(config.history_path) as h:
        h.record(RunRecord("good", T0, 0.3, "ok", requests=2, cells=5))
        h.set_next_run("good", datetime(2026, 1, 15, 9, 5, tzinfo=UTC))
        for _ in range(3):
            h.record(RunRecord("broken", T0, 0.1, "failed", message="no such file — check"))
        h.record(RunRecord("sloppy", T0, 0.2, "errors", errors=2, message="Objectifs!C4: dup"))
        h.record(RunRecord("removed", T0, 0.2, "ok"))
    rows = {r["plan"]: r for r in status_rows(config)}
    assert list(rows) == ["good", "broken", "sloppy", "new"]
    assert rows["good"]["outcome"] == "ok"
    assert rows["good"]["last_run"] == "2026-01-15T09:00:00+00:00"
    assert rows["good"]["next_run"] == "2026-01-15T09:05:00+00:00"
    assert (rows["broken"]["outcome"], rows["broken"]["failures_in_a_row"]) == ("failed", 3)
    assert rows["broken"]["runs"] == 3 and rows["broken"]["message"] == "no such file — check"
    assert rows["sloppy"]["outcome"] == "errors"
    assert rows["new"]["outcome"] == "never"


def test_json_output_is_the_rows(tmp_path):
    config = make_config(tmp_path, "a")
    with History(config.history_path) as h:
        h.record(RunRecord("a", T0, 0.3, "ok"))
    out = io.StringIO()
    assert print_status(config, as_json=True, console=Console(file=out)) == 0
    assert json.loads(out.getvalue()) == status_rows(config)


def test_table_shows_times_in_the_configured_zone_and_the_budget(tmp_path):
    config = make_config(tmp_path, "a", tz="Europe/Paris")
    with History(config.history_path) as h:
        h.record(RunRecord("a", T0, 0.3, "failed", message="[bold]not markup[/bold]"))
        h.set_budget(BudgetUse(12, 60, 3, 60))
    out = io.StringIO()
    print_status(config, console=Console(file=out, width=200))
    text = out.getvalue()
    assert "2026-01-15 10:00:00" in text  # 09:00 UTC in Paris
    assert "[bold]not markup[/bold]" in text
    assert "reads 12/60, writes 3/60 per minute" in text
    assert "failed" in text


def test_table_of_a_plan_never_run_has_dashes(tmp_path):
    out = io.StringIO()
    Console(file=out, width=200).print(status_table(status_rows(make_config(tmp_path, "a"))))
    assert "never" in out.getvalue() and "—" in out.getvalue()
