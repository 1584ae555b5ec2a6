"""Backends: the only code that touches a spreadsheet (xlsx workbook or Google Sheets)."""
