"""Offline stand-in for the Google Sheets API v4 (and the Drive v3 calls gspread makes).

Real, unmodified gspread talks to it over real HTTP on 127.0.0.1::

    from fakesheets import FakeSheets

    with FakeSheets() as fake:
        key = fake.create_spreadsheet("Plan", sheets={"Réglages": [["Statuts", "Type"]]})
        gc = fake.gspread_client()
        gc.open_by_key(key).worksheet("Réglages").update_acell("C1", "x")
        fake.inject(status=429, count=2)

Modules: ``a1`` (ranges), ``values`` (input/render rules), ``formula``, ``state``,
``render`` (spreadsheets.get), ``values_api``, ``batch_update``, ``drive``, ``auth``
(token endpoint, planted keys), ``faults``, ``server``, ``control`` (this API),
``gspread_seam``.
"""

from .control import FakeSheets
from .errors import ApiError
from .faults import Fault, LogEntry, most_in_window
from .gspread_seam import EndpointHTTPClient, client_for, http_client_class, rewrite

__all__ = [
    "ApiError",
    "EndpointHTTPClient",
    "FakeSheets",
    "Fault",
    "LogEntry",
    "client_for",
    "http_client_class",
    "most_in_window",
    "rewrite",
]
