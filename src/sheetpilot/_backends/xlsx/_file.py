"""The workbook as a file: read it, replace it safely, keep the previous version.

- A symlink is followed: its target is replaced, the link stays a link.
- The new file keeps the original's permissions (and owner and group, where the system
  allows); a new workbook gets the usual permissions of the user's umask.
- A read-only workbook (no write permission for anyone) is refused before any change.
- The new content goes to a temporary file in the same folder, named
  ``.NAME.sheetpilot-XXXXXXXX.tmp``, flushed to disk (fsync), then renamed over the
  workbook (`os.replace`), and the folder is flushed too: a crash leaves either the old
  workbook or the new one, never half of one. A temporary file left by a killed run is
  recognised (no sheetpilot process holds its lock) and removed by the next run.
- The previous version is kept beside it as ``NAME.sheetpilot-previous.xlsx`` (a hard
  link to the old file when the file system allows, so it costs no time and no space
  beyond the old version itself).

Every OSError is turned into one of sheetpilot's errors in `file_error`, here only.
"""

from __future__ import annotations

import os
import re
import secrets
import stat
import time
from contextlib import suppress
from pathlib import Path
from typing import Literal

from sheetpilot._errors import (
    BackendError,
    PermissionDenied,
    SpreadsheetNotFound,
    WorkbookReadOnly,
    WorkbookUnavailable,
)

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

Step = Literal["read", "write", "replace", "backup"]
BACKUP_TAG = ".sheetpilot-previous"
_STALE_AFTER = 3600.0  # seconds: temp files of sheetpilot 0.1.0 (no lock) older than this


def file_error(exc: OSError, path: Path, step: Step) -> BackendError:
    """What an OSError during `step` on the workbook `path` means for the user."""
    folder = path.parent
    reason = exc.strerror or str(exc)
    if step == "read":
        if isinstance(exc, FileNotFoundError):
            if not folder.is_dir():  # `init` could not create it there either
                return SpreadsheetNotFound(
                    "no workbook at {path}: the folder {folder} does not exist; check the path, or create the folder and run `sheetpilot init {path}`",
                    path=path,
                    folder=folder,
                )
            return SpreadsheetNotFound(
                "no workbook at {path}: run `sheetpilot init {path}` to create one", path=path
            )
        if isinstance(exc, IsADirectoryError):
            return WorkbookUnavailable("{path} is a folder, not an .xlsx workbook", path=path)
        if isinstance(exc, PermissionError):
            return PermissionDenied("no permission to read {path}", path=path)
        return WorkbookUnavailable("could not read {path}: {exc}", path=path, exc=reason)
    if step == "write":
        if isinstance(exc, PermissionError):
            return PermissionDenied("no permission to write in {folder}", folder=folder)
        if isinstance(exc, FileNotFoundError):
            return WorkbookUnavailable(
                "the folder {folder} does not exist: create it, or give another path", folder=folder
            )
        return WorkbookUnavailable(
            "could not write in {folder}: {value}", folder=folder, value=reason
        )
    if step == "backup":
        return WorkbookUnavailable(
            "could not keep the previous version of {path} as {name}: {reason}; nothing was "
            "written (set `[xlsx] backup = false` in the configuration to sync without keeping it)",
            path=path,
            name=backup_path(path).name,
            reason=reason,
        )
    if isinstance(exc, PermissionError):
        return WorkbookUnavailable(
            "{path} is open in another program: close it and sync again", path=path
        )
    return WorkbookUnavailable("could not replace {path}: {exc}", path=path, exc=reason)


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


def backup_path(path: Path) -> Path:
    """Where the previous version of a workbook is kept.

    >>> backup_path(Path("plans/plan.xlsx")).name
    'plan.sheetpilot-previous.xlsx'
    """
    return path.with_name(f"{path.stem}{BACKUP_TAG}{path.suffix}")


class WorkbookFile:
    """One workbook on disk, at `path` (a symlink is followed when it is replaced)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @property
    def real(self) -> Path:
        """The file itself: the symlink's target when `path` is a symlink."""
        return Path(os.path.realpath(self.path))

    def exists(self) -> bool:
        return self.path.exists()

    def read(self) -> bytes:
        try:
            return self.path.read_bytes()
        except OSError as exc:
            raise file_error(exc, self.path, "read") from exc

    def check_writable(self) -> None:
        """Refuse, before any change, a workbook that is open elsewhere or read-only."""
        for folder_path in dict.fromkeys((self.path, self.real)):
            for lock in lock_files(folder_path):
                if lock.exists():
                    raise WorkbookUnavailable(
                        "{path} is open in another program (lock file {name}): close it and sync again; if it is open nowhere, delete {lock}",
                        path=self.path,
                        name=lock.name,
                        lock=lock,
                    )
        try:
            mode = self.real.stat().st_mode
        except FileNotFoundError:
            return  # a new workbook
        except OSError as exc:
            raise file_error(exc, self.path, "read") from exc
        if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(
            self.real, os.W_OK
        ):
            raise WorkbookReadOnly(
                "{path} is read-only: nothing was written. Make it writable (`chmod u+w "
                "{path}`, or untick Read-only in its properties) and sync again",
                path=self.path,
            )

    def _temp_pattern(self) -> re.Pattern[str]:
        return re.compile(rf"^\.{re.escape(self.real.name)}\.sheetpilot-[0-9a-f]+\.tmp$")

    def clean_leftovers(self) -> list[Path]:
        """Remove the temporary files that killed runs left beside the workbook."""
        real = self.real
        ours = self._temp_pattern()
        legacy = re.compile(rf"^\.{re.escape(real.name)}\.[a-z0-9_]{{8}}\.tmp$")  # sheetpilot 0.1.0
        removed = []
        try:
            entries = list(os.scandir(real.parent))
        except OSError:
            return []
        for entry in entries:
            if ours.match(entry.name):
                if _unused(Path(entry.path)):
                    removed.append(Path(entry.path))
            elif legacy.match(entry.name):
                with suppress(OSError):
                    if time.time() - entry.stat().st_mtime > _STALE_AFTER:
                        os.unlink(entry.path)
                        removed.append(Path(entry.path))
        return removed

    def replace(self, data: bytes, *, backup: bool) -> None:
        """Put `data` in place of the workbook, atomically, keeping the previous version."""
        real = self.real
        folder = real.parent
        try:
            before = real.stat()
        except FileNotFoundError:
            before = None
        except OSError as exc:
            raise file_error(exc, self.path, "read") from exc
        self.clean_leftovers()
        tmp = folder / f".{real.name}.sheetpilot-{secrets.token_hex(4)}.tmp"
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
        try:
            # a new workbook gets the umask's permissions; a replaced one, the original's
            fd = os.open(tmp, flags, 0o600 if before is not None else 0o666)
        except OSError as exc:
            raise file_error(exc, self.path, "write") from exc
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX)  # tells other runs this file is in use
            try:
                _write_all(fd, data)
                if before is not None:
                    _keep_mode_and_owner(fd, tmp, before)
                os.fsync(fd)
            except OSError as exc:
                raise file_error(exc, self.path, "write") from exc
            if backup and before is not None:
                self._keep_previous(real)
            try:
                os.replace(tmp, real)
            except OSError as exc:
                raise file_error(exc, self.path, "replace") from exc
            _fsync_folder(folder)
        finally:
            os.close(fd)
            with suppress(OSError):
                tmp.unlink()

    def _keep_previous(self, real: Path) -> None:
        """The file as it is now becomes the backup (replacing the older backup)."""
        target = backup_path(real)
        try:
            with suppress(FileNotFoundError):
                target.unlink()
            try:
                os.link(real, target)
            except OSError:  # no hard links on this file system: copy it
                target.write_bytes(real.read_bytes())
                with suppress(OSError):
                    os.chmod(target, stat.S_IMODE(real.stat().st_mode))
        except OSError as exc:
            raise file_error(exc, real, "backup") from exc


def _keep_mode_and_owner(fd: int, tmp: Path, before: os.stat_result) -> None:
    """Give the new file the original's permissions, and its owner and group if allowed."""
    if hasattr(os, "fchmod"):
        os.fchmod(fd, stat.S_IMODE(before.st_mode))
    else:  # pragma: no cover - Windows: only the read-only flag exists there
        os.chmod(tmp, stat.S_IMODE(before.st_mode))
    if hasattr(os, "fchown"):
        with suppress(OSError):  # only root may give a file to another user
            os.fchown(fd, before.st_uid, before.st_gid)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def _fsync_folder(folder: Path) -> None:
    with suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _unused(path: Path) -> bool:
    """Remove `path` if no running sheetpilot holds it; True when removed."""
    if fcntl is None:  # pragma: no cover - Windows: by age
        with suppress(OSError):
            if time.time() - path.stat().st_mtime > _STALE_AFTER:
                path.unlink()
                return True
        return False
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return False
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False  # a run is writing it right now
        with suppress(OSError):
            path.unlink()
            return True
        return False
    finally:
        os.close(fd)
