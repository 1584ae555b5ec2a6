"""The local-workbook backend: a .xlsx file, edited part by part, never re-serialised whole.

An .xlsx is a zip of XML parts. `read()` takes the values (formula cells as their cached
results, dates as dates) from python-calamine, and the formula text, the formula cells
saved without a result and sheetpilot's ownership marks from a light lxml pass.

`write()` re-reads the file, checks every guard against what the file holds *now*, and
edits only what the change set names: in a worksheet part, the `<c>` elements of the
cells sheetpilot writes (everything else in the part is kept as it was: formulas and
their cached results, styles, merged ranges, conditional formats, data validations
including Excel's x14 ones, `extLst`); a new tab is a new part registered in
`workbook.xml`, its relationships and `[Content_Types].xml`; the few styles sheetpilot
needs are appended to `styles.xml`. Every other part (charts, images, drawings,
comments, tables, pivot caches, VBA, themes, custom XML, other tabs) is copied byte for
byte. Strings are written inline, so the user's shared strings are never reindexed.
Text is always stored as text: a value such as ``"=SUM(A1)"`` written by sheetpilot is a
string cell with Excel's quote prefix, never a formula. See `_file` for how the file is
replaced (symlinks, permissions, temp files, fsync, the previous version kept).

Modules: `_ooxml` (names, ranges, XML in and out), `_package` (the zip's parts, the
workbook part, the ownership mark), `_sheet` (editing one worksheet), `_styles`,
`_read`, `_write` (applying a change set), `_file`.

`requests` counts file operations: each `read()` counts 1 and each `write()` that has
something to do counts 1 (its re-read, check and replace form one read-modify-write,
like Google's single batchUpdate). A sync with no change makes 1 request and leaves
the file untouched.

A lock file beside the workbook (LibreOffice's ``.~lock.NAME#``, Excel's ``~$NAME``)
makes `write()` refuse with WorkbookUnavailable; `read()` still works.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from lxml import etree
from python_calamine import CalamineError, WorksheetNotFound

from sheetpilot._backends.xlsx._file import WorkbookFile, backup_path, lock_files
from sheetpilot._backends.xlsx._package import NotAWorkbook
from sheetpilot._backends.xlsx._read import read_workbook, to_cell_value
from sheetpilot._backends.xlsx._write import apply_changes
from sheetpilot._errors import SheetpilotError, WorkbookUnavailable
from sheetpilot._workbook import ChangeSet, Snapshot

__all__ = ["XlsxBackend", "backup_path", "lock_files", "to_cell_value"]

T = TypeVar("T")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted .xlsx and .xls files


def _reason(exc: Exception) -> str:
    """What is wrong with the file, in words."""
    if isinstance(exc, KeyError):
        return f"a part it names is missing: {exc.args[0] if exc.args else exc}"
    if isinstance(exc, WorksheetNotFound):
        return f"the content of the tab {exc} is missing from the file"
    if isinstance(exc, etree.XMLSyntaxError):
        return f"damaged XML: {exc}"
    return str(exc) or type(exc).__name__


class XlsxBackend:
    """A local .xlsx workbook (implements `sheetpilot._backends.base.Backend`).

    With `create=True` a missing file reads as an empty workbook and the first write
    creates it. With `backup=True` (the default) every write keeps the version it
    replaces as ``NAME.sheetpilot-previous.xlsx`` beside the workbook.
    """

    def __init__(self, path: Path, *, create: bool = False, backup: bool = True) -> None:
        self.path = Path(path)
        self.create = create
        self.backup = backup
        self._file = WorkbookFile(self.path)
        self._requests = 0

    @property
    def requests(self) -> int:
        return self._requests

    @property
    def writes_formulas(self) -> bool:
        """False: computed columns are written here as values, guarded by the row's ID as
        it is in the file at write time (a workbook has no concurrent editor during the
        write). Formula lookups would need their cached results kept current by every
        sync, which a lookup formula whose text does not change would not get."""
        return False

    @property
    def draws_charts(self) -> bool:
        """True: charts are chart parts of the workbook, read back from their XML."""
        return True

    def describe(self) -> str:
        return str(self.path)

    def read(self) -> Snapshot:
        """Every worksheet's values; formulas as their cached results."""
        if self.create and not self._file.exists():
            return Snapshot(tabs=())
        data = self._file.read()
        self._requests += 1
        self._file.clean_leftovers()
        return self._decode(data, lambda: read_workbook(data))

    def write(self, changes: ChangeSet) -> int:
        """Apply `changes` atomically; return how many cells were written.

        Guarded writes whose cell no longer holds the expected value are skipped.
        A change set that changes nothing does not touch the file.
        """
        if changes.empty:
            return 0
        self._file.check_writable()
        is_new = self.create and not self._file.exists()
        data = None if is_new else self._file.read()
        self._requests += 1
        new, written = self._decode(data, lambda: apply_changes(data, changes))
        if new is not None:
            self._file.replace(new, backup=self.backup)
        return written

    def _decode(self, data: bytes | None, work: Callable[[], T]) -> T:
        try:
            return work()
        except SheetpilotError:
            raise
        except zipfile.BadZipFile as exc:
            if data and data.startswith(_OLE_MAGIC):
                raise WorkbookUnavailable(
                    "{path} is password-protected or an old .xls workbook: open it in Excel or "
                    "LibreOffice and save it as .xlsx without a password",
                    path=self.path,
                ) from exc
            kind = "an empty file" if not data else "not a zip archive"
            raise WorkbookUnavailable(
                "{path} is not an .xlsx workbook ({kind}): open it in Excel or LibreOffice and save it as .xlsx",
                path=self.path,
                kind=kind,
            ) from exc
        except (
            NotAWorkbook,
            KeyError,  # a part the workbook names is missing
            ValueError,  # a cell reference or number that makes no sense
            EOFError,
            zlib.error,  # a damaged zip member
            NotImplementedError,  # a zip compression method Python cannot read
            etree.LxmlError,
            CalamineError,
        ) as exc:
            raise WorkbookUnavailable(
                "{path} could not be read as an .xlsx workbook ({reason}): open it in Excel or "
                "LibreOffice and save it again",
                path=self.path,
                reason=_reason(exc),
            ) from exc
