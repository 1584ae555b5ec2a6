"""Cell value parsers: text, dates, numbers, and matching a value against a list.

Each parser returns None for a blank cell (a lone dash counts as blank in number and
date cells: users type it for "n/a") and raises `BadValue` (a ValueError whose
message says what was found and what is expected) for a value it cannot read.

>>> as_date("15/01/26"), as_date(46037), as_date("2026-01-15")
(datetime.date(2026, 1, 15), datetime.date(2026, 1, 15), datetime.date(2026, 1, 15))
>>> as_number("1 200,5 j-h"), as_number("15 %"), as_number(2)
(1200.5, 15.0, 2.0)
>>> as_number("1,200", "en"), as_number("1,200", "fr"), as_number("1.200", "fr")
(1200.0, 1.2, 1200.0)
>>> closest("En cour", ["À faire", "En cours", "Terminé"])
'En cours'
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable
from datetime import date, datetime

from sheetpilot._cells import CellValue, is_blank, serial_to_date, shorten
from sheetpilot._i18n import N_, Translator
from sheetpilot._template import Locale, normalize

_NOT_A_DATE = N_("{value} is not a date: use 15/01/2026 or 2026-01-15")
# A bare number in a date column is a serial number (days since 1899-12-30) only when it
# lands in these years: 2026 typed as a year would otherwise silently become 1905-07-18.
SERIAL_YEARS = (1950, 2199)


class BadValue(ValueError):
    """A cell that cannot be read as the expected kind of value.

    Carries its message untranslated (an English msgid and its parameters): `text(t)`
    says it in the plan's language, `str()` in English.

    >>> BadValue("{value} is not a number", value="'x'").text(Translator("en"))
    "'x' is not a number"
    """

    def __init__(self, message: str, **params: str) -> None:
        super().__init__(message.format(**params))
        self.message, self.params = message, params

    def text(self, t: Translator) -> str:
        return t(self.message, **self.params)


def show(value: CellValue, t: Translator | None = None) -> str:
    """A cell value as quoted in a message.

    >>> show(" 32/13/2026"), show(2.0), show(None)
    ("'32/13/2026'", '2', 'blank')
    >>> len(show("x" * 50_000))  # long text is shortened, with an ellipsis
    102
    """
    if is_blank(value):
        return t("blank") if t is not None else "blank"
    return f"'{shorten(as_text(value))}'" if isinstance(value, str) else as_text(value)


def as_text(value: CellValue) -> str:
    """Any cell as stripped text; whole floats lose their '.0', dates are ISO.

    >>> as_text(12.0), as_text(None), as_text(datetime(2026, 1, 15, 9, 30))
    ('12', '', '2026-01-15')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value))
    return str(value).strip()


_ISO = re.compile(
    r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ][\d:.]*(?:Z|[+-]\d{2}:?\d{2})?)?$",
    re.IGNORECASE,
)
_FR = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?: [\d:.]*)?$")


_DASHES = frozenset("-–—−")


def is_empty(value: CellValue) -> bool:
    """Blank, or a lone dash: what users type for "n/a" in a number or date cell.

    >>> is_empty(None), is_empty(" — "), is_empty("-2")
    (True, True, False)
    """
    return is_blank(value) or (isinstance(value, str) and value.strip() in _DASHES)


def as_date(value: CellValue) -> date | None:
    """A date from a native date, a serial number, ISO text or French dd/mm/yy(yy) text.

    ISO text may carry a time and a zone offset; the date is taken as typed.
    """
    if is_empty(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise BadValue(_NOT_A_DATE, value=show(value))
    if isinstance(value, int | float):
        return _from_serial(value)
    text = str(value).strip()
    iso = _ISO.match(text)
    fr = _FR.match(text)
    try:
        if iso:
            return date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        if fr:
            year = int(fr.group(3))
            year = 2000 + year if len(fr.group(3)) == 2 else year
            return date(year, int(fr.group(2)), int(fr.group(1)))
    except ValueError:
        pass
    raise BadValue(_NOT_A_DATE, value=show(value))


def _from_serial(value: int | float) -> date:
    try:
        result = serial_to_date(float(value)) if math.isfinite(float(value)) else None
    except (OverflowError, ValueError):
        result = None
    if result is None or not SERIAL_YEARS[0] <= result.year <= SERIAL_YEARS[1]:
        raise BadValue(_NOT_A_DATE, value=show(value))
    return result


_BETWEEN_DIGITS = re.compile(r"(?<=\d)[\s'’]+(?=\d)")
_NUMBER = re.compile(r"^([€$£]?)\s*([+-]?)\s*(\d[\d.,]*\d|\d|[.,]\d+)\s*([^\d]{0,24})$")
_NOT_A_NUMBER = N_("{value} is not a number: enter a number such as 2, 1,5 or 1.5")


# The mark that groups thousands in each plan language (besides spaces, always accepted).
THOUSANDS: dict[Locale, str] = {"fr": ".", "en": ","}


def as_number(value: CellValue, locale: Locale | None = None) -> float | None:
    """A number from a native number or text with a decimal comma, spaces and a unit.

    Separators: repeated ',' or '.', or the first of a ',' and '.' pair, group thousands
    ('1.200,5', '1,200.5'); spaces between digits always do ('1 200'). A single ',' or
    '.' is the decimal mark, except the plan language's thousands mark ('.' in `fr`, ','
    in `en`) followed by exactly three digits, which groups them: '1,200' is 1200 in an
    English plan, 1.2 in a French one (`ambiguity` says so, for a warning). A trailing unit
    is dropped as written: '2 j' → 2.0, '15 %' → 15.0 (not 0.15). A lone dash is blank.
    """
    if is_empty(value):
        return None
    if isinstance(value, bool | date):
        raise BadValue(_NOT_A_NUMBER, value=show(value))
    if isinstance(value, int | float):
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        if not math.isfinite(number):
            raise BadValue(_NOT_A_NUMBER, value=show(value))
        return number
    m = _number_text(value)
    parsed = _digits_to_float(m.group(3), locale) if m else None
    if m is None or parsed is None:
        raise BadValue(_NOT_A_NUMBER, value=show(value))
    return -parsed if m.group(2) == "-" else parsed


# How a number that reads two ways was read, per plan language (its thousands mark).
_AMBIGUOUS: dict[Locale, str] = {
    "en": N_(
        "{value} was read as {read} (',' groups thousands in an English plan): "
        "type {read} or {other} to remove the doubt"
    ),
    "fr": N_(
        "{value} was read as {read} ('.' groups thousands in a French plan): "
        "type {read} or {other} to remove the doubt"
    ),
}


def ambiguity(value: CellValue, locale: Locale | None, t: Translator | None = None) -> str | None:
    """How a number that reads two ways was read, or None when it reads one way only.

    >>> ambiguity("1,200", "en")
    "'1,200' was read as 1200 (',' groups thousands in an English plan): type 1200 or 1.2 to remove the doubt"
    >>> ambiguity("1,5", "en"), ambiguity("1,200", "fr"), ambiguity(1200, "en")
    (None, None, None)
    """
    if locale is None or not isinstance(value, str):
        return None
    m = _number_text(value)
    if m is None or not _groups_single(m.group(3), THOUSANDS[locale]):
        return None
    whole, frac = m.group(3).split(THOUSANDS[locale])
    decimal = "," if locale == "fr" else "."
    params = {
        "value": show(value),
        "read": f"{whole}{frac}",
        "other": f"{whole}{decimal}{frac.rstrip('0') or '0'}",
    }
    return t(_AMBIGUOUS[locale], **params) if t is not None else _AMBIGUOUS[locale].format(**params)


def _number_text(value: CellValue) -> re.Match[str] | None:
    text = _BETWEEN_DIGITS.sub("", str(value).strip().replace("−", "-"))
    return _NUMBER.match(text)


def _groups_single(digits: str, mark: str) -> bool:
    """`digits` holds one `mark` and no other, between 1–3 digits (not a lone 0) and 3 digits."""
    if digits.count(mark) != 1 or any(c in ",." and c != mark for c in digits):
        return False
    whole, frac = digits.split(mark)
    return 1 <= len(whole) <= 3 and whole != "0" and len(frac) == 3


def _digits_to_float(digits: str, locale: Locale | None = None) -> float | None:
    commas, dots = digits.count(","), digits.count(".")
    decimal: str | None = None
    thousands: str | None = None
    if commas and dots:
        decimal = "," if digits.rfind(",") > digits.rfind(".") else "."
        thousands = "." if decimal == "," else ","
    elif commas > 1 or dots > 1:
        thousands = "," if commas else "."
    elif locale is not None and _groups_single(digits, THOUSANDS[locale]):
        thousands = THOUSANDS[locale]
    elif commas or dots:
        decimal = "," if commas else "."
    whole, _, frac = digits.partition(decimal) if decimal else (digits, "", "")
    if (decimal and decimal in frac) or (thousands and thousands in frac):
        return None
    if thousands:
        groups = whole.split(thousands)
        if not (1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])):
            return None
        whole = "".join(groups)
    return float(f"{whole or '0'}.{frac or '0'}")


def match(value: str, choices: Iterable[str]) -> str | None:
    """The choice `value` names, ignoring case, accents and punctuation; None if none.

    >>> match("en  COURS", ["À faire", "En cours"])
    'En cours'
    """
    norm = normalize(value)
    for choice in choices:
        if normalize(choice) == norm:
            return choice
    return None


def closest(value: str, choices: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The known choice closest to `value` (difflib, on normalized forms), if one is close."""
    by_norm: dict[str, str] = {}
    for choice in choices:
        by_norm.setdefault(normalize(choice), choice)
    found = difflib.get_close_matches(normalize(value), list(by_norm), n=1, cutoff=cutoff)
    return by_norm[found[0]] if found else None


def suggestion(value: str, choices: Iterable[str], t: Translator | None = None) -> str:
    """' (did you mean 'X'?)' when a close choice exists, else ''."""
    near = closest(value, choices)
    if near is None:
        return ""
    t = t or Translator("en")
    return t(" (did you mean '{choice}'?)", choice=shorten(near))
