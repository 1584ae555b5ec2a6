"""gspread without `google_auth_oauthlib`, until someone runs the OAuth browser flow.

gspread's `auth` module imports `google_auth_oauthlib.flow.InstalledAppFlow` when gspread is
imported (about 50 ms with requests-oauthlib and oauthlib) for `gspread.oauth()`, the
browser flow sheetpilot never runs: it reads authorized-user and service-account files
with google-auth. `import_gspread()` imports gspread with a deferred `InstalledAppFlow`
in that module's place; the real class is imported the first time a flow is made. Any
other import of `google_auth_oauthlib` gets the real package as usual.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

_FLOW = "google_auth_oauthlib.flow"


def _real_flow() -> Any:
    return importlib.import_module(_FLOW).InstalledAppFlow


class DeferredFlow:
    """Stands for `InstalledAppFlow` in gspread.auth: each constructor imports the real one."""

    @classmethod
    def from_client_config(cls, *args: Any, **kwargs: Any) -> Any:
        return _real_flow().from_client_config(*args, **kwargs)

    @classmethod
    def from_client_secrets_file(cls, *args: Any, **kwargs: Any) -> Any:
        return _real_flow().from_client_secrets_file(*args, **kwargs)


def import_gspread() -> None:
    """Import gspread once, its OAuth browser flow deferred (see the module docstring)."""
    if "gspread" in sys.modules or _FLOW in sys.modules:
        return
    stand_in = types.ModuleType(_FLOW)
    stand_in.InstalledAppFlow = DeferredFlow  # type: ignore[attr-defined]
    sys.modules[_FLOW] = stand_in
    try:
        importlib.import_module("gspread")
    finally:
        if sys.modules.get(_FLOW) is stand_in:
            del sys.modules[_FLOW]
