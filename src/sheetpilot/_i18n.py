"""Words, numbers and dates in the plan's language: the translator the pure core is handed.

Pure: a `Translator` wraps a gettext catalog already loaded (by `sheetpilot._locales`,
outside the pure core) and Babel's locale data; nothing here reads a file, the clock or
the environment. Messages are written in English in the code (the gettext msgids) with
named placeholders, and formatted after translation:

>>> t = Translator("en")
>>> t("{id} has no estimate", id="A-008")
'A-008 has no estimate'
>>> t.number(7.5), t.percent(0.725), t.date(date(2026, 1, 15))
('7.5', '73%', '2026-01-15')
>>> fr = Translator("fr")  # no catalog: English words, French figures
>>> fr.number(7.5), fr.percent(0.725), fr.date(date(2026, 1, 15))
('7,5', '73\\xa0%', '15/01/2026')

One rounding rule for every displayed figure (terminal, messages, reports): half-up on
the value as written in decimal (`repr`), so 0.725 shows as 73 % — as a spreadsheet
shows the same cell under a `0%` format — and never as 72 %:

>>> rounded(0.725, 2), rounded(2.5, 0), rounded(0.1 + 0.2, 6)
(Decimal('0.73'), Decimal('3'), Decimal('0.300000'))
"""

from __future__ import annotations

import gettext
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

from sheetpilot._template import LOCALES, Locale

__all__ = ["HEALTH_WORDS", "N_", "STATUS_TYPE_WORDS", "Catalogs", "Translator", "rounded"]

_Day = date  # `Translator.date` shadows the type inside the class
# Babel locale per plan locale, and the date pattern its users read at a glance.
_BABEL: dict[Locale, str] = {"fr": "fr_FR", "en": "en_US"}
_DATE_PATTERN: dict[Locale, str] = {"fr": "dd/MM/yyyy", "en": "yyyy-MM-dd"}
_SHORT_DATE_PATTERN: dict[Locale, str] = {"fr": "dd/MM/yy", "en": "MMM d"}


def N_(message: str) -> str:
    """Marks a message kept in a constant for extraction; translated where it is used."""
    return message


# The status types (the `Type` column's values) as a message names them.
STATUS_TYPE_WORDS: dict[str, str] = {
    "todo": N_("todo"),
    "doing": N_("doing"),
    "done": N_("done"),
    "blocked": N_("blocked"),
    "cancelled": N_("cancelled"),
}
# The health of a result or objective (the report's `health`) as the sheet and terminal show it.
HEALTH_WORDS: dict[str, str] = {
    "done": N_("Done"),
    "late": N_("Late"),
    "on track": N_("On track"),
    "at risk": N_("At risk"),
    "unknown": N_("Unknown"),
}


def rounded(value: float, decimals: int) -> Decimal:
    """`value` rounded half-up to `decimals` places, from its shortest decimal form."""
    return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)


@dataclass(frozen=True)
class Translator:
    """gettext for one locale, plus Babel formatting of numbers, percentages and dates.

    `catalog` None means the msgids themselves (English).
    """

    locale: Locale
    catalog: gettext.NullTranslations | None = field(default=None, compare=False)

    def __call__(self, message: str, /, **params: object) -> str:
        """The translation of `message`, its `{placeholders}` filled from `params`."""
        text = self.catalog.gettext(message) if self.catalog is not None else message
        return text.format(**params) if params else text

    def context(self, context: str, message: str, /, **params: object) -> str:
        """`message` as translated where it appears in `context` (gettext's msgctxt): one
        English word that reads two ways ('Load' in the terminal, 'Taux de charge' in a tab)."""
        text = self.catalog.pgettext(context, message) if self.catalog is not None else message
        return text.format(**params) if params else text

    def plural(self, singular: str, plural: str, count: int, /, **params: object) -> str:
        """The form of a message for `count` (French: 0 and 1 are singular); `{n}` is count."""
        if self.catalog is not None:
            text = self.catalog.ngettext(singular, plural, count)
        else:
            text = singular if count == 1 else plural
        return text.format(n=self.integer(count), **params)

    @property
    def babel_locale(self) -> str:
        return _BABEL[self.locale]

    def number(self, value: float, decimals: int = 2) -> str:
        """A figure with at most `decimals` decimals, trailing zeros dropped ('7,5', '2')."""
        exact = rounded(value, decimals).normalize()
        if exact == exact.to_integral_value():
            exact = exact.quantize(Decimal(1))
        return format_decimal(exact, format="#,##0.######", locale=self.babel_locale)

    def fixed(self, value: float, decimals: int = 1) -> str:
        """A figure with exactly `decimals` decimals ('7,0'), for aligned columns."""
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
        return format_decimal(rounded(value, decimals), format=pattern, locale=self.babel_locale)

    def integer(self, value: int) -> str:
        return format_decimal(value, format="#,##0", locale=self.babel_locale)

    def percent(self, ratio: float) -> str:
        """A ratio as a whole percentage: 0.725 → '73 %' (fr), '73%' (en)."""
        return format_percent(rounded(ratio * 100, 0) / 100, locale=self.babel_locale)

    def date(self, day: date) -> str:
        """A date as its readers write it: 15/01/2026 (fr), 2026-01-15 (en)."""
        return format_date(day, _DATE_PATTERN[self.locale], locale=self.babel_locale)

    def short_date(self, day: _Day) -> str:
        """A date in a narrow column: 15/01/26 (fr), Jan 15 (en)."""
        return format_date(day, _SHORT_DATE_PATTERN[self.locale], locale=self.babel_locale)


@dataclass(frozen=True)
class Catalogs:
    """One translator per locale, loaded once and handed to the pure core.

    Without catalogs every locale reads the English msgids (with its own figures):
    what a bare `parse_plan(grids)` in a test gets.
    """

    translators: Mapping[Locale, Translator] = field(default_factory=dict)

    def __call__(self, locale: Locale) -> Translator:
        return self.translators.get(locale) or Translator(locale)

    @classmethod
    def english(cls) -> Catalogs:
        return cls({loc: Translator(loc) for loc in LOCALES})
