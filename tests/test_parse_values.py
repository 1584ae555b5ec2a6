"""Cell value parsers: what a user may type (or a backend may hand over) in a cell."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from sheetpilot._parse.values import (
    BadValue,
    as_date,
    as_number,
    as_text,
    closest,
    match,
    suggestion,
)

JAN_15 = date(2026, 1, 15)


@pytest.mark.parametrize(
    "value",
    [
        46037,  # Sheets serial number
        46037.0,
        46037.75,  # a time of day is dropped
        "2026-01-15",
        "2026-1-15",
        "2026-01-15T10:30:00",
        "2026-01-15 00:00:00",
        "15/01/2026",
        "15/01/26",
        " 15/1/2026 ",
        "15.01.2026",
        "15-01-2026",
        JAN_15,
        datetime(2026, 1, 15, 18, 45),
    ],
)
def test_dates_in_every_accepted_form(value):
    assert as_date(value) == JAN_15


@pytest.mark.parametrize("value", [None, "", "   "])
def test_blank_date_is_none(value):
    assert as_date(value) is None


@pytest.mark.parametrize(
    "value",
    [
        "32/13/2026",
        "31/02/2026",
        "2026-13-01",
        "demain",
        "15 janvier",
        "15/01",
        True,
        2026,  # a year, not a date: as a serial it would be 1905-07-18
        -5,
        float("nan"),
        float("inf"),
        10**400,
    ],
)
def test_bad_dates_raise_with_a_message_quoting_the_value(value):
    with pytest.raises(BadValue) as exc:
        as_date(value)
    message = str(exc.value)
    assert "is not a date" in message
    assert "15/01/2026 or 2026-01-15" in message


def test_bad_date_message_quotes_the_text():
    with pytest.raises(BadValue, match=r"'32/13/2026' is not a date"):
        as_date("32/13/2026")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (2, 2.0),
        (1.5, 1.5),
        ("2", 2.0),
        ("1,5", 1.5),
        ("1.5", 1.5),
        (",5", 0.5),
        ("1 200", 1200.0),
        ("1\u00a0200,5", 1200.5),  # non-breaking space
        ("1\u202f200", 1200.0),  # narrow non-breaking space
        ("2 j", 2.0),
        ("2 j-h", 2.0),
        ("2jh", 2.0),
        ("1,5 jours", 1.5),
        ("15 %", 15.0),
        ("15%", 15.0),
        ("-3", -3.0),
        ("−3", -3.0),  # unicode minus
        ("1.200,50", 1200.5),
        ("1,200.50", 1200.5),
        ("1.000.000", 1_000_000.0),
        ("1,000,000", 1_000_000.0),
        ("10 €", 10.0),
        ("€10", 10.0),
        ("  7  ", 7.0),
    ],
)
def test_numbers_in_every_accepted_form(value, expected):
    assert as_number(value) == expected


@pytest.mark.parametrize("value", [None, "", "  "])
def test_blank_number_is_none(value):
    assert as_number(value) is None


@pytest.mark.parametrize(
    "value",
    [
        "haut",
        "1,2,3.4",
        "1.2.3",
        "12,34,5",
        "2-3",
        "1e3",
        "12abc34",
        "trois",
        True,
        JAN_15,
        float("nan"),
        float("inf"),
        10**400,
    ],
)
def test_bad_numbers_raise_with_a_message(value):
    with pytest.raises(BadValue, match="is not a number"):
        as_number(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        ("  Alice  ", "Alice"),
        (12.0, "12"),
        (12, "12"),
        (1.5, "1.5"),
        (True, "TRUE"),
        (JAN_15, "2026-01-15"),
        (datetime(2026, 1, 15, 9, 0), "2026-01-15"),
    ],
)
def test_any_cell_reads_as_text(value, expected):
    assert as_text(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("en cours", "En cours"), ("EN  COURS!", "En cours"), ("a faire", "À faire"), ("fait", None)],
)
def test_list_match_ignores_case_accents_and_punctuation(value, expected):
    assert match(value, ["À faire", "En cours", "Terminé"]) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("en cour", "En cours"), ("termine!", "Terminé"), ("Alise", "Alice"), ("zzz", None)],
)
def test_closest_known_value(value, expected):
    assert closest(value, ["À faire", "En cours", "Terminé", "Alice"]) == expected


def test_suggestion_text():
    assert suggestion("Alise", ["Alice", "Bruno"]) == " (did you mean 'Alice'?)"
    assert suggestion("Zoé", ["Alice", "Bruno"]) == ""


@pytest.mark.parametrize("value", ["-", " — ", "–", "−", "\u00a0-\u00a0"])
def test_a_lone_dash_is_blank_not_a_bad_value(value):
    """Users type a dash for "n/a": it reads as an empty cell, in numbers and dates alike."""
    assert as_number(value) is None
    assert as_date(value) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("-2", -2.0),
        ("- 2", -2.0),
        ("−1,5", -1.5),
        ("\u00a0-3 j\u00a0", -3.0),
        ("1\u202f200,5\u00a0€", 1200.5),
        (" 2 j-h ", 2.0),
    ],
)
def test_negative_numbers_and_non_breaking_spaces(value, expected):
    assert as_number(value) == expected


@pytest.mark.parametrize("value", ["--", "-x", "- -", "—2—"])
def test_dashes_with_more_are_still_bad_numbers(value):
    with pytest.raises(BadValue, match="is not a number"):
        as_number(value)


JAN_5 = date(2026, 1, 5)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-01-15T10:00", JAN_15),
        ("2026-01-15T10:00Z", JAN_15),  # the date as typed, whatever the time zone
        ("2026-01-15T10:00:00+01:00", JAN_15),
        ("2026-01-15T23:30:00-0500", JAN_15),
        ("2026-01-15 10:00:00.123", JAN_15),
        ("5/1/2026", JAN_5),  # day first, French style
        ("05/01/26", JAN_5),
        ("\u00a005/01/2026\u00a0", JAN_5),
        (46027.999, JAN_5),  # a serial with a time of day late in the evening
    ],
)
def test_more_date_forms(value, expected):
    assert as_date(value) == expected
