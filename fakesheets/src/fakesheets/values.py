"""Cell values the way the Sheets API takes them in and renders them out.

Input (``valueInputOption``): RAW stores JSON values as they are; USER_ENTERED parses text
like the Sheets UI in the ``en_US`` locale (numbers, ``1,234.5``, ``15%``, ``$3``, dates,
``TRUE``, ``=formulas``, a leading ``'`` keeps text). Output (``valueRenderOption``):
FORMATTED_VALUE, UNFORMATTED_VALUE or FORMULA.

>>> from_user_entered("2,000,000.01")
({'numberValue': 2000000.01}, {'type': 'NUMBER', 'pattern': '#,##0.00'})
>>> format_general(0.0009765625), format_general(42.0), format_general(1e20)
('0.0009765625', '42', '1E+20')
>>> format_number(46037.0, {"type": "DATE", "pattern": "yyyy-mm-dd"})
'2026-01-15'
"""

from __future__ import annotations

import re
import struct
from datetime import date, datetime, timedelta
from typing import Any

from . import defaults
from .formula import ERROR_TEXT, FormulaError

ExtendedValue = dict[str, Any]
EPOCH = datetime(1899, 12, 30)

_NUMBER = re.compile(
    r"^(?P<sign>[-+]?)(?P<cur>\$?)(?P<int>\d{1,3}(?:,\d{3})+|\d*)(?P<frac>\.\d*)?"
    r"(?P<exp>[eE][-+]?\d+)?(?P<pct>%?)$"
)
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})$")


def serial(moment: date) -> float:
    """A date or datetime → serial number (days since 1899-12-30)."""
    if not isinstance(moment, datetime):
        moment = datetime(moment.year, moment.month, moment.day)
    delta = moment.replace(tzinfo=None) - EPOCH
    return delta.days + delta.seconds / 86400 + delta.microseconds / 86400e6


def from_serial(value: float) -> datetime:
    return EPOCH + timedelta(days=value)


def too_long(value: Any) -> bool:
    """Whether ``value`` is text longer than Google accepts in one cell (50,000 characters).

    >>> too_long("x" * 50_000), too_long("x" * 50_001), too_long(3.5)
    (False, True, False)
    """
    return isinstance(value, str) and len(value) > defaults.MAX_CELL_CHARS


def from_raw(value: Any) -> ExtendedValue | None:
    """A RAW input → ExtendedValue; ``""`` clears the value (None)."""
    if isinstance(value, bool):
        return {"boolValue": value}
    if isinstance(value, int | float):
        return {"numberValue": float(value)}
    if value is None or value == "":
        return None
    return {"stringValue": str(value)}


def from_user_entered(value: Any) -> tuple[ExtendedValue | None, dict[str, str] | None]:
    """A USER_ENTERED input → (ExtendedValue, number format Google would infer)."""
    if not isinstance(value, str):
        return from_raw(value), None
    text = value
    if text == "":
        return None, None
    if text.startswith("'"):
        return {"stringValue": text[1:]}, None
    if text.startswith("=") and len(text) > 1:
        return {"formulaValue": text}, None
    stripped = text.strip()
    if stripped.upper() in ("TRUE", "FALSE"):
        return {"boolValue": stripped.upper() == "TRUE"}, None
    number = _parse_number(stripped)
    if number is not None:
        return number
    moment = _parse_date(stripped)
    if moment is not None:
        return moment
    return {"stringValue": text}, None


def _parse_number(text: str) -> tuple[ExtendedValue, dict[str, str] | None] | None:
    m = _NUMBER.match(text.replace(" ", "") if text.endswith("%") else text)
    if not m or not (m.group("int") or (m.group("frac") or "").strip(".")):
        return None
    digits = m.group("int").replace(",", "") or "0"
    frac = m.group("frac") or ""
    number = float(f"{m.group('sign')}{digits}{frac}{m.group('exp') or ''}")
    decimals = len(frac) - 1 if frac else 0
    fmt: dict[str, str] | None = None
    if m.group("pct"):
        number /= 100
        fmt = {"type": "PERCENT", "pattern": "0.00%" if decimals else "0%"}
    elif m.group("cur"):
        fmt = {"type": "CURRENCY", "pattern": '"$"#,##0.00'}
    elif m.group("exp"):
        fmt = {"type": "SCIENTIFIC", "pattern": "0.00E+00"}
    elif "," in m.group("int"):
        fmt = {"type": "NUMBER", "pattern": "#,##0.00" if decimals else "#,##0"}
    return {"numberValue": number}, fmt


def _parse_date(text: str) -> tuple[ExtendedValue, dict[str, str]] | None:
    m = _ISO_DATE.match(text)
    try:
        if m:
            y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
            if m.group(4):
                moment = datetime(y, mo, d, int(m.group(4)), int(m.group(5)), int(m.group(6) or 0))
                fmt = {"type": "DATE_TIME", "pattern": "yyyy-mm-dd H:mm:ss"}
                return {"numberValue": serial(moment)}, fmt
            return {"numberValue": serial(date(y, mo, d))}, {
                "type": "DATE",
                "pattern": "yyyy-mm-dd",
            }
        m = _US_DATE.match(text)
        if m:
            y = int(m.group(3))
            y = y + 2000 if y < 30 else (y + 1900 if y < 100 else y)
            day = date(y, int(m.group(1)), int(m.group(2)))
            return {"numberValue": serial(day)}, {"type": "DATE", "pattern": "M/d/yyyy"}
    except ValueError:
        return None
    return None


def to_extended(value: Any) -> ExtendedValue | None:
    """A formula evaluation result → ExtendedValue (None for an empty result)."""
    if isinstance(value, FormulaError):
        return {"errorValue": {"type": value.type, "message": value.message}}
    return from_raw(value)


def format_general(number: float) -> str:
    """Sheets' automatic number format: up to 10 significant digits, E notation when huge."""
    if number == 0:
        return "0"
    if number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    text = f"{number:.10g}"
    if "e" in text:
        mantissa, _, exp = text.partition("e")
        sign = "-" if exp.startswith("-") else "+"
        return f"{mantissa.upper()}E{sign}{int(exp.lstrip('+-')):02d}".replace(".E", "E")
    return text


def format_number(number: float, fmt: dict[str, Any] | None) -> str:
    """Render a number with a NumberFormat (type + pattern), as FORMATTED_VALUE does."""
    if not fmt:
        return format_general(number)
    kind = fmt.get("type", "NUMBER")
    pattern = fmt.get("pattern", "")
    if kind in ("DATE", "TIME", "DATE_TIME"):
        return _format_datetime(number, pattern or _DEFAULT_DATE_PATTERNS[kind])
    if kind == "TEXT":
        return format_general(number)
    if not pattern:
        pattern = {"PERCENT": "0.00%", "CURRENCY": '"$"#,##0.00', "SCIENTIFIC": "0.00E+00"}.get(
            kind, ""
        )
        if not pattern:
            return format_general(number)
    return _format_with_pattern(number, pattern.split(";")[0] if number >= 0 else pattern)


_DEFAULT_DATE_PATTERNS = {
    "DATE": "M/d/yyyy",
    "TIME": "h:mm:ss am/pm",
    "DATE_TIME": "M/d/yyyy H:mm:ss",
}


def _format_with_pattern(number: float, pattern: str) -> str:
    sections = pattern.split(";")
    negative = number < 0
    if negative and len(sections) > 1:
        pattern, number, negative = sections[1], -number, False
    literal = re.findall(r'"([^"]*)"', pattern)
    core = re.sub(r'"[^"]*"', "", pattern).replace("\\", "")
    prefix = literal[0] if literal and pattern.startswith('"') else ""
    suffix = literal[-1] if literal and pattern.endswith('"') else ""
    if "E+" in core.upper():
        decimals = len(core.split(".")[1].split("E")[0]) if "." in core else 0
        text = f"{abs(number):.{decimals}E}"
        mantissa, _, exp = text.partition("E")
        return (
            ("-" if negative else "") + prefix + f"{mantissa}E{exp[0]}{int(exp[1:]):02d}" + suffix
        )
    percent = "%" in core
    value = abs(number) * (100 if percent else 1)
    number_part = core.replace("%", "")
    frac_part = number_part.split(".")[1] if "." in number_part else ""
    min_decimals = frac_part.count("0")
    max_decimals = min_decimals + frac_part.count("#")
    text = f"{value:.{max_decimals}f}"
    if max_decimals > min_decimals:
        whole, _, frac = text.partition(".")
        frac = frac.rstrip("0")
        frac = frac + "0" * (min_decimals - len(frac)) if len(frac) < min_decimals else frac
        text = whole + ("." + frac if frac else "")
    if "," in number_part.split(".")[0]:
        whole, dot, frac = text.partition(".")
        text = f"{int(whole):,}" + dot + frac
    int_pattern = number_part.split(".")[0].replace(",", "")
    if int_pattern and "0" not in int_pattern and text.startswith("0") and "." in text:
        text = text[1:]
    return (
        ("-" if negative and value != 0 else "") + prefix + text + ("%" if percent else "") + suffix
    )


_MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_DT_TOKEN = re.compile(r'"[^"]*"|am/pm|AM/PM|a/p|y+|m+|M+|d+|h+|H+|s+|.', re.IGNORECASE)


def _format_datetime(number: float, pattern: str) -> str:
    moment = from_serial(number + 1e-9)
    tokens = _DT_TOKEN.findall(pattern)
    twelve = any(t.lower() in ("am/pm", "a/p") for t in tokens)
    out: list[str] = []
    for i, token in enumerate(tokens):
        low = token.lower()
        prev = next((t.lower() for t in reversed(tokens[:i]) if t.strip(":. ")), "")
        nxt = next((t.lower() for t in tokens[i + 1 :] if t.strip(":. ")), "")
        if token.startswith('"'):
            out.append(token[1:-1])
        elif low in ("am/pm", "a/p"):
            out.append(
                ("AM" if moment.hour < 12 else "PM") if low == "am/pm" else "ap"[moment.hour >= 12]
            )
        elif low.startswith("y"):
            out.append(f"{moment.year:04d}" if len(low) != 2 else f"{moment.year % 100:02d}")
        elif (
            low.startswith("m") and (prev.startswith("h") or nxt.startswith("s")) and len(low) <= 2
        ):
            out.append(f"{moment.minute:0{len(low)}d}")
        elif low.startswith("m"):
            out.append(_month(moment, len(low)))
        elif low.startswith("d"):
            out.append(
                [
                    f"{moment.day}",
                    f"{moment.day:02d}",
                    _DAYS[moment.weekday()][:3],
                    _DAYS[moment.weekday()],
                ][min(len(low), 4) - 1]
            )
        elif low.startswith("h"):
            hour = moment.hour % 12 or 12 if twelve else moment.hour
            out.append(f"{hour:0{min(len(low), 2)}d}")
        elif low.startswith("s"):
            out.append(f"{moment.second:0{min(len(low), 2)}d}")
        else:
            out.append(token)
    return "".join(out)


def _month(moment: datetime, width: int) -> str:
    if width == 1:
        return str(moment.month)
    if width == 2:
        return f"{moment.month:02d}"
    name = _MONTHS[moment.month - 1]
    return name[:3] if width == 3 else (name[0] if width == 5 else name)


def render(
    effective: ExtendedValue | None,
    number_format: dict[str, Any] | None,
    option: str,
    date_option: str = "SERIAL_NUMBER",
) -> Any:
    """An effective value as the Values API returns it; ``""`` for an empty cell."""
    if not effective:
        return ""
    if "stringValue" in effective:
        return effective["stringValue"]
    if "boolValue" in effective:
        flag = bool(effective["boolValue"])
        return ("TRUE" if flag else "FALSE") if option == "FORMATTED_VALUE" else flag
    if "errorValue" in effective:
        return ERROR_TEXT.get(effective["errorValue"].get("type", "ERROR"), "#ERROR!")
    number = float(effective.get("numberValue", 0.0))
    if option == "FORMATTED_VALUE":
        return format_number(number, number_format)
    kind = (number_format or {}).get("type")
    if date_option == "FORMATTED_STRING" and kind in ("DATE", "TIME", "DATE_TIME"):
        return format_number(number, number_format)
    return json_number(number)


def formatted(effective: ExtendedValue | None, number_format: dict[str, Any] | None) -> str:
    """The ``formattedValue`` of a cell."""
    return str(render(effective, number_format, "FORMATTED_VALUE"))


def json_number(number: float) -> int | float:
    """Integral floats as ints, as Google's JSON prints them."""
    return int(number) if number.is_integer() and abs(number) < 2**53 else number


def float32(number: float) -> float:
    """Round to the nearest float32 and print it as shortly as Google does (0.49803922)."""
    f32 = struct.unpack("f", struct.pack("f", number))[0]
    for digits in range(1, 10):
        text = f"{f32:.{digits}g}"
        if struct.unpack("f", struct.pack("f", float(text)))[0] == f32:
            return float(text)
    return float(f32)
