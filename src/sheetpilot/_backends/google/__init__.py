"""The Google Sheets backend (gspread + google-auth): one read request, one write request."""

from sheetpilot._backends.google._gspread import import_gspread

import_gspread()  # before any module of this package imports gspread

from sheetpilot._backends.google.backend import GoogleBackend  # noqa: E402

__all__ = ["GoogleBackend"]
