"""The sync daemon: every plan on its schedule, one shared quota, a run history.

`run_daemon(config_path, once=..., log_format=..., env=...)` is what
`sheetpilot daemon --config FILE` calls; see `service` for the lifecycle, `runner` for
one plan's run, `governor` for the quota and `schedule` for the triggers.
"""

from sheetpilot._daemon.governor import GovernedBackend, Governor, GovernorClosed
from sheetpilot._daemon.service import Daemon, check_credentials_file, run_daemon

__all__ = [
    "Daemon",
    "GovernedBackend",
    "Governor",
    "GovernorClosed",
    "check_credentials_file",
    "run_daemon",
]
