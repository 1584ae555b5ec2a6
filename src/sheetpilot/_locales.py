"""Loading the message catalogs shipped in the package (the shell side of `_i18n`).

The `.po` sources under `sheetpilot/locales/<locale>/LC_MESSAGES/sheetpilot.po` are the
only form committed: they are compiled in memory with Babel (`read_po`, `write_mo`) the
first time a catalog is needed, once per process. English is the msgids themselves.

Adding a message: write it in English in the code, wrapped in `t(...)` (or
`t.plural(...)`), and add its `msgid`/`msgstr` pair to the French `.po`;
`tests/test_i18n.py` fails while a wrapped message has no translation.
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Mapping
from functools import cache
from importlib import resources

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from sheetpilot._i18n import Catalogs, Translator
from sheetpilot._template import LOCALES, Locale

DOMAIN = "sheetpilot"
TRANSLATED: tuple[Locale, ...] = ("fr",)  # the locales with a catalog; en is the msgids


def po_source(locale: Locale) -> str:
    """The text of a locale's `.po` catalog, read from the installed package."""
    path = resources.files("sheetpilot") / "locales" / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
    return path.read_text(encoding="utf-8")


@cache
def translator(locale: Locale) -> Translator:
    """The translator of `locale`, its catalog compiled from the shipped `.po` once."""
    if locale not in TRANSLATED:
        return Translator(locale)
    catalog = read_po(io.StringIO(po_source(locale)), locale=locale, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translator(locale, gettext.GNUTranslations(buffer))


@cache
def catalogs() -> Catalogs:
    """Every locale's translator, as the pure core takes them."""
    return Catalogs({loc: translator(loc) for loc in LOCALES})


def env_locale(env: Mapping[str, str]) -> Locale:
    """The CLI's own language from `LANGUAGE`, `LC_ALL`, `LC_MESSAGES` or `LANG`, as gettext
    reads them: 'fr' when the first one set names French, else 'en'.

    >>> env_locale({"LANG": "fr_FR.UTF-8"}), env_locale({"LC_ALL": "C", "LANG": "fr_FR"})
    ('fr', 'en')
    """
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value:
            first = value.split(":")[0]
            return "fr" if first.lower().startswith("fr") else "en"
    return "en"
