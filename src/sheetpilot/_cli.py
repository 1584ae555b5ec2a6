"""The command line: thin commands that build objects, call the library, and turn errors into exit codes.

Exit codes (DESIGN.md §5): 0 ok, 1 the plan has errors, 2 usage or configuration error,
3 spreadsheet or network failure.
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from sheetpilot import __version__
from sheetpilot._config import Config, GoogleConfig, XlsxConfig, config_from_dict, load_config
from sheetpilot._errors import ConfigError, SheetpilotError
from sheetpilot._models import Report
from sheetpilot._render.checks import ordered
from sheetpilot._sync import SyncOutcome, report_json, run_sync
from sheetpilot._targets import open_backend
from sheetpilot._template import Locale

log = logging.getLogger("sheetpilot")
app = typer.Typer(
    help="Keep a marketing action plan alive in Google Sheets or a local .xlsx workbook.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# No console markup: messages quote what users typed ('[/x]', '[google] credentials') and
# must print as they are; styles are applied with rich Text instead.
out = Console(highlight=False, soft_wrap=True, markup=False)
err = Console(stderr=True, highlight=False, soft_wrap=True, markup=False)

TargetArg = Annotated[
    str | None,
    typer.Argument(
        help="A local .xlsx path, a Google spreadsheet key, or its URL.", show_default=False
    ),
]
ConfigOpt = Annotated[
    Path | None, typer.Option("--config", "-c", help="TOML configuration file.", show_default=False)
]
PlanOpt = Annotated[
    str | None,
    typer.Option("--plan", "-p", help="Plan name in the configuration.", show_default=False),
]
TodayOpt = Annotated[
    str | None,
    typer.Option(
        "--today", help="Fix the date (YYYY-MM-DD) instead of the clock.", show_default=False
    ),
]
LocaleOpt = Annotated[
    str | None, typer.Option("--locale", help="fr or en (default: detected from the tabs).")
]


@dataclass(frozen=True)
class Target:
    name: str  # the plan's name in reports
    where: str  # path, key or URL
    google: GoogleConfig
    locale: Locale | None
    xlsx: XlsxConfig = field(default_factory=XlsxConfig)


def _fail(error: SheetpilotError) -> NoReturn:
    err.print(Text.assemble(("error:", "bold red"), f" {error}"), soft_wrap=True)
    raise typer.Exit(error.exit_code)


def _locale(value: str | None) -> Locale | None:
    if value is None:
        return None
    if value not in ("fr", "en"):
        raise ConfigError(f"--locale must be 'fr' or 'en', not {value!r}")
    return "fr" if value == "fr" else "en"


def _today(value: str | None) -> date:
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"--today must be a date like 2026-01-15, not {value!r}") from None


def _config(path: Path | None) -> Config:
    if path is None:
        return config_from_dict({}, env=os.environ)
    return load_config(path, env=os.environ)


def _target(
    target: str | None, config: Path | None, plan: str | None, locale: str | None
) -> Target:
    cfg = _config(config)
    if plan is not None:
        if config is None:
            raise ConfigError("--plan needs --config FILE")
        if target is not None:
            raise ConfigError("give a TARGET or --config/--plan, not both")
        entry = cfg.plan(plan)
        return Target(
            entry.name, entry.target, cfg.google, _locale(locale) or entry.locale, cfg.xlsx
        )
    if target is None:
        raise ConfigError(
            "give a TARGET (a .xlsx path, a spreadsheet key or URL) or --config/--plan"
        )
    name = Path(target).stem if target.lower().endswith(".xlsx") else target
    return Target(name, target, cfg.google, _locale(locale), cfg.xlsx)


def _check_report_path(path: Path | None) -> None:
    """Refuse a --report path that cannot be written, before the sync writes anything."""
    if path is None:
        return
    if path.is_dir():
        raise ConfigError(
            f"--report {path} is a folder: give a file name, e.g. {path / 'report.json'}"
        )
    if not path.parent.is_dir():
        raise ConfigError(f"--report {path}: the folder {path.parent} does not exist")


def _write_report(path: Path, report: Report) -> None:
    try:
        path.write_text(report_json(report), encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"could not write the report to {path}: {exc.strerror or exc}") from exc


# --- output -------------------------------------------------------------------------------
def _fmt(value: float | None, pattern: str = "{:.1f}") -> str:
    return "—" if value is None else pattern.format(value)


def print_summary(report: Report, *, more: str = "") -> None:
    table = Table(title=f"{report.plan} — {report.today.isoformat()}", title_justify="left")
    for column in ("Period", "Dates", "Actions", "Person-days", "Done", "Capacity", "Load"):
        table.add_column(column, justify="left" if column in ("Period", "Dates") else "right")
    for p in report.periods:
        marker = " ◀" if p.start <= report.today <= p.end else ""
        table.add_row(
            p.name + marker,
            f"{p.start:%d/%m/%y}–{p.end:%d/%m/%y}",
            str(p.actions),
            _fmt(p.person_days),
            _fmt(p.done_person_days),
            _fmt(p.capacity),
            _fmt(None if p.load is None else p.load * 100, "{:.0f} %"),
        )
    out.print(table)
    for objective in report.objectives:
        out.print(
            f"  {objective.objective}: {objective.progress:.0%} ({objective.health})", markup=False
        )
    print_issues(report, more=more)


def print_issues(report: Report, limit: int = 20, *, more: str = "") -> None:
    """The issues as a table, errors first (as in the Contrôles tab), at most `limit` rows.

    `more` says where to find the rest when there are more than `limit`.
    """
    issues = ordered(report.issues)
    errors = sum(1 for i in issues if i.severity == "error")
    warnings = len(issues) - errors
    if not issues:
        out.print(Text("No issues found.", style="green"))
        return
    table = Table(title=f"{errors} error(s), {warnings} warning(s)", title_justify="left")
    for column in ("", "Cell", "Code", "Message"):
        table.add_column(column, overflow="fold")
    for issue in issues[:limit]:
        mark = Text("error", "red") if issue.severity == "error" else Text("warning", "yellow")
        table.add_row(mark, f"{issue.sheet}!{issue.cell}", issue.code, issue.message)
    out.print(table)
    if len(issues) > limit:
        out.print(f"… and {len(issues) - limit} more{more}.", markup=False)


def print_preview(outcome: SyncOutcome) -> None:
    if not outcome.preview:
        out.print("Dry run: nothing would change.")
        return
    table = Table(title="Dry run: cells that would change", title_justify="left")
    for column in ("Cell", "Now", "After"):
        table.add_column(column, overflow="fold")
    for sheet, cell, old, new in outcome.preview:
        table.add_row(
            f"{sheet}!{cell}", "" if old is None else str(old), "" if new is None else str(new)
        )
    out.print(table, markup=False)


def _writes_line(outcome: SyncOutcome) -> str:
    w = outcome.report.writes
    if outcome.blocked:
        return "Nothing written: fix the missing tabs or columns above, then sync again."
    if outcome.dry_run:
        return f"Dry run: {w.cells} cell(s) would be written; {w.requests} request(s)."
    if w.cells == 0:
        return f"Up to date: nothing to write ({w.requests} request(s))."
    return f"Wrote {w.cells} cell(s) in {w.requests} request(s)."


# --- commands -----------------------------------------------------------------------------
@app.command()
def sync(
    target: TargetArg = None,
    config: ConfigOpt = None,
    plan: PlanOpt = None,
    today: TodayOpt = None,
    locale: LocaleOpt = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would change, cell by cell; write nothing.")
    ] = False,
    report: Annotated[
        Path | None, typer.Option("--report", help="Write the JSON report to this file.")
    ] = None,
) -> None:
    """Read the plan, recompute everything, and write back only what changed."""
    try:
        t = _target(target, config, plan, locale)
        _check_report_path(report)  # before the sync writes anything
        backend = open_backend(t.where, t.google, interactive=True, xlsx=t.xlsx)
        outcome = run_sync(
            backend, plan=t.name, today=_today(today), locale=t.locale, dry_run=dry_run
        )
    except SheetpilotError as exc:
        _fail(exc)
    written = not (outcome.dry_run or outcome.blocked)
    print_summary(
        outcome.report,
        more=" (see the Contrôles / Checks tab, or --report FILE)"
        if written
        else " (--report FILE lists them all)",
    )
    if dry_run:
        print_preview(outcome)
    out.print(_writes_line(outcome))
    if report is not None:
        try:
            _write_report(report, outcome.report)
        except SheetpilotError as exc:
            _fail(exc)
    raise typer.Exit(1 if outcome.has_errors else 0)


@app.command()
def check(
    target: TargetArg = None,
    config: ConfigOpt = None,
    plan: PlanOpt = None,
    today: TodayOpt = None,
    locale: LocaleOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the JSON report.")] = False,
) -> None:
    """Check the plan and list every issue; write nothing."""
    try:
        t = _target(target, config, plan, locale)
        backend = open_backend(t.where, t.google, interactive=True, xlsx=t.xlsx)
        outcome = run_sync(backend, plan=t.name, today=_today(today), locale=t.locale, dry_run=True)
    except SheetpilotError as exc:
        _fail(exc)
    if as_json:
        sys.stdout.write(report_json(outcome.report))
    else:
        print_issues(outcome.report, more=" (--json lists them all)")
    raise typer.Exit(1 if outcome.has_errors else 0)


@app.command()
def init(
    target: TargetArg = None,
    config: ConfigOpt = None,
    plan: PlanOpt = None,
    locale: Annotated[str, typer.Option("--locale", help="fr or en.")] = "fr",
    example: Annotated[
        bool, typer.Option("--example", help="Fill in a realistic example plan (~30 actions).")
    ] = False,
    today: TodayOpt = None,
) -> None:
    """Lay the template into a spreadsheet or a new workbook; never destroys data when run again."""
    from sheetpilot._init import init_plan

    try:
        t = _target(target, config, plan, locale)
        done = init_plan(
            lambda create: open_backend(
                t.where, t.google, create=create, interactive=True, xlsx=t.xlsx
            ),
            plan=t.name,
            locale=t.locale or "fr",
            today=_today(today),
            example=example,
        )
        out.print(f"Template laid into {done.described}: {done.cells} cell(s) written.")
        if done.kept:
            out.print(
                f"The example was not added to {', '.join(done.kept)}: they already hold data "
                "(the example only goes into empty tabs; try a new workbook).",
                markup=False,
            )
        if done.service_account_email:
            out.print(
                Text.assemble(
                    "Share the spreadsheet with ",
                    (done.service_account_email, "bold"),
                    " (Editor) so sheetpilot can sync it.",
                )
            )
        if done.sync is not None:
            print_summary(done.sync.report, more=" (see the Contrôles / Checks tab)")
            out.print(_writes_line(done.sync))
        else:
            again = f"--config {config} --plan {plan}" if plan is not None else t.where
            if plan is None and config is not None:
                again += f" --config {config}"  # its [google] endpoint and credentials
            out.print(
                f"Next: type your plan into the input tabs, then run: sheetpilot sync {again}",
                markup=False,
            )
    except SheetpilotError as exc:
        _fail(exc)


@app.command()
def daemon(
    config: Annotated[Path, typer.Option("--config", "-c", help="TOML configuration file.")],
    once: Annotated[bool, typer.Option("--once", help="Run every plan once and exit.")] = False,
    log_format: Annotated[
        str, typer.Option("--log-format", help="text or json (one line per run).")
    ] = "text",
) -> None:
    """Keep every plan of the configuration in sync on its schedule."""
    from sheetpilot._daemon import run_daemon

    try:
        code = run_daemon(config, once=once, log_format=log_format, env=os.environ)
    except SheetpilotError as exc:
        _fail(exc)
    raise typer.Exit(code)


@app.command()
def status(
    config: Annotated[Path, typer.Option("--config", "-c", help="TOML configuration file.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """One line per plan: last run, outcome, next run, failures in a row (from the run history)."""
    from sheetpilot._status import print_status

    try:
        code = print_status(_config(config), as_json=as_json, console=out)
    except SheetpilotError as exc:
        _fail(exc)
    raise typer.Exit(code)


def _version(value: bool) -> None:
    if value:
        out.print(f"sheetpilot {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    verbose: Annotated[int, typer.Option("--verbose", "-v", count=True, help="More logs.")] = 0,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("google.auth", "google.oauth2", "urllib3"):  # token requests are logged at DEBUG
        logging.getLogger(noisy).setLevel(logging.WARNING)
    if verbose == 0:  # say why a command is waiting: "HTTP 429, retrying in 2.5 s"
        logging.getLogger("sheetpilot.google").setLevel(logging.INFO)


def main() -> None:
    app()
