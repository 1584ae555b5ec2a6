"""Test helpers shipped with sheetpilot: an offline stand-in for the Google Sheets API."""
