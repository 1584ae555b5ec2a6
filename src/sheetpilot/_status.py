"""`sheetpilot status`: one line per plan of the configuration, read from the run history.

Each row (also the `--json` output, DESIGN.md §5):
`{"plan", "outcome", "last_run", "next_run", "runs", "failures_in_a_row", "message"}`
where outcome is `ok`, `errors`, `failed` or `never` (no run recorded) and times are
ISO 8601 (UTC) or null; change detection adds `"last_change"` (someone else's last edit
Drive reported), `"last_sync"` (the last sync that read the spreadsheet) and `"reason"`
(why it synced: `edit`, `day-change`, `safety-net`, `first-run`, `schedule` for a local
workbook, `once`; "" when unknown). The table also shows the quota budget's last recorded use.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from rich.console import Console
from rich.table import Table
from rich.text import Text

from sheetpilot._config import Config
from sheetpilot._history import BudgetUse, PlanState, read_budget, read_states

_STYLES = {"ok": "green", "errors": "yellow", "failed": "bold red", "never": "dim"}


def _iso(when: datetime | None) -> str | None:
    return None if when is None else when.isoformat(timespec="seconds")


def status_row(state: PlanState) -> dict[str, Any]:
    """A plan's state as the JSON row `status --json` prints.

    >>> status_row(PlanState(plan="demo"))["outcome"]
    'never'
    """
    return {
        "plan": state.plan,
        "outcome": state.last_outcome or "never",
        "last_run": _iso(state.last_run),
        "next_run": _iso(state.next_run),
        "runs": state.runs,
        "failures_in_a_row": state.failures_in_a_row,
        "message": state.last_message,
        "last_change": _iso(state.last_change),
        "last_sync": _iso(state.last_sync),
        "reason": state.reason,
    }


def status_rows(config: Config) -> list[dict[str, Any]]:
    """One row per plan of the configuration, in its order, from the run history."""
    names = [p.name for p in config.plans]
    if config.daemon.postgres:  # a fleet's history in PostgreSQL
        from sheetpilot._daemon.pg import PgHistory

        with PgHistory(config.daemon.postgres) as history:
            return [status_row(s) for s in history.states(names)]
    return [status_row(s) for s in read_states(config.history_path, names)]


def _budget(config: Config) -> BudgetUse | None:
    if config.daemon.postgres:
        from sheetpilot._daemon.pg import PgHistory

        with PgHistory(config.daemon.postgres) as history:
            return history.budget()
    return read_budget(config.history_path)


def status_json(rows: list[dict[str, Any]]) -> str:
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"


def _local(text: str | None, tz: ZoneInfo) -> str:
    if text is None:
        return "—"
    return datetime.fromisoformat(text).astimezone(tz).strftime("%Y-%m-%d %H:%M:%S")


def status_table(
    rows: list[dict[str, Any]], *, timezone: str = "UTC", budget: BudgetUse | None = None
) -> Table:
    """The rows as a rich table, times shown in `timezone`."""
    tz = ZoneInfo(timezone)
    caption = f"times in {timezone}"
    if budget is not None:
        caption += f" · quota budget last minute: {budget.describe()}"
    table = Table(title="sheetpilot plans", caption=caption)
    headers = ["Plan", "Outcome", "Last run", "Next run", "Runs", "Failures in a row"]
    headers += ["Last change", "Why synced"]  # change detection (Drive)
    for header in headers:
        table.add_column(
            header, justify="right" if header in {"Runs", "Failures in a row"} else "left"
        )
    table.add_column("Message", overflow="fold")
    for row in rows:
        table.add_row(
            Text(row["plan"]),
            Text(row["outcome"], style=_STYLES.get(row["outcome"], "")),
            _local(row["last_run"], tz),
            _local(row["next_run"], tz),
            str(row["runs"]),
            str(row["failures_in_a_row"]),
            _local(row.get("last_change"), tz),
            Text(row.get("reason") or ""),
            Text(row["message"] or ""),
        )
    return table


def print_status(config: Config, *, as_json: bool = False, console: Console | None = None) -> int:
    """What `sheetpilot status --config FILE [--json]` prints; returns the exit code (0)."""
    console = console or Console()
    rows = status_rows(config)
    if as_json:
        console.file.write(status_json(rows))
    else:
        budget = _budget(config)
        console.print(status_table(rows, timezone=config.daemon.timezone, budget=budget))
    return 0
