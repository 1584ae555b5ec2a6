"""The Google Sheets backend (gspread + google-auth): one read request, one write request."""

from sheetpilot._backends.google.backend import GoogleBackend

__all__ = ["GoogleBackend"]
