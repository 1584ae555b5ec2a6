"""Users editing during a sync: what goes wrong, with and without the row-following design.

Run: `python bench/interleaving.py`. Prints one table.

For every user edit (sort the actions, insert a row at the top, delete a row, delete the
new row, type an ID into its blank cell, edit an input) landing in every gap of a sync that
assigns an ID (before the read, between the read and the write, after the write), on the
example plan with one new action row on the offline stand-in (real gspread, real HTTP):

  sheetpilot  computed columns as lookups keyed on the row's ID, the new ID checked by
              Google inside the atomic batch (scratch formula + copyPaste);
  before      the previous behaviour, reproduced by turning both off: computed columns
              written as values guarded by the ID read, the ID written unconditionally.

Counted against a twin spreadsheet that got the same edit and no sync: user cells changed
or lost (an existing ID among them), computed cells wrong for their row right after the
sync and after the next one, syncs until one writes nothing, and the bytes and requests of
the ID-assigning sync.
"""

from __future__ import annotations

import contextlib
import statistics
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from rich.console import Console
from rich.table import Table

from fakesheets import FakeSheets
from sheetpilot._backends.google import GoogleBackend
from sheetpilot._backends.google import write as google_write
from sheetpilot._config import GoogleConfig
from sheetpilot._example import example_plan
from sheetpilot._models import Report
from sheetpilot._scaffold import scaffold_changes
from sheetpilot._sync import run_sync

TODAY = date(2026, 3, 4)
ACTIONS, OBJECTIVES = "Suivi des actions", "Objectifs"
NEW = 32
NEW_ACTION = [
    "À faire",
    "SEO",
    "Nouvelle action",
    "",
    "R1",
    "P1",
    4,
    1,
    "",
    "Julien Petit",
    2,
    "P4",
]
EDITS: dict[str, list[dict[str, Any]]] = {
    "sort": [{"sort": {"range": f"'{ACTIONS}'!A2:N{NEW}", "column": "D"}}],
    "insert at top": [{"insert_rows": {"sheet": ACTIONS, "row": 2}}],
    "delete a row": [{"delete_rows": {"sheet": ACTIONS, "row": 5}}],
    "delete new row": [{"delete_rows": {"sheet": ACTIONS, "row": NEW}}],
    "type an ID": [{"set": {"range": f"'{ACTIONS}'!A{NEW}", "values": [["A-099"]]}}],
    "edit an input": [{"set": {"range": f"'{ACTIONS}'!B12", "values": [["Terminé"]]}}],
}
GAPS = (1, 2, 3)  # before the read, between read and write, after the write


class _Before(GoogleBackend):
    """The Google backend as it was: values, no server-side check of the new ID."""

    @property
    def writes_formulas(self) -> bool:
        return False


@contextlib.contextmanager
def _unchecked_ids() -> Iterator[None]:
    saved = google_write.server_checked
    google_write.server_checked = lambda write, fresh=(): False
    try:
        yield
    finally:
        google_write.server_checked = saved


def _sync(fake: FakeSheets, key: str, before: bool) -> Report:
    kind = _Before if before else GoogleBackend
    backend = kind(key, GoogleConfig(credentials="none", endpoint=fake.url))
    return run_sync(backend, plan="bench", today=TODAY, locale="fr").report


def _plan(fake: FakeSheets, before: bool) -> str:
    key = fake.create_spreadsheet("Plan")
    init = GoogleBackend(key, GoogleConfig(credentials="none", endpoint=fake.url))
    init.write(
        scaffold_changes(init.read(), "fr", example_plan(TODAY - timedelta(21), "fr"), start=TODAY)
    )
    _sync(fake, key, before)
    fake.set_values(key, f"'{ACTIONS}'!B{NEW}", [NEW_ACTION])
    return key


def _user_cells(fake: FakeSheets, key: str) -> dict[tuple[str, int, int], Any]:
    skip = {ACTIONS: {13}, OBJECTIVES: {11, 12}}
    return {
        (title, r, c): v
        for title in ("Réglages", OBJECTIVES, ACTIONS)
        for r, row in enumerate(fake.values(key, title))
        for c, v in enumerate(row)
        if c not in skip.get(title, set()) and v != ""
    }


def _wrong_ranks(fake: FakeSheets, key: str, report: Report) -> int:
    rank = {a: i for i, a in enumerate(report.priority_order, start=1)}
    rows = fake.values(key, ACTIONS)[1:]
    return sum(
        (row[13] if len(row) > 13 else "") != rank.get(row[0] if row else "", "") for row in rows
    )


def run(before: bool) -> dict[str, float]:
    lost = wrong_now = wrong_next = extra_syncs = 0
    sizes: list[int] = []
    requests: list[int] = []
    with FakeSheets() as fake, _unchecked_ids() if before else contextlib.nullcontext():
        base = _plan(fake, before)
        for edits in EDITS.values():
            for gap in GAPS:
                key, twin = fake.copy_spreadsheet(base), fake.copy_spreadsheet(base)
                fake.apply_edits(twin, edits)
                fake.reset()
                fake.schedule_edits(key, edits, before_request=gap)
                first = _sync(fake, key, before)
                writes = [e for e in fake.log if e.method == "POST"]
                sizes += [e.request_bytes for e in writes]
                requests.append(first.writes.requests)
                if gap == 3:
                    fake.gspread_client().open_by_key(key)
                wrong_now += _wrong_ranks(fake, key, first)
                second = _sync(fake, key, before)
                wrong_next += _wrong_ranks(fake, key, second)
                n = 0
                while _sync(fake, key, before).writes.cells and n < 5:
                    n += 1
                extra_syncs += n
                mine, expected = _user_cells(fake, key), _user_cells(fake, twin)
                lost += sum(mine.get(k) != v for k, v in expected.items())
    return {
        "user cells changed or lost": lost,
        "computed cells wrong after the sync": wrong_now,
        "computed cells wrong after the next sync": wrong_next,
        "extra syncs to converge": extra_syncs,
        "requests of the ID-assigning sync (mean)": statistics.mean(requests),
        "its batchUpdate bytes (median)": statistics.median(sizes) if sizes else 0,
    }


def main() -> None:
    ours, theirs = run(before=False), run(before=True)
    table = Table(
        title=f"{len(EDITS)} user edits x {len(GAPS)} gaps of a sync that assigns an ID "
        "(totals over all cases)"
    )
    for column in ("measure", "sheetpilot", "before", "before / sheetpilot"):
        table.add_column(column, justify="right" if column != "measure" else "left")
    for name, value in ours.items():
        other = theirs[name]
        ratio = f"{other / value:.2f}" if value else ("=" if not other else "∞")
        table.add_row(name, f"{value:g}", f"{other:g}", ratio)
    Console().print(table)


if __name__ == "__main__":
    main()
