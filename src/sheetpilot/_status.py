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
from sheetpilot._i18n import N_, Translator

_STYLES = {"ok": "green", "errors": "yellow", "failed": "bold red", "never": "dim"}
# The table's words (the JSON keeps the English outcome enums).
_OUTCOMES = {"ok": N_("ok"), "errors": N_("errors"), "failed": N_("failed"), "never": N_("never")}
_HEADERS = (N_("Plan"), N_("Outcome"), N_("Last run"), N_("Next run"), N_("Runs"))
_FAILURES = N_("Failures in a row")
_CHANGE_HEADERS = (N_("Last change"), N_("Why synced"))
# Why a plan synced (the history's `reason`), as the table says it.
_REASONS = {
    "edit": N_("edit"),
    "day-change": N_("day change"),
    "safety-net": N_("safety net"),
    "first-run": N_("first run"),
}


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
    rows: list[dict[str, Any]],
    *,
    timezone: str = "UTC",
    budget: BudgetUse | None = None,
    t: Translator | None = None,
) -> Table:
    """The rows as a rich table, times shown in `timezone` (the caption says so), its words
    in the language of `t` (the caller's `LANG`)."""
    t = t or Translator("en")
    tz = ZoneInfo(timezone)
    table = Table(title=t("sheetpilot plans"), caption=status_caption(timezone, budget, t))
    for i, header in enumerate((*_HEADERS, _FAILURES)):
        table.add_column(t(header), justify="right" if i >= 4 else "left")
    for header in _CHANGE_HEADERS:  # change detection (Drive)
        table.add_column(t(header), justify="left")
    for row in rows:
        outcome = row["outcome"]
        table.add_row(
            Text(row["plan"]),
            Text(t(_OUTCOMES.get(outcome, outcome)), style=_STYLES.get(outcome, "")),
            _local(row["last_run"], tz),
            _local(row["next_run"], tz),
            str(row["runs"]),
            str(row["failures_in_a_row"]),
            _local(row.get("last_change"), tz),
            Text(t(_REASONS[row["reason"]]) if row.get("reason") in _REASONS else ""),
        )
    return table


def status_caption(timezone: str, budget: BudgetUse | None, t: Translator | None = None) -> str:
    t = t or Translator("en")
    if budget is None:
        return t("times in {zone}", zone=timezone)
    return t(
        "times in {zone} · quota budget last minute: reads {reads}/{reads_per_minute}, writes "
        "{writes}/{writes_per_minute} per minute",
        zone=timezone,
        reads=budget.reads,
        reads_per_minute=budget.reads_per_minute,
        writes=budget.writes,
        writes_per_minute=budget.writes_per_minute,
    )


def status_messages(rows: list[dict[str, Any]]) -> list[Text]:
    """Each plan's last message on its own line, full width, under the table: in a table
    column an 80-column terminal would leave it a few characters wide."""
    return [
        Text.assemble((row["plan"], "bold"), ": ", row["message"]) for row in rows if row["message"]
    ]


def print_status(
    config: Config,
    *,
    as_json: bool = False,
    console: Console | None = None,
    t: Translator | None = None,
) -> int:
    """What `sheetpilot status --config FILE [--json]` prints; returns the exit code (0)."""
    console = console or Console()
    rows = status_rows(config)
    if as_json:
        console.file.write(status_json(rows))
    else:
        budget = _budget(config)
        table = status_table(rows, timezone=config.daemon.timezone, budget=budget, t=t)
        table.caption = None  # printed in full below: the narrow table would wrap it
        console.print(table)
        console.print(status_caption(config.daemon.timezone, budget, t), style="dim")
        for line in status_messages(rows):
            console.print(line)
    return 0
