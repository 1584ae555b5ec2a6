"""sheetpilot 0.1.0's local-workbook backend (openpyxl round trip), kept for the benchmark only.

Vendored unchanged from git history (src/sheetpilot/_backends/xlsx.py before the package
writer) so that `bench/xlsx_sync.py` can time it side by side with today's backend.

The local-workbook backend: a .xlsx file read and written with openpyxl.

One `read()` loads the file once (a second, values-only view of the same bytes is parsed
only when the workbook holds formulas, to return their cached results). One `write()`
re-loads the file, checks every guard against what the file holds *now*, applies the
change set and saves it to a temporary file in the same folder that then replaces the
original (`os.replace`), so a crash never leaves a half-written workbook.

`requests` counts file operations: each `read()` counts 1 and each `write()` that has
something to do counts 1 (its re-load, check and replace form one read-modify-write,
like Google's single batchUpdate). A sync with no change therefore makes 1 request.

Text is always stored as text: a value such as ``"=SUM(A1)"`` or ``"#N/A"`` written by
sheetpilot is a string cell (with Excel's quote prefix when it starts with ``=+-@``),
never a formula or an error.

A lock file beside the workbook (LibreOffice's ``.~lock.NAME#``, Excel's ``~$NAME``)
makes `write()` refuse with WorkbookUnavailable; `read()` still works (a check or a sync
with nothing to change never needs to write).

Known limits (openpyxl): charts, images and data validations stored in Excel's x14
extension are not kept when sheetpilot saves the workbook; formulas keep their text but
lose their cached result until Excel or LibreOffice saves the file again (meanwhile they
read as blank); a write into a merged range's hidden cell is skipped.
"""

from __future__ import annotations

import io
import os
import stat
import tempfile
import warnings
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from copy import copy
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, MergedCell
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.cell_range import CellRange, MultiCellRange
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from sheetpilot._cells import CellValue, Grid, a1, canonical, col_letter
from sheetpilot._errors import (
    BackendError,
    PermissionDenied,
    SpreadsheetNotFound,
    WorkbookUnavailable,
)
from sheetpilot._workbook import CellWrite, ChangeSet, ListValidation, Snapshot, TabData, TabLayout

PX_PER_WIDTH_UNIT = 7  # an openpyxl column width unit is about 7 px of the default font
_DEFAULT_SHEET = "Sheet"  # the empty tab openpyxl puts in a new Workbook()
_QUOTE_PREFIXED = ("=", "+", "-", "@")

# Harmless warnings openpyxl emits while loading files written by Excel or LibreOffice.
_HARMLESS_WARNINGS = (
    r".*extension is not supported and will be removed",
    r"Workbook contains no default style.*",
    r"Cannot parse header or footer.*",
    r".*image format is not supported.*",
    r"File contains an invalid specification.*",
)


@contextmanager
def _quiet_openpyxl() -> Iterator[None]:
    """Silence openpyxl's known harmless load warnings, here only."""
    with warnings.catch_warnings():
        for pattern in _HARMLESS_WARNINGS:
            warnings.filterwarnings("ignore", message=pattern, category=UserWarning)
        yield


class XlsxBackend:
    """A local .xlsx workbook (implements `sheetpilot._backends.base.Backend`).

    With `create=True` a missing file reads as an empty workbook and the first write
    creates it.
    """

    def __init__(self, path: Path, *, create: bool = False) -> None:
        self.path = Path(path)
        self.create = create
        self._requests = 0

    @property
    def requests(self) -> int:
        return self._requests

    def describe(self) -> str:
        return str(self.path)

    # --- read ---------------------------------------------------------------------------
    def read(self) -> Snapshot:
        """Every worksheet's values; formulas as their cached results."""
        if self.create and not self.path.exists():
            return Snapshot(tabs=())
        data = self._read_bytes()
        self._requests += 1
        workbook = self._load(data)
        cached: Workbook | None = None
        tabs = []
        for sheet in workbook.worksheets:
            if cached is None and _has_formulas(sheet):
                cached = self._load(data, data_only=True)
            values = cached[sheet.title] if cached is not None else None
            tabs.append(
                TabData(
                    title=sheet.title,
                    grid=_grid(sheet, values),
                    row_count=sheet.max_row,
                    col_count=sheet.max_column,
                )
            )
        return Snapshot(tabs=tuple(tabs))

    # --- write --------------------------------------------------------------------------
    def write(self, changes: ChangeSet) -> int:
        """Apply `changes` atomically; return how many cells were written.

        Guarded writes whose cell no longer holds the expected value are skipped.
        An empty change set does not touch the file.
        """
        if changes.empty:
            return 0
        self._check_not_locked()
        is_new = self.create and not self.path.exists()
        if is_new:
            data = b""
            workbook = Workbook()
        else:
            data = self._read_bytes()
            workbook = self._load(data)
        self._requests += 1
        applier = _Applier(workbook, data)
        written = applier.apply(changes)
        if is_new and len(workbook.worksheets) > 1 and _DEFAULT_SHEET in workbook.sheetnames:
            default = workbook[_DEFAULT_SHEET]
            if default.max_row == 1 and default.max_column == 1 and default["A1"].value is None:
                workbook.remove(default)
        if applier.changed or is_new:
            self._save(workbook)
        return written

    # --- file handling ------------------------------------------------------------------
    def _read_bytes(self) -> bytes:
        try:
            return self.path.read_bytes()
        except FileNotFoundError as exc:
            raise SpreadsheetNotFound(
                f"no workbook at {self.path}: run `sheetpilot init {self.path}` to create one"
            ) from exc
        except IsADirectoryError as exc:
            raise WorkbookUnavailable(f"{self.path} is a folder, not an .xlsx workbook") from exc
        except PermissionError as exc:
            raise PermissionDenied(f"no permission to read {self.path}") from exc
        except OSError as exc:
            raise WorkbookUnavailable(f"could not read {self.path}: {exc}") from exc

    def _load(self, data: bytes, *, data_only: bool = False) -> Workbook:
        keep_vba = self.path.suffix.lower() == ".xlsm"
        try:
            with _quiet_openpyxl():
                return load_workbook(io.BytesIO(data), data_only=data_only, keep_vba=keep_vba)
        except (zipfile.BadZipFile, InvalidFileException) as exc:
            kind = "an empty file" if not data else "not a zip archive"
            raise WorkbookUnavailable(
                f"{self.path} is not an .xlsx workbook ({kind}): "
                "open it in Excel or LibreOffice and save it as .xlsx"
            ) from exc
        except Exception as exc:  # openpyxl raises many kinds on a damaged file
            raise WorkbookUnavailable(
                f"{self.path} could not be read as an .xlsx workbook: {exc}"
            ) from exc

    def _check_not_locked(self) -> None:
        for lock in lock_files(self.path):
            if lock.exists():
                raise WorkbookUnavailable(
                    f"{self.path} is open in another program (lock file {lock.name}): "
                    f"close it and sync again; if it is open nowhere, delete {lock}"
                )

    def _save(self, workbook: Workbook) -> None:
        folder = self.path.parent
        try:
            handle, tmp_name = tempfile.mkstemp(
                prefix=f".{self.path.name}.", suffix=".tmp", dir=folder
            )
        except PermissionError as exc:
            raise PermissionDenied(f"no permission to write in {folder}") from exc
        except FileNotFoundError as exc:
            raise WorkbookUnavailable(
                f"the folder {folder} does not exist: create it, or give another path"
            ) from exc
        except OSError as exc:
            raise WorkbookUnavailable(
                f"could not write in {folder}: {exc.strerror or exc}"
            ) from exc
        os.close(handle)
        tmp = Path(tmp_name)
        try:
            try:
                workbook.save(tmp)
            except OSError as exc:
                raise WorkbookUnavailable(f"could not save {self.path}: {exc}") from exc
            except Exception as exc:
                raise BackendError(f"could not save {self.path}: {exc}") from exc
            with suppress(OSError):
                os.chmod(tmp, stat.S_IMODE(self.path.stat().st_mode))
            try:
                os.replace(tmp, self.path)
            except PermissionError as exc:
                raise WorkbookUnavailable(
                    f"{self.path} is open in another program: close it and sync again"
                ) from exc
            except OSError as exc:
                raise WorkbookUnavailable(f"could not replace {self.path}: {exc}") from exc
        finally:
            with suppress(OSError):
                tmp.unlink()


def lock_files(path: Path) -> tuple[Path, ...]:
    """The lock files Excel and LibreOffice leave beside a workbook they have open.

    >>> [p.name for p in lock_files(Path("plans/budget-2026.xlsx"))]
    ['.~lock.budget-2026.xlsx#', '~$budget-2026.xlsx', '~$dget-2026.xlsx']
    """
    name = path.name
    names = [f".~lock.{name}#", f"~${name}"]
    if len(name) > 2:
        names.append(f"~${name[2:]}")  # Excel drops the first two letters of long names
    return tuple(path.with_name(n) for n in dict.fromkeys(names))


# --- reading cells ------------------------------------------------------------------------
def _has_formulas(sheet: Worksheet) -> bool:
    return any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)


def to_cell_value(value: object) -> CellValue:
    """An openpyxl value → a CellValue (midnight datetimes become dates).

    >>> to_cell_value(datetime(2026, 1, 15)), to_cell_value(time(12, 30))
    (datetime.date(2026, 1, 15), '12:30:00')
    """
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, datetime):
        return value.date() if value.time() == time(0) and value.tzinfo is None else value
    if isinstance(value, date):
        return value
    if isinstance(value, time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds() / 86400
    return str(value)


def _grid(sheet: Worksheet, cached: Worksheet | None) -> Grid:
    """The sheet's values, trailing blank rows and cells trimmed (like Google's API)."""
    grid: Grid = []
    for row in sheet.iter_rows():
        line: list[CellValue] = []
        for cell in row:
            value: Any = cell.value
            if cell.data_type == "f":
                value = cached.cell(row=cell.row, column=cell.column).value if cached else None
            line.append(to_cell_value(value))
        while line and line[-1] is None:
            line.pop()
        grid.append(line)
    while grid and not grid[-1]:
        grid.pop()
    return grid


# --- writing ------------------------------------------------------------------------------
class _Applier:
    """Applies one change set to a loaded workbook, noting whether anything changed."""

    def __init__(self, workbook: Workbook, data: bytes) -> None:
        self.workbook = workbook
        self.data = data
        self.changed = False
        self._cached: Workbook | None = None

    def apply(self, changes: ChangeSet) -> int:
        # every guard is checked against the file as loaded, before any write lands
        allowed = [w for w in changes.writes if self._guard_holds(w)]
        for layout in changes.new_tabs:
            self._new_tab(layout)
        written = sum(self._write(w) for w in allowed)
        for validation in changes.validations:
            self._validate(validation)
        return written

    def _sheet(self, title: str) -> Worksheet:
        if title not in self.workbook.sheetnames:
            self._new_tab(TabLayout(title=title))
        sheet: Worksheet = self.workbook[title]
        return sheet

    def _new_tab(self, layout: TabLayout) -> None:
        if layout.title in self.workbook.sheetnames:
            return
        try:
            sheet = self.workbook.create_sheet(layout.title, layout.index)
        except ValueError as exc:
            raise BackendError(f"cannot create a tab named {layout.title!r}: {exc}") from exc
        for col, px in enumerate(layout.column_widths):
            sheet.column_dimensions[col_letter(col)].width = round(px / PX_PER_WIDTH_UNIT, 2)
        if layout.frozen_rows > 0:
            sheet.freeze_panes = f"A{layout.frozen_rows + 1}"
        self.changed = True

    def _current(self, sheet: Worksheet, row: int, col: int) -> CellValue:
        """What the file holds now at (row, col): a formula counts as its cached value."""
        cell = sheet._cells.get((row + 1, col + 1))  # never create a cell just to look
        if cell is None:
            return None
        if cell.data_type != "f":
            return to_cell_value(cell.value)
        if self._cached is None:
            with _quiet_openpyxl():
                self._cached = load_workbook(io.BytesIO(self.data), data_only=True)
        return to_cell_value(self._cached[sheet.title].cell(row=row + 1, column=col + 1).value)

    def _guard_holds(self, write: CellWrite) -> bool:
        guard = write.guard
        if guard is None:
            return True
        if write.sheet not in self.workbook.sheetnames:
            return guard.expected is None
        held = self._current(self.workbook[write.sheet], guard.row, guard.col)
        return canonical(held) == canonical(guard.expected)

    def _write(self, write: CellWrite) -> int:
        sheet = self._sheet(write.sheet)
        if write.value in (None, "") and (write.row + 1, write.col + 1) not in sheet._cells:
            return 1  # clearing a cell that does not exist: nothing to do
        cell = sheet.cell(row=write.row + 1, column=write.col + 1)
        if isinstance(cell, MergedCell):
            return 0  # inside a merged range: only its top-left cell holds a value
        set_value(cell, write.value)
        if write.number_format is not None:
            cell.number_format = write.number_format
        if bool(cell.font.b) != write.bold:
            font = copy(cell.font)
            font.b = write.bold
            cell.font = font
        self.changed = True
        return 1

    def _validate(self, validation: ListValidation) -> None:
        sheet = self._sheet(validation.sheet)
        if validation.source:
            formula = validation.source.removeprefix("=")
        else:
            formula = '"' + ",".join(v.replace('"', '""') for v in validation.values) + '"'
        last = validation.row + max(validation.rows, 1) - 1
        target = CellRange(f"{a1(validation.row, validation.col)}:{a1(last, validation.col)}")
        existing = sheet.data_validations.dataValidation
        for dv in existing:
            if dv.type == "list" and dv.formula1 == formula and _same_cells(dv, target):
                return  # already there, as it should be
        for dv in list(existing):  # ours replaces whatever validated these cells before
            if not any(_overlap(r, target) for r in dv.sqref.ranges):
                continue
            ranges = [part for r in dv.sqref.ranges for part in _subtract(r, target)]
            if ranges:
                dv.sqref = MultiCellRange(" ".join(r.coord for r in ranges))
            else:
                existing.remove(dv)
        dv = DataValidation(type="list", formula1=formula, allow_blank=True)
        dv.add(target.coord)
        sheet.add_data_validation(dv)
        self.changed = True


def set_value(cell: Any, value: CellValue) -> None:
    """Store `value` in an openpyxl cell; text always stays text (never a formula)."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        value = value.replace(tzinfo=None)
    if value == "":
        value = None  # an empty string is a blank cell, as everywhere in sheetpilot
    if isinstance(value, str):
        text = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.value = text
        cell.data_type = "s"
        if text.startswith(_QUOTE_PREFIXED) and not cell.quotePrefix:
            cell.quotePrefix = True
        return
    if cell.quotePrefix:
        cell.quotePrefix = False
    cell.value = value


def _same_cells(dv: DataValidation, target: CellRange) -> bool:
    ranges = list(dv.sqref.ranges)
    return len(ranges) == 1 and ranges[0].bounds == target.bounds


def _overlap(a: CellRange, b: CellRange) -> bool:
    a1_, b1_, a2_, b2_ = a.bounds
    k1, s1, k2, s2 = b.bounds
    return not (a2_ < k1 or a1_ > k2 or b2_ < s1 or b1_ > s2)


def _subtract(rng: CellRange, cut: CellRange) -> list[CellRange]:
    """The parts of `rng` outside `cut` (each a rectangle)."""
    if not _overlap(rng, cut):
        return [rng]
    c1, r1, c2, r2 = rng.bounds
    k1, s1, k2, s2 = cut.bounds
    parts: list[tuple[int, int, int, int]] = []
    if r1 < s1:
        parts.append((c1, r1, c2, s1 - 1))  # above
    if r2 > s2:
        parts.append((c1, s2 + 1, c2, r2))  # below
    top, bottom = max(r1, s1), min(r2, s2)
    if c1 < k1:
        parts.append((c1, top, k1 - 1, bottom))  # left
    if c2 > k2:
        parts.append((k2 + 1, top, c2, bottom))  # right
    return [CellRange(min_col=a, min_row=b, max_col=c, max_row=d) for a, b, c, d in parts]
