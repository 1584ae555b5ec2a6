"""The protocol every backend implements; the sync engine knows nothing else."""

from __future__ import annotations

from typing import Protocol

from sheetpilot._workbook import ChangeSet, Snapshot


class Backend(Protocol):
    """A spreadsheet the engine can read in one go and write all or nothing.

    - `read()` returns every tab (values unformatted: numbers, text, booleans, dates as
      `date`/`datetime` or serial numbers) in as few requests as the backend allows.
    - `write(changes)` applies a change set atomically: every cell lands or none does.
      A write with a `Guard` lands only if, at the moment it lands, the guarded cells hold
      the values the guard names (Google: checked server-side inside the atomic request;
      a workbook: against the file as loaded for the write); the backend returns how
      many cells it wrote (a guarded write counts when it was sent).
    - `writes_formulas`: the backend writes `CellWrite.formula` as a formula and reads
      formula text back into `TabData.formulas`; the engine then writes computed columns
      as lookups that follow their rows (otherwise as guarded values).
    - `draws_charts` (optional, False when absent): the backend writes `ChangeSet.charts`
      as native charts and reads them back into `TabData.charts`; without it the engine
      asks for no chart.
    - `requests` counts the requests made so far (HTTP requests for Google, file reads
      and writes for a local workbook): it is the report's `writes.requests`.
    - `describe()` names the spreadsheet for messages (never a secret).
    """

    @property
    def requests(self) -> int: ...

    @property
    def writes_formulas(self) -> bool: ...

    def read(self) -> Snapshot: ...

    def write(self, changes: ChangeSet) -> int: ...

    def describe(self) -> str: ...
