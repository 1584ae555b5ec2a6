"""The protocol every backend implements; the sync engine knows nothing else."""

from __future__ import annotations

from typing import Protocol

from sheetpilot._workbook import ChangeSet, Snapshot


class Backend(Protocol):
    """A spreadsheet the engine can read in one go and write all or nothing.

    - `read()` returns every tab (values unformatted: numbers, text, booleans, dates as
      `date`/`datetime` or serial numbers) in as few requests as the backend allows.
    - `write(changes)` applies a change set atomically: every cell lands or none does.
      Writes with a `Guard` are skipped when the guarded cell no longer holds the value
      read; the backend returns how many cells it actually wrote.
    - `requests` counts the requests made so far (HTTP requests for Google, file reads
      and writes for a local workbook): it is the report's `writes.requests`.
    - `describe()` names the spreadsheet for messages (never a secret).
    """

    @property
    def requests(self) -> int: ...

    def read(self) -> Snapshot: ...

    def write(self, changes: ChangeSet) -> int: ...

    def describe(self) -> str: ...
