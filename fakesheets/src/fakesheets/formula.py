"""A small formula evaluator: enough of Sheets' language for tests, not a spreadsheet engine.

Supported: numbers, strings, TRUE/FALSE, cell references and ranges (optionally on another
tab), whole-column ranges (``$A:$B``, as far as the sheet has cells), ``+ - * / ^ & %``,
comparisons, and SUM, AVERAGE, MIN, MAX, COUNT, COUNTA, IF, IFERROR, AND, OR, NOT, ROUND,
ABS, CONCATENATE, LEN, UPPER, LOWER, TRIM, LEFT, EXACT, ISBLANK, ISNUMBER, INDEX,
MATCH (exact match, ``0``, only), ``ROW()`` (the formula's own row, no argument) and HYPERLINK (it shows its label, or its address). Arguments may be separated by ``,`` or ``;`` as Google
accepts both. Anything else evaluates to ``#NAME?``; a syntax error to ``#ERROR!``.

>>> evaluate("= 1 / 1024", lambda title, row, col: None)
0.0009765625
>>> evaluate("=1/0", lambda title, row, col: None)
FormulaError(type='DIV_BY_ZERO', message='Function DIVIDE parameter 2 cannot be zero.')
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .a1 import col_index, split_title


@dataclass(frozen=True)
class FormulaError:
    """A formula error value (``#DIV/0!`` and friends)."""

    type: str
    message: str


ERROR_TEXT = {
    "DIV_BY_ZERO": "#DIV/0!",
    "NAME": "#NAME?",
    "VALUE": "#VALUE!",
    "REF": "#REF!",
    "N_A": "#N/A",
    "NUM": "#NUM!",
    "ERROR": "#ERROR!",
    "NULL_VALUE": "#NULL!",
}

Scalar = float | str | bool | FormulaError | None
# resolver(title or None, row, col) -> the referenced cell's effective value
Resolver = Callable[[str | None, int, int], Scalar]
# extent(title or None) -> how many rows a whole-column range spans on that tab
Extent = Callable[[str | None], int]

_TOKEN = re.compile(
    r"""\s*(?:
    (?P<num>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)
  | (?P<str>"(?:[^"]|"")*")
  | (?P<ref>(?:'(?:[^']|'')+'!|[A-Za-z_][\w.]*!)?(?:\$?[A-Za-z]{1,3}\$?\d+(?::\$?[A-Za-z]{1,3}\$?\d+)?|\$?[A-Za-z]{1,3}:\$?[A-Za-z]{1,3}(?![\w(])))
  | (?P<name>[A-Za-z_][A-Za-z0-9_.]*)
  | (?P<op><>|<=|>=|[-+*/^&=<>(),%:;])
    )""",
    re.VERBOSE,
)


class _ParseError(Exception):
    pass


class ColumnCache:
    """Whole-column ranges already resolved during one read (a thousand lookups over the
    same ``A:A`` resolve it once); `cycles` counts circular references met, so that a
    range resolved while a cycle cut one of its cells short is not kept."""

    def __init__(self) -> None:
        self.ranges: dict[tuple[str | None, int, int, int], Any] = {}
        self.cycles = 0
        self.indexes: dict[int, dict[Any, int]] = {}

    def match(self, args: list[Any]) -> Scalar | None:
        """MATCH(text, a cached one-column range, 0) through an index of the column's
        texts (first position of each, case-folded); None: evaluate it the plain way."""
        key, cells, kind = args
        if not isinstance(key, str) or not key or kind not in (0, 0.0) or isinstance(kind, bool):
            return None
        if not any(cells is whole for whole in self.ranges.values()):
            return None
        if not cells or len(cells[0]) != 1:
            return None
        index = self.indexes.get(id(cells))
        if index is None:
            index = {}
            for i, (value,) in enumerate(cells):
                if isinstance(value, str):
                    index.setdefault(value.casefold(), i + 1)
            self.indexes[id(cells)] = index
        position = index.get(key.casefold())
        if position is None:
            return FormulaError("N_A", f"Did not find value '{key}' in MATCH evaluation.")
        return float(position)


class _Parser:
    def __init__(
        self,
        text: str,
        resolve: Resolver,
        extent: Extent | None = None,
        columns: ColumnCache | None = None,
        here: tuple[int, int] | None = None,
    ) -> None:
        self.tokens = self._tokenize(text)
        self.pos = 0
        self.resolve = resolve
        self.extent = extent
        self.columns = columns
        self.here = here

    @staticmethod
    def _tokenize(text: str) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        pos = 0
        text = text.rstrip()
        while pos < len(text):
            m = _TOKEN.match(text, pos)
            if not m or m.end() == pos:
                raise _ParseError(text[pos:])
            kind = m.lastgroup or "op"
            out.append((kind, m.group(kind)))
            pos = m.end()
        return out

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        tok = self.peek()
        if tok is None:
            raise _ParseError("unexpected end")
        self.pos += 1
        return tok

    def accept(self, op: str) -> bool:
        tok = self.peek()
        if tok is not None and tok[0] == "op" and tok[1] == op:
            self.pos += 1
            return True
        return False

    # expression := comparison
    def expression(self) -> Any:
        left = self.concat()
        for op in ("<>", "<=", ">=", "=", "<", ">"):
            if self.accept(op):
                return _compare(op, left, self.concat())
        return left

    def concat(self) -> Any:
        left = self.additive()
        while self.accept("&"):
            right = self.additive()
            left = _binary("&", left, right)
        return left

    def additive(self) -> Any:
        left = self.term()
        while True:
            if self.accept("+"):
                left = _binary("+", left, self.term())
            elif self.accept("-"):
                left = _binary("-", left, self.term())
            else:
                return left

    def term(self) -> Any:
        left = self.power()
        while True:
            if self.accept("*"):
                left = _binary("*", left, self.power())
            elif self.accept("/"):
                left = _binary("/", left, self.power())
            else:
                return left

    def power(self) -> Any:
        left = self.unary()
        while self.accept("^"):
            left = _binary("^", left, self.unary())
        return left

    def unary(self) -> Any:
        if self.accept("-"):
            return _binary("-", 0.0, self.unary())
        if self.accept("+"):
            return self.unary()
        value = self.primary()
        while self.accept("%"):
            value = _binary("/", value, 100.0)
        return value

    def primary(self) -> Any:
        kind, text = self.take()
        if kind == "num":
            return float(text)
        if kind == "str":
            return text[1:-1].replace('""', '"')
        if kind == "ref":
            return self.reference(text)
        if kind == "name":
            if self.accept("("):
                return self.call(text.upper())
            if text.upper() in ("TRUE", "FALSE"):
                return text.upper() == "TRUE"
            return FormulaError("NAME", f"Unknown range name: '{text}'.")
        if kind == "op" and text == "(":
            value = self.expression()
            if not self.accept(")"):
                raise _ParseError("missing )")
            return value
        raise _ParseError(text)

    def reference(self, text: str) -> Any:
        title, cells = split_title(text) if "!" in text else (None, text)
        assert cells is not None
        columns = _columns(cells)
        if columns is not None:
            rows = self.extent(title) if self.extent is not None else 0
            c0, c1 = columns
            key = (title, c0, c1, rows)
            cache = self.columns
            if cache is not None and key in cache.ranges:
                return cache.ranges[key]
            cycles = cache.cycles if cache is not None else 0
            whole = [
                [self.resolve(title, r, c) for c in range(min(c0, c1), max(c0, c1) + 1)]
                for r in range(rows)
            ]
            if cache is not None and cache.cycles == cycles:
                cache.ranges[key] = whole  # exact: no cell of it was cut short by a cycle
            return whole
        bounds = [_cell(part) for part in cells.split(":")]
        if len(bounds) == 1:
            return self.resolve(title, *bounds[0])
        (r0, c0), (r1, c1) = bounds
        return [
            [self.resolve(title, r, c) for c in range(min(c0, c1), max(c0, c1) + 1)]
            for r in range(min(r0, r1), max(r0, r1) + 1)
        ]

    def call(self, name: str) -> Any:
        args: list[Any] = []
        if not self.accept(")"):
            while True:
                args.append(self.expression())
                if self.accept(")"):
                    break
                if not (self.accept(",") or self.accept(";")):
                    raise _ParseError("expected , or )")
        if name == "ROW" and not args and self.here is not None:
            return float(self.here[0] + 1)
        if name == "MATCH" and self.columns is not None and len(args) == 3:
            found = self.columns.match(args)
            if found is not None:
                return found
        fn = _FUNCTIONS.get(name)
        if fn is None:
            return FormulaError("NAME", f"Unknown function: '{name}'.")
        return fn(args)


def _cell(text: str) -> tuple[int, int]:
    m = re.fullmatch(r"\$?([A-Za-z]{1,3})\$?(\d+)", text)
    if not m:
        raise _ParseError(text)
    return int(m.group(2)) - 1, col_index(m.group(1))


def _columns(text: str) -> tuple[int, int] | None:
    m = re.fullmatch(r"\$?([A-Za-z]{1,3}):\$?([A-Za-z]{1,3})", text)
    return (col_index(m.group(1)), col_index(m.group(2))) if m else None


def _scalar(value: Any) -> Scalar:
    if isinstance(value, list):
        return value[0][0] if value and value[0] else None
    return value  # type: ignore[no-any-return]


def _number(value: Any) -> float | FormulaError:
    value = _scalar(value)
    if isinstance(value, FormulaError):
        return value
    if value is None or value == "":
        return 0.0
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, float | int):
        return float(value)
    try:
        return float(str(value).replace(",", ""))
    except ValueError:
        return FormulaError(
            "VALUE",
            f"Function expects number values. But '{value}' is a text and cannot be "
            "coerced to a number.",
        )


def _text(value: Any) -> str | FormulaError:
    value = _scalar(value)
    if isinstance(value, FormulaError):
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _binary(op: str, left: Any, right: Any) -> Scalar:
    if op == "&":
        a, b = _text(left), _text(right)
        if isinstance(a, FormulaError):
            return a
        if isinstance(b, FormulaError):
            return b
        return a + b
    x, y = _number(left), _number(right)
    if isinstance(x, FormulaError):
        return x
    if isinstance(y, FormulaError):
        return y
    if op == "+":
        return x + y
    if op == "-":
        return x - y
    if op == "*":
        return x * y
    if op == "/":
        if y == 0:
            return FormulaError("DIV_BY_ZERO", "Function DIVIDE parameter 2 cannot be zero.")
        return x / y
    try:
        return float(x**y)
    except (OverflowError, ZeroDivisionError, TypeError):
        return FormulaError("NUM", "Function POW caused a number to be out of range.")


def _compare(op: str, left: Any, right: Any) -> Scalar:
    a, b = _scalar(left), _scalar(right)
    for v in (a, b):
        if isinstance(v, FormulaError):
            return v
    key_a: Any = a if a is not None else ("" if isinstance(b, str) else 0.0)
    key_b: Any = b if b is not None else ("" if isinstance(a, str) else 0.0)
    if isinstance(key_a, str) and isinstance(key_b, str):
        key_a, key_b = key_a.lower(), key_b.lower()
    elif type(key_a) is not type(key_b) and not (
        isinstance(key_a, int | float) and isinstance(key_b, int | float)
    ):
        rank = {float: 0, int: 0, str: 1, bool: 2}
        key_a, key_b = rank[type(key_a)], rank[type(key_b)]
    results = {
        "=": key_a == key_b,
        "<>": key_a != key_b,
        "<": key_a < key_b,
        ">": key_a > key_b,
        "<=": key_a <= key_b,
        ">=": key_a >= key_b,
    }
    return bool(results[op])


def _flatten(args: list[Any]) -> list[tuple[Scalar, bool]]:
    """Arguments flattened; the flag says whether a value came from a range."""
    out: list[tuple[Scalar, bool]] = []
    for arg in args:
        if isinstance(arg, list):
            out.extend((v, True) for row in arg for v in row)
        else:
            out.append((arg, False))
    return out


def _numbers(args: list[Any]) -> list[float] | FormulaError:
    nums: list[float] = []
    for value, from_range in _flatten(args):
        if isinstance(value, FormulaError):
            return value
        if isinstance(value, bool):
            if not from_range:
                nums.append(1.0 if value else 0.0)
        elif isinstance(value, float | int):
            nums.append(float(value))
        elif isinstance(value, str) and not from_range:
            n = _number(value)
            if isinstance(n, FormulaError):
                return n
            nums.append(n)
    return nums


def _aggregate(
    fn: Callable[[list[float]], float], empty: float | None
) -> Callable[[list[Any]], Scalar]:
    def run(args: list[Any]) -> Scalar:
        nums = _numbers(args)
        if isinstance(nums, FormulaError):
            return nums
        if not nums:
            if empty is None:
                return FormulaError(
                    "DIV_BY_ZERO", "Evaluation of function AVERAGE caused a divide by zero error."
                )
            return empty
        return fn(nums)

    return run


def _if(args: list[Any]) -> Scalar:
    cond = _scalar(args[0]) if args else False
    if isinstance(cond, FormulaError):
        return cond
    truthy = bool(_number(cond)) if not isinstance(cond, str) else cond != ""
    if truthy:
        return _scalar(args[1]) if len(args) > 1 else True
    return _scalar(args[2]) if len(args) > 2 else False


def _logic(combine: Callable[[list[bool]], bool]) -> Callable[[list[Any]], Scalar]:
    def run(args: list[Any]) -> Scalar:
        flags: list[bool] = []
        for value, _ in _flatten(args):
            if isinstance(value, FormulaError):
                return value
            if value is None or isinstance(value, str):
                continue
            flags.append(bool(value))
        return combine(flags)

    return run


def _round(args: list[Any]) -> Scalar:
    x = _number(args[0]) if args else 0.0
    digits = _number(args[1]) if len(args) > 1 else 0.0
    if isinstance(x, FormulaError):
        return x
    if isinstance(digits, FormulaError):
        return digits
    scale = 10 ** int(digits)
    sign = -1.0 if x < 0 else 1.0
    return float(sign * int(abs(x) * scale + 0.5) / scale)


def _text_fn(fn: Callable[[str], Scalar]) -> Callable[[list[Any]], Scalar]:
    def run(args: list[Any]) -> Scalar:
        value = _text(args[0]) if args else ""
        return value if isinstance(value, FormulaError) else fn(value)

    return run


def _concatenate(args: list[Any]) -> Scalar:
    parts: list[str] = []
    for value, _ in _flatten(args):
        text = _text(value)
        if isinstance(text, FormulaError):
            return text
        parts.append(text)
    return "".join(parts)


def _iferror(args: list[Any]) -> Scalar:
    value = _scalar(args[0]) if args else None
    if isinstance(value, FormulaError):
        return _scalar(args[1]) if len(args) > 1 else ""
    return value


def _same_key(key: Scalar, candidate: Scalar) -> bool:
    """MATCH's exact comparison: text ignoring case, numbers by value, never blanks."""
    if candidate is None or isinstance(candidate, FormulaError):
        return False
    if isinstance(key, str) and isinstance(candidate, str):
        return key.casefold() == candidate.casefold()
    if isinstance(key, bool) or isinstance(candidate, bool):
        return key is candidate
    if isinstance(key, float | int) and isinstance(candidate, float | int):
        return float(key) == float(candidate)
    return False


def _vector(value: Any) -> list[Scalar] | None:
    """A one-row or one-column range as a flat list (None for any other shape)."""
    if not isinstance(value, list):
        return [value]
    if len(value) == 1:
        return list(value[0])
    if all(len(row) == 1 for row in value):
        return [row[0] for row in value]
    return None


def _match(args: list[Any]) -> Scalar:
    if len(args) < 2:
        return FormulaError("N_A", "Wrong number of arguments to MATCH.")
    key = _scalar(args[0])
    if isinstance(key, FormulaError):
        return key
    kind = _number(args[2]) if len(args) > 2 else 1.0
    if kind != 0.0:
        return FormulaError("NAME", "fakesheets only evaluates MATCH with match type 0.")
    cells = _vector(args[1])
    if cells is None:
        return FormulaError("N_A", "MATCH range must be a single row or a single column.")
    if key is not None and key != "":
        for i, candidate in enumerate(cells):
            if _same_key(key, candidate):
                return float(i + 1)
    return FormulaError("N_A", f"Did not find value '{_text(key)}' in MATCH evaluation.")


def _index(args: list[Any]) -> Scalar:
    if not args:
        return FormulaError("N_A", "Wrong number of arguments to INDEX.")
    grid = args[0] if isinstance(args[0], list) else [[args[0]]]
    row = _number(args[1]) if len(args) > 1 else 0.0
    col = _number(args[2]) if len(args) > 2 else 0.0
    for n in (row, col):
        if isinstance(n, FormulaError):
            return n
    assert isinstance(row, float) and isinstance(col, float)
    r, c = int(row), int(col)
    if r == 0 and len(grid) == 1:
        r = 1
    if c == 0 and (not grid or len(grid[0]) == 1):  # a range is a rectangle: one look
        c = 1
    if not (1 <= r <= len(grid)) or not (1 <= c <= len(grid[r - 1])):
        return FormulaError("REF", f"Function INDEX parameter 2 value is {r}. Out of range.")
    return grid[r - 1][c - 1]  # type: ignore[no-any-return]


def _hyperlink(args: list[Any]) -> Scalar:
    if not args or len(args) > 2:
        return FormulaError("N_A", "Wrong number of arguments to HYPERLINK.")
    shown = _scalar(args[-1])
    return shown if isinstance(shown, FormulaError) else _text(shown)


def _left(args: list[Any]) -> Scalar:
    text = _text(args[0]) if args else ""
    count = _number(args[1]) if len(args) > 1 else 1.0
    if isinstance(text, FormulaError):
        return text
    if isinstance(count, FormulaError):
        return count
    return text[: max(int(count), 0)]


def _exact(args: list[Any]) -> Scalar:
    a = _text(args[0]) if args else ""
    b = _text(args[1]) if len(args) > 1 else ""
    if isinstance(a, FormulaError):
        return a
    if isinstance(b, FormulaError):
        return b
    return a == b


_FUNCTIONS: dict[str, Callable[[list[Any]], Scalar]] = {
    "SUM": _aggregate(sum, 0.0),
    "AVERAGE": _aggregate(lambda n: sum(n) / len(n), None),
    "MIN": _aggregate(min, 0.0),
    "MAX": _aggregate(max, 0.0),
    "COUNT": lambda args: float(
        sum(1 for v, _ in _flatten(args) if isinstance(v, float | int) and not isinstance(v, bool))
    ),
    "COUNTA": lambda args: float(sum(1 for v, _ in _flatten(args) if v not in (None, ""))),
    "IF": _if,
    "IFERROR": _iferror,
    "AND": _logic(lambda flags: all(flags)),
    "OR": _logic(lambda flags: any(flags)),
    "NOT": lambda args: not bool(_number(args[0])) if args else True,
    "ROUND": _round,
    "ABS": lambda args: (lambda n: n if isinstance(n, FormulaError) else abs(n))(_number(args[0])),
    "CONCATENATE": _concatenate,
    "LEN": _text_fn(lambda s: float(len(s))),
    "UPPER": _text_fn(str.upper),
    "LOWER": _text_fn(str.lower),
    "TRIM": _text_fn(lambda s: " ".join(s.split())),
    "LEFT": _left,
    "EXACT": _exact,
    "ISBLANK": lambda args: bool(args) and _scalar(args[0]) is None,
    "ISNUMBER": lambda args: (
        bool(args)
        and isinstance(_scalar(args[0]), float | int)
        and not isinstance(_scalar(args[0]), bool)
    ),
    "INDEX": _index,
    "MATCH": _match,
    "HYPERLINK": _hyperlink,
}


def evaluate(
    formula: str,
    resolve: Resolver,
    extent: Extent | None = None,
    columns: ColumnCache | None = None,
    here: tuple[int, int] | None = None,
) -> Scalar:
    """Evaluate ``formula`` (with its leading ``=``) against cells given by ``resolve``;
    ``extent`` says how many rows a whole-column range covers on a tab; ``columns``
    shares resolved whole-column ranges between the formulas of one read; ``here`` is the
    formula's own (row, col), 0-based, for ``ROW()``.

    >>> evaluate("=ROW()-3", lambda title, row, col: None, here=(7, 0))
    5.0
    """
    body = formula.strip()
    body = body[1:] if body.startswith("=") else body
    try:
        parser = _Parser(body, resolve, extent, columns, here)
        value = parser.expression()
        if parser.peek() is not None:
            raise _ParseError("trailing tokens")
    except (_ParseError, IndexError, KeyError):
        return FormulaError("ERROR", "Formula parse error.")
    if isinstance(value, list):
        return _scalar(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value  # type: ignore[no-any-return]
