"""How names typed in the sheet are matched against each other: one place for the parser and compute.

IDs compare case-insensitively (surrounding spaces ignored); list values (periods,
owners, priorities) compare like every template name, ignoring case, accents,
spacing and punctuation; marketing objectives (free text that groups results) ignore
case and spacing only, so that two objectives differing by an accent stay apart.

>>> id_key(" a-001 ") == id_key("A-001")
True
>>> name_key("Équipe  Web") == name_key("equipe web")
True
"""

from __future__ import annotations

from sheetpilot._template import normalize


def id_key(text: str | None) -> str:
    """The form two IDs are compared in ('' for a blank ID)."""
    return (text or "").strip().casefold()


def name_key(text: str | None) -> str:
    """The form two list values (period, owner, priority) are compared in."""
    return normalize(text or "")


def objective_key(text: str) -> str:
    """The form two marketing-objective texts are compared in.

    >>> objective_key(" Notoriété  Web ") == objective_key("notoriété web")
    True
    >>> objective_key("Notoriete web") == objective_key("Notoriété web")
    False
    """
    return " ".join(text.split()).casefold()


def fmt(value: float) -> str:
    """A figure for a message, without float noise.

    >>> fmt(3.5), fmt(2.0), fmt(0.1 + 0.2)
    ('3.5', '2', '0.3')
    """
    return f"{round(value, 6):g}"
