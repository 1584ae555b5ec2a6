"""sheetpilot: keeps a marketing action plan alive in a spreadsheet."""

__version__ = "0.1.0"
