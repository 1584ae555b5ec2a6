"""One exception tree for sheetpilot; third-party errors are wrapped where they enter.

    SheetpilotError                 base of everything sheetpilot raises on purpose
    ├── ConfigError                 bad configuration or usage          (exit code 2)
    ├── PlanError                   the plan cannot be synced as it stands (exit code 1);
    │                               the sync engine itself reports a missing tab or
    │                               column as issues (a blocked outcome), not by raising
    └── BackendError                the spreadsheet cannot be read or written (exit code 3)
        ├── SpreadsheetNotFound     no such file / spreadsheet
        ├── PermissionDenied        the account may not read or write it
        │   └── WorkbookReadOnly    a local workbook marked read-only: refused before any change
        ├── WorkbookUnavailable     locked, open elsewhere, not a workbook
        └── TransientError          network failure, timeout, 429/5xx after retries

Only the CLI (and the daemon's job wrapper) turns these into exit codes and messages.
Messages never contain secrets: no tokens, no key material.

A message is an English gettext msgid with named placeholders and their values, so that
the CLI can say it in the user's language; `str()` is the English text:

>>> error = ConfigError("--today must be a date like 2026-01-15, not {value!r}", value="x")
>>> str(error), error.message
("--today must be a date like 2026-01-15, not 'x'", '--today must be a date like 2026-01-15, not {value!r}')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol


class _Translate(Protocol):
    def __call__(self, message: str, /, **params: object) -> str: ...


class Phrase:
    """A placeholder value that is itself a message (e.g. "connection refused"): said in
    the reader's language along with the message that holds it.

    >>> error = TransientError("no answer ({reason})", reason=Phrase("timed out"))
    >>> str(error)
    'no answer (timed out)'
    """

    def __init__(self, message: str, /, **params: object) -> None:
        self.message, self.params = message, params

    def __str__(self) -> str:
        return self.message.format(**self.params) if self.params else self.message

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def text(self, t: _Translate) -> str:
        return t(self.message, **_said(self.params, t))


class Lines:
    """Several phrases, one per line (e.g. every problem of a configuration file).

    >>> str(Lines([Phrase("a: {x}", x=1), Phrase("b")], separator="; "))
    'a: 1; b'
    """

    def __init__(self, lines: Sequence[Phrase], separator: str = "\n  ") -> None:
        self.lines, self.separator = tuple(lines), separator

    def __str__(self) -> str:
        return self.separator.join(str(line) for line in self.lines)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def text(self, t: _Translate) -> str:
        return self.separator.join(line.text(t) for line in self.lines)


def _said(params: Mapping[str, object], t: _Translate) -> dict[str, object]:
    """`params` with every phrase among them said by `t`."""
    return {k: v.text(t) if isinstance(v, Phrase | Lines) else v for k, v in params.items()}


class SheetpilotError(Exception):
    """Base of every error sheetpilot raises on purpose."""

    exit_code = 3

    def __init__(self, message: str = "", /, **params: object) -> None:
        super().__init__(message.format(**params) if params else message)
        self.message, self.params = message, params

    def text(self, t: _Translate) -> str:
        """The message in the language of `t` (a `sheetpilot._i18n.Translator`)."""
        if not self.message:
            return str(self)
        return t(self.message, **_said(self.params, t))


class ConfigError(SheetpilotError):
    """Bad configuration file, option or target (exit code 2)."""

    exit_code = 2


class PlanError(SheetpilotError):
    """The plan cannot be synced as it stands (missing tab or column); nothing was written."""

    exit_code = 1


class BackendError(SheetpilotError):
    """The spreadsheet could not be read or written (exit code 3)."""

    exit_code = 3


class SpreadsheetNotFound(BackendError):
    """The file or spreadsheet does not exist (or is not visible to this account)."""


class PermissionDenied(BackendError):
    """The account may not read or write the spreadsheet."""


class WorkbookReadOnly(PermissionDenied):
    """A local workbook is read-only (e.g. `chmod 444`): sheetpilot refuses to replace it."""


class WorkbookUnavailable(BackendError):
    """The workbook is locked, open elsewhere, or not a workbook at all."""


class TransientError(BackendError):
    """A network failure, timeout or rate limit that persisted after retries."""
