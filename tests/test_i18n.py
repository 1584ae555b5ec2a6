"""A French plan reads in French, an English plan in English: catalogs, messages, figures.

The catalog tests extract every message of the code with Babel (as `pybabel extract`
would) and check that the French catalog translates each one with the same
placeholders; the scan test reads a French plan's report and tool tabs and finds no
word of the English catalog in them (only what the user typed may be English).
"""

from __future__ import annotations

import ast
import re
import string
from datetime import date
from pathlib import Path
from typing import NamedTuple

import openpyxl
import pytest
from babel.messages.extract import extract
from typer.testing import CliRunner

import sheetpilot
from sheetpilot._backends.xlsx import XlsxBackend
from sheetpilot._cells import CellValue
from sheetpilot._cli import app
from sheetpilot._compute import compute_plan
from sheetpilot._i18n import Translator, rounded
from sheetpilot._locales import catalogs, po_source, translator
from sheetpilot._models import Report
from sheetpilot._parse import parse_plan
from sheetpilot._render.by_period import OVERVIEW_COL, OVERVIEW_HEADERS
from sheetpilot._sync import run_sync
from sheetpilot._template import Locale
from tests.plan_builders import action, plan_grids, settings_grid

PACKAGE = Path(sheetpilot.__file__).parent
ERRORS = (
    "ConfigError",
    "PlanError",
    "BackendError",
    "SpreadsheetNotFound",
    "PermissionDenied",
    "WorkbookUnavailable",
    "TransientError",
    "SheetpilotError",
)  # their first argument
KEYWORDS = {
    "context": ((1, "c"), 2),
    "t": None,
    "tr": None,
    "sync_tr": None,
    "N_": None,
    "plural": (1, 2),
    **dict.fromkeys(ERRORS),
}
TODAY = date(2026, 1, 20)  # P1 (05/01–14/01) has ended: A-001, open in P1, is overdue


class InContext(NamedTuple):
    """A message translated in a gettext context (msgctxt)."""

    context: str
    message: str


def code_messages() -> dict[str | tuple[str, ...], str]:
    """Every message the code marks for translation, with where it is."""
    found: dict[str | tuple[str, ...], str] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        with path.open("rb") as source:
            for lineno, message, _, context in extract("python", source, keywords=KEYWORDS):
                key = InContext(context, str(message)) if context else message
                found.setdefault(key, f"{path.relative_to(PACKAGE)}:{lineno}")
    return found


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_of_the_code_has_a_french_translation_with_the_same_placeholders():
    fr = translator("fr").catalog
    assert fr is not None
    messages = code_messages()
    assert len(messages) > 100
    missing, mismatched = [], []
    for message, where in messages.items():
        if isinstance(message, InContext):
            if fr.pgettext(message.context, message.message) == message.message:
                missing.append(f"{where}: {message!r}")
            continue
        if isinstance(message, tuple):
            singular, plural = message[:2]
            forms = [fr.ngettext(singular, plural, 1), fr.ngettext(singular, plural, 2)]
            if forms == [singular, plural]:
                missing.append(f"{where}: {singular!r}")
            expected = _fields(singular) | _fields(plural)
            if any(_fields(form) != expected for form in forms):
                mismatched.append(f"{where}: {singular!r}")
            continue
        translated = fr.gettext(message)
        if translated == message and message not in _SAME_IN_FRENCH:
            missing.append(f"{where}: {message!r}")
        elif _fields(translated) != _fields(message):
            mismatched.append(f"{where}: {message!r}")
    assert missing == [], "untranslated (add them to locales/fr/LC_MESSAGES/sheetpilot.po)"
    assert mismatched == [], "placeholders differ between msgid and msgstr"


_SAME_IN_FRENCH = {
    "ok",
    "ID",
    "Action",
    "Description",
    "Plan",
    "Actions",
    "Code",
    "Message",
    "Dates",
    "Arguments",
    "Options",
    "{errors}, {warnings}",
}


def test_every_help_text_of_the_cli_is_translated():
    import typer.main

    fr = translator("fr")
    command = typer.main.get_command(app)
    texts: list[str] = []

    def walk(cmd):
        texts.extend(t for t in [cmd.help, *(p.help for p in cmd.params)] if t)
        for sub in getattr(cmd, "commands", {}).values():
            walk(sub)

    walk(command)
    assert len(texts) > 20
    assert [t for t in texts if fr(t) == t] == []


def test_the_po_source_ships_in_the_package_and_compiles():
    assert "Plural-Forms: nplurals=2; plural=(n > 1);" in po_source("fr")
    t = translator("fr")
    assert t.plural("{n} error", "{n} errors", 0) == "0 erreur"  # French: 0 is singular
    assert t.plural("{n} error", "{n} errors", 2) == "2 erreurs"
    assert translator("en").plural("{n} error", "{n} errors", 0) == "0 errors"


# --- each issue code, in French and in English ------------------------------------------
def _grids(code: str, locale: Locale):
    todo = "À faire" if locale == "fr" else "To do"
    cancelled = "Abandonné" if locale == "fr" else "Cancelled"

    def act(**fields):
        base = {"status": todo, "title": "Webinar", "priority": "P1", "owner": "Alice",
                "estimate": 1, "period": "P2"}  # fmt: skip
        return action(**{**base, **fields})

    result: dict[str, CellValue] = {"marketing_objective": "Leads", "id": "R1", "baseline": 0, "target": 10,
              "current": 5, "due_date": "31/03/2026"}  # fmt: skip
    actions = [act(id="A-001"), act(id="A-002")]
    results = [result]
    settings = None
    if code == "missing-tab":
        return plan_grids(locale, with_settings=False)
    if code == "missing-column":
        grids = plan_grids(locale)
        title = next(t for t in grids if t in ("Suivi des actions", "Action tracking"))
        grids[title] = [row[:3] for row in grids[title]]
        return grids
    if code == "bad-date":
        results = [{**result, "due_date": "15/13/2026"}]
    elif code == "bad-number":
        actions = [act(id="A-001", estimate="beaucoup")]
    elif code == "out-of-range":
        actions = [act(id="A-001", impact=9)]
    elif code == "duplicate-id":
        actions = [act(id="A-001"), act(id="A-001")]
    elif code == "unknown-value":
        actions = [act(id="A-001", owner="Zoé")]
    elif code == "unknown-dependency":
        actions = [act(id="A-001", depends_on="A-099")]
    elif code == "cancelled-dependency":
        actions = [act(id="A-001", status=cancelled), act(id="A-002", depends_on="A-001")]
    elif code == "dependency-cycle":
        actions = [act(id="A-001", depends_on="A-002"), act(id="A-002", depends_on="A-001")]
    elif code == "dependency-later":
        actions = [act(id="A-001", period="P3"), act(id="A-002", depends_on="A-001")]
    elif code == "missing-estimate":
        actions = [act(id="A-001", estimate=None)]
    elif code == "missing-current":
        results = [{**result, "current": None}]
    elif code == "over-capacity":
        actions = [act(id="A-001", owner="Bruno", estimate=4.5)]
    elif code == "overdue":
        actions = [act(id="A-001", period="P1")]
    return plan_grids(locale, actions=actions, results=results, settings=settings)


def issue_of(code: str, locale: Locale):
    messages = catalogs()
    parsed = parse_plan(_grids(code, locale), catalogs=messages)
    assert parsed.locale == locale
    found = [i for i in compute_plan(parsed, TODAY, messages).issues if i.code == code]
    assert found, f"no {code} issue"
    return found[0]


# (code, words of the French message, words of the English one)
CODES = [
    ("missing-tab", ["l'onglet", "est absent", "Réglages"], ["the tab", "is missing", "Settings"]),
    ("missing-column", ["la colonne", "est absente"], ["column", "is missing"]),
    ("bad-date", ["n'est pas une date", "son état est inconnu"], ["is not a date", "health is unknown"]),
    ("bad-number", ["n'est pas un nombre", "en attendant"], ["is not a number", "meanwhile"]),
    ("out-of-range", ["est hors de 1–5", "3 est utilisé"], ["is outside 1–5", "3 is used"]),
    ("duplicate-id", ["est déjà utilisé"], ["is already used"]),
    ("unknown-value", ["n'est pas dans la liste Responsables"], ["is not in the Owners list"]),
    ("unknown-dependency", ["aucune action n'a cet ID"], ["no action has that ID"]),
    ("cancelled-dependency", ["qui est abandonnée"], ["which is cancelled"]),
    ("dependency-cycle", ["Dépendances circulaires", "A-001 → A-002 → A-001"], ["Dependency cycle", "A-001 → A-002 → A-001"]),
    ("dependency-later", ["est prévue en P2, avant ses dépendances"], ["is planned in P2, before"]),
    ("missing-estimate", ["n'a pas d'estimation", "jours-homme"], ["has no estimate", "person-days"]),
    ("missing-current", ["n'a pas de valeur actuelle"], ["has no current value"]),
    ("over-capacity", ["Bruno a 4,5 j-h prévus en P2", "capacité de 3", "dépassement de 1,5"],
     ["Bruno has 4.5 person-days planned in P2", "capacity of 3", "over by 1.5"]),
    ("overdue", ["toujours ouverte (À faire)", "terminée le 14/01/2026"], ["still open (To do)", "ended on 2026-01-14"]),
]  # fmt: skip


@pytest.mark.parametrize(("code", "fr_words", "en_words"), CODES, ids=[c[0] for c in CODES])
def test_each_issue_code_speaks_the_plans_language(code, fr_words, en_words):
    fr, en = issue_of(code, "fr"), issue_of(code, "en")
    for word in fr_words:
        assert word in fr.message, fr.message
    for word in en_words:
        assert word in en.message, en.message
    assert (fr.code, fr.severity) == (en.code, en.severity)  # machine fields stay English


def test_every_issue_code_the_parser_and_compute_raise_has_its_case_here():
    from typing import get_args

    from sheetpilot._models import IssueCode

    others = {"formula-not-calculated", "foreign-tab", "typed-in-tool-tab"}  # backends' codes
    assert {c for c, _, _ in CODES} | others == set(get_args(IssueCode))


# --- no English word in a French plan ---------------------------------------------------
_WORD = re.compile(r"[A-Za-zÀ-ÿ]{4,}")


def _english_only_words() -> set[str]:
    """Words of the English msgids that the French catalog never uses."""
    fr = translator("fr").catalog
    assert fr is not None
    english: set[str] = set()
    french: set[str] = set()
    for message in code_messages():
        if isinstance(message, InContext):
            message = message.message
        for text in message if isinstance(message, tuple) else (message,):
            plain = re.sub(r"\{[^}]*\}", " ", text)
            english |= {w.casefold() for w in _WORD.findall(plain)}
            translated = (
                fr.gettext(text) if isinstance(message, str) else fr.ngettext(text, text, 2)
            )
            french |= {w.casefold() for w in _WORD.findall(translated)}
    return english - french - {"sheetpilot", "init"}


def _texts_of(path: Path, titles: tuple[str, ...]) -> list[str]:
    workbook = openpyxl.load_workbook(path)
    return [
        str(cell)
        for title in titles
        for row in workbook[title].iter_rows(values_only=True)
        for cell in row
        if isinstance(cell, str)
    ]


def test_a_french_plan_has_no_english_word_in_its_report_tabs_or_terminal(tmp_path: Path):
    path = tmp_path / "plan.xlsx"
    runner = CliRunner()
    init = runner.invoke(app, ["init", str(path), "--example", "--today", "2026-03-18"])
    assert init.exit_code == 0, init.output
    workbook = openpyxl.load_workbook(path)  # a few problems, so that every kind of text shows
    sheet = workbook["Suivi des actions"]
    sheet["L3"], sheet["J4"], sheet["H5"] = "beaucoup", "A-999", 9
    workbook["Objectifs"]["J3"] = "15/13/2026"
    workbook.save(path)
    report_path = tmp_path / "report.json"
    sync = runner.invoke(
        app, ["sync", str(path), "--today", "2026-03-18", "--report", str(report_path)]
    )
    assert sync.exit_code == 1, sync.output  # the bad number and the bad date are errors
    report = Report.model_validate_json(report_path.read_text(encoding="utf-8"))
    typed = {
        w.casefold()
        for text in _texts_of(path, ("Réglages", "Objectifs", "Suivi des actions"))
        for w in _WORD.findall(text)
    }  # what the user typed may be in any language, and is quoted as typed
    typed |= {w.casefold() for w in _WORD.findall(str(tmp_path))}  # the path, as printed
    from typing import get_args

    from sheetpilot._models import IssueCode

    codes = {w for code in get_args(IssueCode) for w in code.split("-")}  # machine enums
    english = _english_only_words() - typed - codes
    assert len(english) > 100
    texts = [i.message for i in report.issues]
    texts += _texts_of(path, ("Actions par période", "Priorités", "Contrôles"))
    texts += [init.output, sync.output]
    leftovers = {
        word for text in texts for word in _WORD.findall(text) if word.casefold() in english
    }
    assert leftovers == set()
    assert {i.code for i in report.issues} >= {"bad-number", "bad-date", "out-of-range"}
    health = {o.objective: o.health for o in report.objectives}
    assert "unknown" in health.values()  # the report's machine field stays English


# --- figures: one rounding rule, each locale's marks ----------------------------------
@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (0.725, 2, "0.73"),
        (0.125, 2, "0.13"),
        (2.5, 0, "3"),
        (0.1 + 0.2, 1, "0.3"),
        (-1.25, 1, "-1.3"),
    ],
)
def test_figures_round_half_up_on_their_decimal_value(value, decimals, expected):
    assert str(rounded(value, decimals)) == expected


@pytest.mark.parametrize(
    ("locale", "number", "percent", "day"),
    [("fr", "1,5", "73\xa0%", "15/01/2026"), ("en", "1.5", "73%", "2026-01-15")],
)
def test_numbers_percentages_and_dates_per_locale(locale, number, percent, day):
    t = translator(locale)
    assert (t.number(1.5), t.percent(0.725), t.date(date(2026, 1, 15))) == (number, percent, day)
    assert t.percent(0.724999) == percent.replace("73", "72")


def _load_plan(tmp_path: Path, locale: Locale) -> Path:
    """A plan whose P2 load is exactly 0.725 (14.5 person-days for 20 of capacity)."""
    grids = plan_grids(
        locale,
        actions=[action(id="A-001", status="À faire" if locale == "fr" else "To do",
                        title="Webinar", priority="P1", owner="Alice", estimate=14.5,
                        period="P2")],
        settings=settings_grid(locale, owners=(("Alice", 20), ("Bruno", 0))),
    )  # fmt: skip
    path = tmp_path / f"plan-{locale}.xlsx"
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, grid in grids.items():
        sheet = workbook.create_sheet(title)
        for row in grid:
            sheet.append(list(row))
    workbook.save(path)
    return path


@pytest.mark.parametrize(
    ("locale", "load", "figure", "day", "title"),
    [
        ("fr", "73\xa0%", "14,5", "15/01/26", "20/01/2026"),
        ("en", "73%", "14.5", "Jan 15", "2026-01-20"),
    ],
)
def test_the_terminal_shows_figures_as_the_sheet_does(tmp_path, locale, load, figure, day, title):
    path = _load_plan(tmp_path, locale)
    result = CliRunner().invoke(app, ["sync", str(path), "--today", TODAY.isoformat()])
    assert result.exit_code == 0, result.output
    p2 = next(line for line in result.output.splitlines() if "P2" in line)
    assert load in p2 and figure in p2 and day in p2  # 0.725: 73 %, as a spreadsheet shows it
    assert f"plan-{locale} — {title}" in result.output
    # the sheet holds the exact value under a percent format (the spreadsheet rounds it
    # half-up too: 73 %), dates as dates under the locale's date format
    backend = XlsxBackend(path)
    grids = backend.read().grids()
    by_period = grids["Actions par période" if locale == "fr" else "Actions by period"]
    col = OVERVIEW_COL  # the overview sits beside the action list
    overview = next(row for row in by_period if len(row) > col and row[col] == "P2")
    assert overview[-1] == pytest.approx(0.725)
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Actions par période" if locale == "fr" else "Actions by period"]
    row = next(r for r in sheet.iter_rows() if len(r) > col and r[col].value == "P2")
    cell = row[col + len(OVERVIEW_HEADERS) - 1]
    assert cell.number_format == "0%"
    start = row[col + 1]
    assert start.number_format == ("dd/mm/yyyy" if locale == "fr" else "yyyy-mm-dd")


def test_a_message_shows_figures_the_way_its_reader_writes_them():
    assert "4,5 j-h" in issue_of("over-capacity", "fr").message
    assert "4.5 person-days" in issue_of("over-capacity", "en").message


# --- an unreadable due date makes health unknown, never healthier -----------------------
def _at_risk_result(due: str) -> list[dict]:
    # 10 % done of a result due 31/01/2026; at 20/01/2026 the plan (from 05/01) expects
    # 15/26 = 58 %: at risk. With the due date unreadable it used to read "on track".
    return [{"marketing_objective": "Leads", "id": "R1", "baseline": 0, "target": 10,
             "current": 1, "due_date": due}]  # fmt: skip


def test_an_unreadable_due_date_makes_health_unknown_not_on_track(tmp_path: Path):
    messages = catalogs()
    health = {}
    for due in ("31/01/2026", "15/13/2026"):
        parsed = parse_plan(plan_grids(results=_at_risk_result(due)), catalogs=messages)
        result = compute_plan(parsed, TODAY, messages)
        health[due] = (result.objectives[0].health, result.objectives[0].results[0].health)
    assert health == {"31/01/2026": ("at risk", "at risk"), "15/13/2026": ("unknown", "unknown")}
    [issue] = [i for i in parsed.issues if i.code == "bad-date"]
    assert "'15/13/2026' n'est pas une date" in issue.message
    assert "son état est inconnu d'ici là : il pourrait être en retard ou à risque" in issue.message


def test_the_sheet_and_terminal_say_unknown_health(tmp_path: Path):
    path = tmp_path / "plan.xlsx"
    runner = CliRunner()
    assert (
        runner.invoke(app, ["init", str(path), "--example", "--today", "2026-03-18"]).exit_code == 0
    )
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Objectifs"]
    due_col = next(c.column_letter for c in sheet[1] if c.value == "Échéance")
    health_col = next(c.column_letter for c in sheet[1] if c.value == "État")
    row = next(r for r in range(2, sheet.max_row + 1) if sheet[f"C{r}"].value)
    sheet[f"{due_col}{row}"] = "15/13/2026"
    workbook.save(path)
    result = runner.invoke(app, ["sync", str(path), "--today", "2026-03-18"])
    assert "(Inconnu)" in result.output
    assert openpyxl.load_workbook(path)["Objectifs"][f"{health_col}{row}"].value == "Inconnu"


# --- a renamed input tab ------------------------------------------------------------------
def test_a_renamed_input_tab_is_named_and_the_hint_is_to_rename_it(tmp_path: Path):
    grids = plan_grids()
    grids["Actions 2026"] = grids.pop("Suivi des actions")
    plan = parse_plan(grids, catalogs=catalogs())
    [issue] = [i for i in plan.issues if i.code == "missing-tab"]
    assert "«\xa0Actions 2026\xa0» a sa ligne d'en-tête" in issue.message
    assert "renommez «\xa0Actions 2026\xa0» en «\xa0Suivi des actions\xa0»" in issue.message
    assert "init" not in issue.message
    english = parse_plan(plan_grids("en") | {}, catalogs=catalogs())
    assert not [i for i in english.issues if i.code == "missing-tab"]


def test_a_renamed_tab_blocks_the_sync_with_the_rename_hint_and_writes_nothing(tmp_path: Path):
    path = tmp_path / "plan.xlsx"
    runner = CliRunner()
    assert (
        runner.invoke(app, ["init", str(path), "--example", "--today", "2026-03-18"]).exit_code == 0
    )
    workbook = openpyxl.load_workbook(path)
    workbook["Objectifs"].title = "Objectifs 2026"
    workbook.save(path)
    before = path.read_bytes()
    result = runner.invoke(app, ["sync", str(path), "--today", "2026-03-18"])
    assert result.exit_code == 1
    squashed = re.sub(r"[\s│]+", "", result.output)
    assert "renommez«Objectifs2026»en«Objectifs»" in squashed
    assert path.read_bytes() == before  # nothing written, no empty tab created
    outcome = run_sync(XlsxBackend(path), plan="p", today=date(2026, 3, 18), dry_run=True)
    assert outcome.blocked


def test_a_tab_with_other_headers_is_not_taken_for_the_missing_one():
    grids = plan_grids()
    del grids["Objectifs"]
    grids["Notes"] = [["ID", "Remarque"], ["R1", "à revoir"]]
    [issue] = [i for i in parse_plan(grids, catalogs=catalogs()).issues if i.code == "missing-tab"]
    assert "Notes" not in issue.message and "init" in issue.message


def test_without_catalogs_the_pure_core_speaks_english_with_the_plans_figures():
    plan = parse_plan(_grids("over-capacity", "fr"))
    [issue] = [i for i in compute_plan(plan, TODAY).issues if i.code == "over-capacity"]
    assert "Bruno has 4,5 person-days" in issue.message
    assert Translator("fr")("Done") == "Done"


def _issue_message_args() -> list[tuple[str, ast.expr]]:
    """The message argument of every `Issue.of(code, sheet, cell, message)` and
    `log.add(code, sheet, cell, message)` in the package, with where it is."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            is_issue = node.func.attr == "of" and ast.unparse(node.func.value) == "Issue"
            is_log = node.func.attr == "add" and ast.unparse(node.func.value).endswith("log")
            if (is_issue or is_log) and len(node.args) >= 4:
                found.append((f"{path.relative_to(PACKAGE)}:{node.lineno}", node.args[3]))
    return found


def test_every_issue_message_goes_through_the_catalog():
    """An issue message written as a plain or f-string cannot be translated: wrap it in
    `t("... {name} ...", name=...)` and add the msgid to the French catalog."""
    found = _issue_message_args()
    assert len(found) > 30
    plain = [
        where for where, arg in found if isinstance(arg, ast.JoinedStr | ast.Constant | ast.BinOp)
    ]
    assert plain == []


@pytest.mark.parametrize(("locale", "mark"), [("fr", ","), ("en", ".")])
def test_the_dry_run_shows_figures_and_dates_in_the_plans_language(tmp_path, locale, mark):
    path = tmp_path / "plan.xlsx"
    runner = CliRunner()
    init = runner.invoke(
        app, ["init", str(path), "--example", "--locale", locale, "--today", "2026-03-18"]
    )
    assert init.exit_code == 0, init.output
    workbook = openpyxl.load_workbook(path)
    title = "Suivi des actions" if locale == "fr" else "Action tracking"
    sheet = workbook[title]
    estimate_col = next(
        c.column_letter for c in sheet[1] if str(c.value).startswith(("Estimation", "Estimate"))
    )
    sheet[f"{estimate_col}2"] = 7.25  # the first action's estimate
    workbook.save(path)
    result = runner.invoke(app, ["sync", str(path), "--dry-run", "--today", "2026-03-18"])
    assert result.exit_code == 0, result.output
    preview = result.output.split("Simulation" if locale == "fr" else "Dry run", 1)[1]
    figures = re.findall(r"│ *(\d+[.,]\d+) *│", preview)
    assert figures and all(mark in f for f in figures), figures
    assert not re.search(r"\b\d+[.,]0\b", preview)  # 16, not 16.0
