"""Tiny builders for .xlsx files with exact XML, shared by the xlsx test files."""

from __future__ import annotations

from pathlib import Path

from sheetpilot._backends.xlsx._package import Book, Package


def raw_workbook(path: Path, sheet_data: str) -> Path:
    """A workbook whose only tab, `T`, has exactly this <sheetData> content."""
    package = Package(None)
    book = Book(package)
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{sheet_data}</sheetData></worksheet>"
    ).encode()
    book.add_worksheet("T", None, xml, hidden=False)
    book.save()
    path.write_bytes(package.save())
    return path
