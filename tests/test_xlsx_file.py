"""The workbook as a file: symlinks, permissions, temp files, fsync and the previous version."""

from __future__ import annotations

import fcntl
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from sheetpilot._backends.xlsx import XlsxBackend, backup_path
from sheetpilot._cli import app
from sheetpilot._config import config_from_dict
from sheetpilot._errors import WorkbookReadOnly
from sheetpilot._targets import plan_backend
from sheetpilot._workbook import CellWrite, ChangeSet, TabLayout

EDIT = ChangeSet(writes=(CellWrite("Notes", 0, 1, "modifié"),))


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    path = tmp_path / "plan.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Notes"
    wb.active["A1"] = "Réunion du lundi"
    wb.save(path)
    return path


def value(path: Path, ref: str = "B1"):
    return openpyxl.load_workbook(path)["Notes"][ref].value


def test_a_symlink_is_followed_and_stays_a_link(plan: Path, tmp_path: Path) -> None:
    link = tmp_path / "raccourci.xlsx"
    link.symlink_to(plan)
    XlsxBackend(link).write(EDIT)
    assert link.is_symlink() and os.readlink(link) == str(plan)
    assert value(plan) == "modifié"  # the target holds the new version
    assert backup_path(plan).exists()  # the previous version beside the real file


def test_a_read_only_workbook_is_refused_before_any_change(plan: Path) -> None:
    plan.chmod(0o444)
    before = plan.read_bytes()
    with pytest.raises(WorkbookReadOnly, match=r"plan\.xlsx is read-only: nothing was written"):
        XlsxBackend(plan).write(EDIT)
    assert plan.read_bytes() == before
    assert stat.S_IMODE(plan.stat().st_mode) == 0o444
    assert sorted(p.name for p in plan.parent.iterdir()) == ["plan.xlsx"]


def test_sync_of_a_read_only_workbook_exits_3_with_the_fix(plan: Path) -> None:
    XlsxBackend(plan).write(ChangeSet(new_tabs=(TabLayout("Suivi des actions"),)))
    plan.chmod(0o444)
    result = CliRunner().invoke(app, ["init", str(plan)])
    assert result.exit_code == 3
    assert "est en lecture seule : rien n'a été écrit" in result.output  # a French plan
    assert "chmod u+w" in result.output


def test_the_original_mode_is_kept(plan: Path) -> None:
    plan.chmod(0o640)
    XlsxBackend(plan).write(EDIT)
    assert stat.S_IMODE(plan.stat().st_mode) == 0o640


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664)])
def test_a_new_workbook_gets_the_umask_permissions(tmp_path: Path, umask: int, mode: int) -> None:
    path = tmp_path / "nouveau.xlsx"
    old = os.umask(umask)
    try:
        XlsxBackend(path, create=True).write(ChangeSet(new_tabs=(TabLayout("Notes"),)))
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == mode
    assert not backup_path(path).exists()  # nothing to keep: there was no previous version


def test_the_temp_file_and_the_folder_are_flushed_around_the_rename(
    plan: Path, monkeypatch
) -> None:
    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        events.append("fsync dir" if stat.S_ISDIR(os.fstat(fd).st_mode) else "fsync file")
        real_fsync(fd)

    def replace(src, dst) -> None:
        events.append("replace")
        real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    XlsxBackend(plan).write(EDIT)
    assert events == ["fsync file", "replace", "fsync dir"]


def test_leftover_temp_files_of_killed_runs_are_removed(plan: Path) -> None:
    folder = plan.parent
    stale = folder / ".plan.xlsx.sheetpilot-0badc0de.tmp"  # a run killed while saving
    stale.write_bytes(b"PK half a workbook")
    busy = folder / ".plan.xlsx.sheetpilot-0000beef.tmp"  # a run saving right now
    busy.write_bytes(b"PK")
    old_style = folder / ".plan.xlsx.a1b2c3d4.tmp"  # sheetpilot 0.1.0, long ago
    old_style.write_bytes(b"PK")
    os.utime(old_style, (time.time() - 7200, time.time() - 7200))
    recent_old_style = folder / ".plan.xlsx.zz99zz99.tmp"
    recent_old_style.write_bytes(b"PK")
    other = folder / ".autre.xlsx.sheetpilot-0badc0de.tmp"  # another workbook's
    other.write_bytes(b"PK")
    with open(busy, "rb") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        XlsxBackend(plan).read()
    assert not stale.exists() and not old_style.exists()
    assert busy.exists() and recent_old_style.exists() and other.exists()


def test_a_run_killed_during_the_save_leaves_a_temp_file_the_next_run_removes(
    plan: Path,
) -> None:
    before = plan.read_bytes()
    script = (
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "from sheetpilot._backends.xlsx import XlsxBackend\n"
        "from sheetpilot._workbook import CellWrite, ChangeSet\n"
        "os.replace = lambda a, b: os.kill(os.getpid(), signal.SIGKILL)\n"
        "XlsxBackend(Path(sys.argv[1])).write("
        "ChangeSet(writes=(CellWrite('Notes', 0, 1, 'x'),)))\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(plan)], check=False)
    assert done.returncode == -9
    left = [p.name for p in plan.parent.iterdir() if p.name.endswith(".tmp")]
    assert len(left) == 1 and left[0].startswith(".plan.xlsx.sheetpilot-")
    assert plan.read_bytes() == before  # the workbook itself is whole
    XlsxBackend(plan).write(EDIT)
    assert not [p for p in plan.parent.iterdir() if p.name.endswith(".tmp")]
    assert value(plan) == "modifié"


def test_the_previous_version_is_kept_and_can_be_put_back(plan: Path) -> None:
    original = plan.read_bytes()
    XlsxBackend(plan).write(EDIT)
    previous = backup_path(plan)
    assert previous.name == "plan.sheetpilot-previous.xlsx"
    assert previous.read_bytes() == original
    first = plan.read_bytes()
    XlsxBackend(plan).write(ChangeSet(writes=(CellWrite("Notes", 0, 2, "encore"),)))
    assert previous.read_bytes() == first  # one previous version: the last one
    previous.replace(plan)  # getting it back: put it in place of the workbook
    assert value(plan) == "modifié" and value(plan, "C1") is None


def test_a_write_that_changes_nothing_keeps_no_backup(plan: Path) -> None:
    XlsxBackend(plan).write(ChangeSet(writes=(CellWrite("Notes", 0, 0, "Réunion du lundi"),)))
    assert not backup_path(plan).exists()


def test_backup_can_be_turned_off_in_the_configuration(plan: Path) -> None:
    config = config_from_dict(
        {"xlsx": {"backup": False}, "plans": [{"name": "p", "path": str(plan)}]}
    )
    plan_backend(config, config.plans[0]).write(EDIT)
    assert value(plan) == "modifié"
    assert not backup_path(plan).exists()
    default = config_from_dict({"plans": [{"name": "p", "path": str(plan)}]})
    plan_backend(default, default.plans[0]).write(ChangeSet(writes=(CellWrite("Notes", 0, 2, 1),)))
    assert backup_path(plan).exists()


def test_cli_sync_honours_backup_false(plan: Path, tmp_path: Path) -> None:
    config = tmp_path / "sheetpilot.toml"
    config.write_text('[xlsx]\nbackup = false\n[[plans]]\nname = "p"\npath = "plan.xlsx"\n')
    result = CliRunner().invoke(app, ["init", "--config", str(config), "--plan", "p"])
    assert result.exit_code == 0, result.output
    assert not backup_path(plan).exists()


def test_a_backup_that_cannot_be_kept_stops_the_write(plan: Path, monkeypatch) -> None:
    from sheetpilot._errors import WorkbookUnavailable

    before = plan.read_bytes()
    previous = backup_path(plan)
    previous.mkdir()  # something in the way that cannot be replaced

    with pytest.raises(
        WorkbookUnavailable, match=r"could not keep the previous version .* nothing was written"
    ):
        XlsxBackend(plan).write(EDIT)
    assert plan.read_bytes() == before
    assert not [p for p in plan.parent.iterdir() if p.name.endswith(".tmp")]


def test_the_owner_and_group_are_kept_where_the_system_allows(plan: Path) -> None:
    # root may give the file to anyone; another user keeps its own uid and its group
    owner = (4321, 4321) if os.geteuid() == 0 else (os.getuid(), os.getgid())
    os.chown(plan, *owner)
    XlsxBackend(plan).write(EDIT)
    assert (plan.stat().st_uid, plan.stat().st_gid) == owner


def test_a_misspelt_backup_key_names_the_right_one() -> None:
    from sheetpilot._errors import ConfigError

    with pytest.raises(ConfigError, match=r"xlsx\.backp: unknown key .*known keys here: backup"):
        config_from_dict({"xlsx": {"backp": False}})


def test_the_daemon_says_what_to_do_about_a_read_only_workbook(plan: Path) -> None:
    from sheetpilot._daemon.runner import failure_message

    plan.chmod(0o444)
    with pytest.raises(WorkbookReadOnly) as raised:
        XlsxBackend(plan).write(EDIT)
    message = failure_message(raised.value)
    assert "chmod u+w" in message and "once it is writable" in message
    assert "service account" not in message
