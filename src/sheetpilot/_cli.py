"""The command line: thin commands that build objects, call the library, and turn errors into exit codes.

Exit codes (DESIGN.md §5): 0 ok, 1 the plan has errors, 2 usage or configuration error,
3 spreadsheet or network failure.
"""

from __future__ import annotations

import importlib
import logging
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
import typer.core
from rich.console import Console
from rich.text import Text

from sheetpilot import __version__
from sheetpilot._errors import ConfigError, SheetpilotError
from sheetpilot._i18n import HEALTH_WORDS, N_, Translator
from sheetpilot._locales import env_locale, translator
from sheetpilot._template import Locale

if TYPE_CHECKING:  # the commands import what they use when they run: `--help` stays fast
    from sheetpilot._cells import CellValue
    from sheetpilot._config import Config, GoogleConfig, XlsxConfig
    from sheetpilot._models import Issue, Report
    from sheetpilot._sync import SyncOutcome

log = logging.getLogger("sheetpilot")


class _Group(typer.core.TyperGroup):
    """The command tree, its help texts said in the language of `LANG` / `LC_MESSAGES`.

    Typer builds the click commands afresh on every call; `main` translates their help
    (written in English, the gettext msgids) just before parsing, so `--help` and usage
    errors follow the caller's environment, read then (`CliRunner(env=...)` included).
    """

    def main(self, *args: Any, **kwargs: Any) -> Any:
        t = translator(env_locale(os.environ))
        _translate_help(self, t)
        with _typer_words(t):
            return super().main(*args, **kwargs)


@contextmanager
def _typer_words(t: Translator) -> Iterator[None]:
    """Typer's own words in the language of `t` for one call: the section titles and
    "No such command" go through its gettext `_`; "Usage:", "Try … for help." and
    "Error:" are fixed strings of its vendored click, replaced for the call's duration."""
    words = vars(typer.core)
    held_gettext = words.get("_")
    formatter = _click_module("formatting").HelpFormatter
    usage_error = _click_module("exceptions").UsageError
    held_usage, held_show = formatter.write_usage, usage_error.show

    def write_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        held_usage(self, prog, args, t("Usage: ") if prefix is None else prefix)

    def show(self: Any, file: Any = None) -> None:
        file = file or sys.stderr
        if self.ctx is not None:
            typer.echo(self.ctx.get_usage(), file=file)
            if self.ctx.command.get_help_option(self.ctx) is not None:
                hint = t(
                    "Try '{command} {option}' for help.",
                    command=self.ctx.command_path,
                    option=self.ctx.help_option_names[0],
                )
                typer.echo(hint, file=file)
        typer.echo(t("Error: {message}", message=_usage_message(self, t)), file=file)

    if held_gettext is not None:
        words["_"] = lambda message: t(message)
    formatter.write_usage = write_usage
    usage_error.show = show
    try:
        yield
    finally:
        if held_gettext is not None:
            words["_"] = held_gettext
        formatter.write_usage = held_usage
        usage_error.show = held_show


_REQUIRES = re.compile(
    r"Option (?P<name>'[^']*') (?P<what>requires an argument|does not take a value)\."
)


def _usage_message(error: Any, t: Translator) -> str:
    """Click's parser errors in the language of `t`: an unknown option (with the options
    it may have meant), an option missing its value or given one it does not take, a bad
    value. Click writes these as fixed English text; any other stays as click says it."""
    exceptions = _click_module("exceptions")
    message = str(error.message)
    if isinstance(error, exceptions.NoSuchOption) and message.startswith("No such option: "):
        text = t("No such option: {name}", name=message.removeprefix("No such option: "))
        if error.possibilities:
            options = ", ".join(sorted(error.possibilities))
            text += " " + t("(Possible options: {options})", options=options)
        return text
    found = _REQUIRES.fullmatch(message)
    if isinstance(error, exceptions.BadOptionUsage) and found:
        if found["what"] == "requires an argument":
            return t("Option {name} requires a value.", name=found["name"])
        return t("Option {name} does not take a value.", name=found["name"])
    if isinstance(error, exceptions.BadParameter):
        hint = error.param_hint or (error.param and error.param.get_error_hint(error.ctx))
        if hint:
            return t("Invalid value for {hint}: {message}", hint=hint, message=message)
    return str(error.format_message())


def _click_module(name: str) -> Any:
    """Click's `name` module: typer's vendored copy (typer ≥ 0.2x), else click itself."""
    try:
        return importlib.import_module(f"typer._click.{name}")
    except ImportError:
        return importlib.import_module(f"click.{name}")


def _translate_help(command: Any, t: Translator) -> None:
    if getattr(command, "help", None):
        command.help = t(command.help)
    made = command.get_help_option  # click makes the --help option lazily, per context

    def help_option(ctx: Any) -> Any:
        option = made(ctx)
        if option is not None and option.help:
            option.help = t(option.help)
        return option

    command.get_help_option = help_option
    for param in getattr(command, "params", ()):
        if getattr(param, "help", None):
            param.help = t(param.help)
    for sub in getattr(command, "commands", {}).values():
        _translate_help(sub, t)


app = typer.Typer(
    cls=_Group,
    help=N_("Keep a marketing action plan alive in Google Sheets or a local .xlsx workbook."),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: no `<bool>` beside flags, no `<int>` beside -v
)
# No console markup: messages quote what users typed ('[/x]', '[google] credentials') and
# must print as they are; styles are applied with rich Text instead.
out = Console(highlight=False, soft_wrap=True, markup=False)
err = Console(stderr=True, highlight=False, soft_wrap=True, markup=False)

TargetArg = Annotated[
    str | None,
    typer.Argument(
        help=N_("A local .xlsx path, a Google spreadsheet key, or its URL."),
        show_default=False,
        metavar="TARGET",
    ),
]
ConfigOpt = Annotated[
    Path | None,
    typer.Option(
        "--config", "-c", help=N_("TOML configuration file."), show_default=False, metavar="FILE"
    ),
]
PlanOpt = Annotated[
    str | None,
    typer.Option(
        "--plan",
        "-p",
        help=N_("Plan name in the configuration."),
        show_default=False,
        metavar="NAME",
    ),
]
TodayOpt = Annotated[
    str | None,
    typer.Option(
        "--today",
        help=N_("Fix the date instead of the clock."),
        show_default=False,
        metavar="YYYY-MM-DD",
    ),
]
LocaleOpt = Annotated[
    str | None,
    typer.Option(
        "--locale", help=N_("fr or en (default: detected from the tabs)."), metavar="fr|en"
    ),
]
AdoptOpt = Annotated[
    bool,
    typer.Option(
        "--adopt",
        help=N_(
            "Let sheetpilot own tabs named like its own (Priorités, Contrôles, Actions par "
            "période) that hold content it did not write: their content is replaced."
        ),
    ),
]


@dataclass(frozen=True)
class Target:
    name: str  # the plan's name in reports
    where: str  # path, key or URL
    google: GoogleConfig
    locale: Locale | None
    adopt: bool = False  # the plan's `adopt = true` in the configuration
    xlsx: XlsxConfig = field(default_factory=lambda: _xlsx_config())


def _xlsx_config() -> XlsxConfig:
    from sheetpilot._config import XlsxConfig

    return XlsxConfig()


def _cli_translator(locale: str | None) -> Translator:
    """The plan's language when given (`--locale`), else `LANG`'s."""
    return translator(
        "fr" if locale == "fr" else "en" if locale == "en" else env_locale(os.environ)
    )


def _fail(error: SheetpilotError, locale: str | None = None) -> NoReturn:
    """Print the error in the plan's language when given (`--locale`), else in `LANG`'s."""
    t = _cli_translator(locale)
    err.print(Text.assemble((t("error:"), "bold red"), f" {error.text(t)}"), soft_wrap=True)
    raise typer.Exit(error.exit_code)


def _locale(value: str | None) -> Locale | None:
    if value is None:
        return None
    if value not in ("fr", "en"):
        raise ConfigError("--locale must be 'fr' or 'en', not {value!r}", value=value)
    return "fr" if value == "fr" else "en"


def _today(value: str | None) -> date:
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ConfigError(
            "--today must be a date like 2026-01-15, not {value!r}", value=value
        ) from None


def _config(path: Path | None) -> Config:
    from sheetpilot._config import config_from_dict, load_config

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
            entry.name,
            entry.target,
            cfg.google,
            _locale(locale) or entry.locale,
            entry.adopt,
            cfg.xlsx,
        )
    if target is None:
        raise ConfigError(
            "give a TARGET (a .xlsx path, a spreadsheet key or URL) or --config/--plan"
        )
    name = Path(target).stem if target.lower().endswith(".xlsx") else target
    return Target(name, target, cfg.google, _locale(locale), xlsx=cfg.xlsx)


def _check_report_path(path: Path | None) -> None:
    """Refuse a --report path that cannot be written, before the sync writes anything."""
    if path is None:
        return
    if path.is_dir():
        raise ConfigError(
            "--report {path} is a folder: give a file name, e.g. {value}",
            path=path,
            value=path / "report.json",
        )
    if not path.parent.is_dir():
        raise ConfigError(
            "--report {path}: the folder {parent} does not exist", path=path, parent=path.parent
        )


def _drop_stale_report(path: Path | None, locale: str | None = None) -> None:
    """A failed sync leaves no report behind: an older one would look current."""
    if path is None or not path.is_file():
        return
    t = _cli_translator(locale)
    try:
        path.unlink()
    except OSError:
        err.print(t("warning: {path} is from an earlier sync and could not be removed", path=path))
        return
    err.print(t("{path} was removed: it was from an earlier sync, and this one failed.", path=path))


def _write_report(path: Path, report: Report) -> None:
    from sheetpilot._sync import report_json

    try:
        path.write_text(report_json(report), encoding="utf-8")
    except OSError as exc:
        raise ConfigError(
            "could not write the report to {path}: {value}", path=path, value=exc.strerror or exc
        ) from exc


# --- output -------------------------------------------------------------------------------
def _figure(t: Translator, value: float | None) -> str:
    return "—" if value is None else t.fixed(value, 1)


def print_summary(report: Report, t: Translator, *, more: str = "") -> None:
    """The periods, the objectives and the issues, in the plan's language (`t`)."""
    from rich.table import Table

    title = f"{report.plan} — {t.date(report.today)}"
    table = Table(title=title, title_justify="left")
    columns = (t("Period"), t("Dates"), t("Actions"), t("Person-days"), t("Completed"))
    for i, column in enumerate((*columns, t("Capacity"), t.context("terminal", "Load"))):
        table.add_column(column, justify="left" if i < 2 else "right")
    for p in report.periods:
        marker = " ◀" if p.start <= report.today <= p.end else ""
        table.add_row(
            p.name + marker,
            f"{t.short_date(p.start)}–{t.short_date(p.end)}",
            t.integer(p.actions),
            _figure(t, p.person_days),
            _figure(t, p.done_person_days),
            _figure(t, p.capacity),
            "—" if p.load is None else t.percent(p.load),
        )
    out.print(table)
    for objective in report.objectives:
        if objective.progress is None or objective.health is None:
            line = t(
                "  {objective}: progress unknown (a formula saved without its result, see the "
                "issues)",
                objective=objective.objective,
            )
        else:
            line = t(
                "  {objective}: {progress} ({health})",
                objective=objective.objective,
                progress=t.percent(objective.progress),
                health=t(HEALTH_WORDS[objective.health]),
            )
        out.print(line, markup=False)
    print_issues(report, t, more=more)


def print_issues(report: Report, t: Translator, limit: int = 20, *, more: str = "") -> None:
    """The issues as a table, errors first (as in the Contrôles tab), at most `limit` rows.

    `more` says where to find the rest when there are more than `limit`.
    """
    from sheetpilot._render.checks import ordered, summary

    issues = ordered(report.issues)
    errors = sum(1 for i in issues if i.severity == "error")
    if not issues:
        out.print(Text(t("No issues found."), style="green"))
        return
    _print_issue_table(issues[:limit], t, title=summary(errors, len(issues) - errors, t))
    if len(issues) > limit:
        out.print(t("… and {count} more{where}.", count=len(issues) - limit, where=more))


def _print_issue_table(issues: list[Issue], t: Translator, *, title: str = "") -> None:
    from rich.table import Table

    table = Table(title=title or None, title_justify="left")
    for column in ("", t("Cell"), t("Code"), t("Message")):
        table.add_column(column, overflow="fold")
    for issue in issues:
        mark = (
            Text(t("error"), "red") if issue.severity == "error" else Text(t("warning"), "yellow")
        )
        table.add_row(mark, f"{issue.sheet}!{issue.cell}", issue.code, issue.message)
    out.print(table)


def _shown(t: Translator, value: CellValue) -> str:
    """A cell value as the dry run shows it: figures and dates in the plan's language."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, int | float):
        return t.number(value, 6)
    if isinstance(value, datetime):
        return t.date(value.date())
    if isinstance(value, date):
        return t.date(value)
    return str(value)


def print_preview(outcome: SyncOutcome, t: Translator) -> None:
    from rich.table import Table

    if not outcome.preview:
        out.print(t("Dry run: nothing would change."))
        return
    table = Table(title=t("Dry run: cells that would change"), title_justify="left")
    for column in (t("Cell"), t("Now"), t("After")):
        table.add_column(column, overflow="fold")
    for sheet, cell, old, new in outcome.preview:
        table.add_row(f"{sheet}!{cell}", _shown(t, old), _shown(t, new))
    out.print(table, markup=False)


def _blocked_line(codes: frozenset[str], t: Translator) -> str:
    """What to do when blocking issues stopped a sync or an init before any write."""
    shape = bool(codes & {"missing-tab", "missing-column"})
    if "foreign-tab" in codes:
        if shape:
            return t(
                "Nothing written: fix the missing tabs or columns above, and rename the tabs "
                "named above or run again with --adopt to let sheetpilot own them."
            )
        return t(
            "Nothing written: rename the tabs named above, or run again with --adopt to let "
            "sheetpilot own them."
        )
    return t("Nothing written: fix the missing tabs or columns above, then sync again.")


def _writes_line(outcome: SyncOutcome, t: Translator, *, local: bool) -> str:
    """What the sync wrote; HTTP requests are counted for Google only (a local file has none)."""
    w = outcome.report.writes
    if outcome.blocked:
        return _blocked_line(outcome.blocked_by, t)
    if outcome.dry_run:
        if local:
            return t.plural(
                "Dry run: {n} cell would be written.",
                "Dry run: {n} cells would be written.",
                w.cells,
            )
        return t.plural(
            "Dry run: {n} cell would be written; {requests}.",
            "Dry run: {n} cells would be written; {requests}.",
            w.cells,
            requests=t.plural("{n} request", "{n} requests", w.requests),
        )
    if w.cells == 0:
        return t("Up to date: nothing to write.")
    if local:
        return t.plural("Wrote {n} cell.", "Wrote {n} cells.", w.cells)
    return t.plural(
        "Wrote {n} cell in {requests}.",
        "Wrote {n} cells in {requests}.",
        w.cells,
        requests=t.plural("{n} request", "{n} requests", w.requests),
    )


def _checks_tab(outcome: SyncOutcome) -> str:
    return "Contrôles" if outcome.locale == "fr" else "Checks"


def _print_up_to_date(outcome: SyncOutcome, t: Translator, *, local: bool) -> None:
    """A sync that found nothing to write: one line, and the errors if there are any."""
    from sheetpilot._render.checks import summary

    report = outcome.report
    errors = sum(1 for i in report.issues if i.severity == "error")
    counts = summary(errors, len(report.issues) - errors, t)
    out.print(
        t(
            "Up to date: nothing to write ({issues}; see the {tab} tab).",
            issues=counts,
            tab=_checks_tab(outcome),
        )
    )
    if errors:
        print_issues(report, t, more=t(" (--report FILE lists them all)"))


# --- commands -----------------------------------------------------------------------------
@app.command()
def sync(
    target: TargetArg = None,
    config: ConfigOpt = None,
    plan: PlanOpt = None,
    today: TodayOpt = None,
    locale: LocaleOpt = None,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help=N_("Show what would change, cell by cell; write nothing.")),
    ] = False,
    report: Annotated[
        Path | None,
        typer.Option("--report", help=N_("Write the JSON report to this file."), metavar="FILE"),
    ] = None,
    adopt: AdoptOpt = False,
) -> None:
    """Read the plan, recompute everything, and write back only what changed."""
    from sheetpilot._sync import run_sync
    from sheetpilot._targets import is_local, open_backend

    try:
        t = _target(target, config, plan, locale)
        _check_report_path(report)  # before the sync writes anything
        backend = open_backend(t.where, t.google, interactive=True, xlsx=t.xlsx)
        outcome = run_sync(
            backend,
            plan=t.name,
            today=_today(today),
            locale=t.locale,
            dry_run=dry_run,
            adopt=adopt or t.adopt,
        )
    except SheetpilotError as exc:
        _drop_stale_report(report, locale)
        _fail(exc, locale)
    tr = translator(outcome.locale)
    written = not (outcome.dry_run or outcome.blocked)
    local = is_local(t.where)
    if written and outcome.report.writes.cells == 0:
        _print_up_to_date(outcome, tr, local=local)  # the sheet already shows the summary
    else:
        print_summary(
            outcome.report,
            tr,
            more=tr(" (see the {tab} tab, or --report FILE)", tab=_checks_tab(outcome))
            if written
            else tr(" (--report FILE lists them all)"),
        )
        if dry_run:
            print_preview(outcome, tr)
        out.print(_writes_line(outcome, tr, local=local))
    if report is not None:
        try:
            _write_report(report, outcome.report)
        except SheetpilotError as exc:
            _fail(exc, locale)
    raise typer.Exit(1 if outcome.has_errors else 0)


@app.command()
def check(
    target: TargetArg = None,
    config: ConfigOpt = None,
    plan: PlanOpt = None,
    today: TodayOpt = None,
    locale: LocaleOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help=N_("Print the JSON report."))] = False,
) -> None:
    """Check the plan and list every issue; write nothing."""
    from sheetpilot._sync import report_json, run_sync
    from sheetpilot._targets import open_backend

    try:
        t = _target(target, config, plan, locale)
        backend = open_backend(t.where, t.google, interactive=True, xlsx=t.xlsx)
        outcome = run_sync(backend, plan=t.name, today=_today(today), locale=t.locale, dry_run=True)
    except SheetpilotError as exc:
        _fail(exc, locale)
    if as_json:
        sys.stdout.write(report_json(outcome.report))
    else:
        tr = translator(outcome.locale)
        print_issues(outcome.report, tr, more=tr(" (--json lists them all)"))
    raise typer.Exit(1 if outcome.has_errors else 0)


@app.command()
def init(
    target: TargetArg = None,
    config: ConfigOpt = None,
    plan: PlanOpt = None,
    locale: Annotated[str, typer.Option("--locale", help=N_("fr or en."), metavar="fr|en")] = "fr",
    example: Annotated[
        bool,
        typer.Option("--example", help=N_("Fill in a realistic example plan (~30 actions).")),
    ] = False,
    today: TodayOpt = None,
    adopt: AdoptOpt = False,
) -> None:
    """Lay the template into a spreadsheet or a new workbook; never destroys data when run again."""
    from sheetpilot._init import init_plan
    from sheetpilot._targets import is_local, open_backend

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
            adopt=adopt or t.adopt,
        )
        tr = translator(t.locale or "fr")
        if done.refused:
            _print_issue_table(list(done.refused), tr)
            out.print(_blocked_line(frozenset(i.code for i in done.refused), tr), markup=False)
            raise typer.Exit(1)
        out.print(
            tr.plural(
                "Template laid into {where}: {n} cell written.",
                "Template laid into {where}: {n} cells written.",
                done.cells,
                where=done.described,
            )
        )
        if done.kept:
            out.print(
                tr(
                    "The example was not added to {tabs}: they already hold data (the example "
                    "only goes into empty tabs; try a new workbook).",
                    tabs=", ".join(done.kept),
                ),
                markup=False,
            )
        if done.service_account_email:
            out.print(
                tr(
                    "Share the spreadsheet with {email} (Editor) so sheetpilot can sync it.",
                    email=done.service_account_email,
                ),
                markup=False,
            )
        if done.sync is not None:
            sync_tr = translator(done.sync.locale)
            more = sync_tr(" (see the {tab} tab)", tab=_checks_tab(done.sync))
            print_summary(done.sync.report, sync_tr, more=more)
            out.print(_writes_line(done.sync, sync_tr, local=is_local(t.where)))
        else:
            again = f"--config {config} --plan {plan}" if plan is not None else t.where
            if plan is None and config is not None:
                again += f" --config {config}"  # its [google] endpoint and credentials
            out.print(
                tr(
                    "Next: type your plan into the input tabs, then run: sheetpilot sync {target}",
                    target=again,
                ),
                markup=False,
            )
    except SheetpilotError as exc:
        _fail(exc, locale)


@app.command()
def daemon(
    config: Annotated[
        Path, typer.Option("--config", "-c", help=N_("TOML configuration file."), metavar="FILE")
    ],
    once: Annotated[bool, typer.Option("--once", help=N_("Run every plan once and exit."))] = False,
    log_format: Annotated[
        str,
        typer.Option(
            "--log-format", help=N_("text or json (one line per run)."), metavar="text|json"
        ),
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
    config: Annotated[
        Path, typer.Option("--config", "-c", help=N_("TOML configuration file."), metavar="FILE")
    ],
    as_json: Annotated[bool, typer.Option("--json", help=N_("Print JSON."))] = False,
) -> None:
    """One line per plan: last run, outcome, next run, failures in a row (from the run history)."""
    from sheetpilot._status import print_status

    try:
        code = print_status(
            _config(config), as_json=as_json, console=out, t=translator(env_locale(os.environ))
        )
    except SheetpilotError as exc:
        _fail(exc)
    raise typer.Exit(code)


def _version(value: bool) -> None:
    if value:
        out.print(f"sheetpilot {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    verbose: Annotated[
        int,
        typer.Option(
            "--verbose",
            "-v",
            count=True,
            help=N_("More logs: -v for progress, -vv for every request."),
            show_default=False,
        ),
    ] = 0,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help=N_("Show the version.")),
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
