"""The template: tab and column names in French and English, default lists and labels,
and how names are matched.

Matching ignores case, accents, spacing and punctuation, and both locales' names are
always accepted:

>>> normalize("  Durée d'une période (JOURS) ")
'dureeduneperiodejours'
>>> find_tab(["Réglages", "suivi des Actions"], ACTIONS)
'suivi des Actions'
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Literal

Locale = Literal["fr", "en"]
LOCALES: tuple[Locale, ...] = ("fr", "en")


def normalize(name: object) -> str:
    """Lowercase, strip accents, drop everything but letters and digits."""
    return _normalize(str(name))


@lru_cache(maxsize=8192)  # headers and list values repeat on every row of every sync
def _normalize(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).casefold()
    return "".join(ch for ch in text if ch.isalnum() and not unicodedata.combining(ch))


@dataclass(frozen=True)
class Name:
    """A tab, column or parameter name: its key, its FR and EN labels, extra aliases."""

    key: str
    fr: str
    en: str
    aliases: tuple[str, ...] = ()

    def label(self, locale: Locale) -> str:
        return self.fr if locale == "fr" else self.en

    @cached_property
    def forms(self) -> frozenset[str]:
        return frozenset(normalize(n) for n in (self.fr, self.en, *self.aliases))

    def matches(self, text: object) -> bool:
        return normalize(text) in self.forms if text is not None else False


# --- tabs ---------------------------------------------------------------------------
SETTINGS = Name("settings", "Réglages", "Settings", ("Parametres", "Paramètres"))
OBJECTIVES = Name("objectives", "Objectifs", "Objectives")
ACTIONS = Name("actions", "Suivi des actions", "Action tracking", ("Actions",))
BY_PERIOD = Name("by_period", "Actions par période", "Actions by period")
DASHBOARD = Name("dashboard", "Tableau de bord", "Dashboard")
PRIORITIES = Name("priorities", "Priorités", "Priorities")
CHECKS = Name("checks", "Contrôles", "Checks")
# Hidden, tool-owned: what the computed columns of the input tabs look up (by row ID).
LOOKUPS = Name("lookups", "Données calculées", "Computed data")

INPUT_TABS = (SETTINGS, OBJECTIVES, ACTIONS)
TOOL_TABS = (BY_PERIOD, DASHBOARD, PRIORITIES, CHECKS, LOOKUPS)
ALL_TABS = INPUT_TABS + TOOL_TABS

# --- Réglages / Settings: list columns, key/value parameters, explicit periods ------
S_STATUSES = Name("statuses", "Statuts", "Statuses", ("Statut", "Status"))
S_STATUS_TYPE = Name("status_type", "Type", "Type")
S_PRIORITIES = Name("priorities", "Priorités", "Priorities", ("Priorité", "Priority"))
S_WORKSTREAMS = Name("workstreams", "Chantiers", "Workstreams", ("Chantier", "Workstream"))
S_OWNERS = Name("owners", "Responsables", "Owners", ("Responsable", "Owner"))
S_CAPACITY = Name(
    "capacity",
    "Capacité (j-h / période)",
    "Capacity (person-days / period)",
    ("Capacité", "Capacity", "Capacité (j-h)", "Capacity (person-days)"),
)
S_PARAMETER = Name("parameter", "Paramètre", "Parameter", ("Paramètres", "Parameters"))
S_VALUE = Name("value", "Valeur", "Value")
S_PERIOD = Name("period", "Période", "Period", ("Périodes", "Periods"))
S_PERIOD_START = Name("period_start", "Début", "Start")
S_PERIOD_END = Name("period_end", "Fin", "End")
# The blocks of Réglages, left to right: each list's header, then the columns read beside it.
SETTINGS_PERIOD_TABLE = (S_PERIOD, S_PERIOD_START, S_PERIOD_END)  # optional
SETTINGS_BLOCKS: tuple[tuple[Name, ...], ...] = (
    (S_STATUSES, S_STATUS_TYPE),
    (S_PRIORITIES,),
    (S_WORKSTREAMS,),
    (S_OWNERS, S_CAPACITY),
    (S_PARAMETER, S_VALUE),
    SETTINGS_PERIOD_TABLE,
)
SETTINGS_COLUMNS = tuple(name for block in SETTINGS_BLOCKS for name in block)

P_PLAN_START = Name("plan_start", "Début du plan", "Plan start")
P_PERIOD_LENGTH = Name(
    "period_length", "Durée d'une période (jours)", "Period length (days)", ("Durée d'une période",)
)
P_PERIOD_COUNT = Name("period_count", "Nombre de périodes", "Number of periods")
PARAMETERS = (P_PLAN_START, P_PERIOD_LENGTH, P_PERIOD_COUNT)
DEFAULT_PERIOD_LENGTH = 10

# --- Objectifs / Objectives: one row per target result -------------------------------
O_BUSINESS = Name("business_objective", "Objectif business", "Business objective")
O_MARKETING = Name("marketing_objective", "Objectif marketing", "Marketing objective")
O_ID = Name("id", "ID", "ID", ("Identifiant",))
O_RESULT = Name("target_result", "Résultat cible", "Target result", ("Résultat", "Result"))
O_PRIORITY = Name("priority", "Priorité", "Priority")
O_KPI = Name("kpi", "KPI", "KPI")
O_BASELINE = Name("baseline", "Valeur initiale", "Baseline")
O_TARGET = Name("target", "Valeur cible", "Target", ("Cible",))
O_CURRENT = Name("current", "Valeur actuelle", "Current", ("Actuel", "Current value"))
O_DUE = Name("due_date", "Échéance", "Due date", ("Due",))
O_LEVERS = Name("levers", "Leviers", "Levers")
O_PROGRESS = Name("progress", "Avancement", "Progress")  # computed, tool-owned
O_HEALTH = Name("health", "État", "Health")  # computed, tool-owned
OBJECTIVE_COLUMNS = (
    O_BUSINESS,
    O_MARKETING,
    O_ID,
    O_RESULT,
    O_PRIORITY,
    O_KPI,
    O_BASELINE,
    O_TARGET,
    O_CURRENT,
    O_DUE,
    O_LEVERS,
    O_PROGRESS,
    O_HEALTH,
)
OBJECTIVE_REQUIRED = (O_MARKETING, O_ID, O_BASELINE, O_TARGET, O_CURRENT, O_DUE)

# --- Suivi des actions / Action tracking: one row per action --------------------------
A_ID = Name("id", "ID", "ID", ("Identifiant",))
A_STATUS = Name("status", "Statut", "Status")
A_WORKSTREAM = Name("workstream", "Chantier", "Workstream")
A_ACTION = Name("action", "Action", "Action")
A_DESCRIPTION = Name("description", "Description", "Description")
A_RESULT = Name("target_result", "Résultat cible", "Target result", ("Résultat", "Result"))
A_PRIORITY = Name("priority", "Priorité", "Priority")
A_IMPACT = Name("impact", "Impact", "Impact")
A_EFFORT = Name("effort", "Difficulté", "Effort", ("Difficulty",))
A_DEPENDS = Name("depends_on", "Dépend de", "Depends on", ("Dépendances", "Dependencies"))
A_OWNER = Name("owner", "Responsable", "Owner")
A_ESTIMATE = Name(
    "estimate",
    "Estimation (j-h)",
    "Estimate (person-days)",
    ("Estimation", "Estimate", "Charge (j-h)"),
)
A_PERIOD = Name("period", "Période", "Period")
A_RANK = Name("rank", "Rang", "Rank")  # computed, tool-owned
ACTION_COLUMNS = (
    A_ID,
    A_STATUS,
    A_WORKSTREAM,
    A_ACTION,
    A_DESCRIPTION,
    A_RESULT,
    A_PRIORITY,
    A_IMPACT,
    A_EFFORT,
    A_DEPENDS,
    A_OWNER,
    A_ESTIMATE,
    A_PERIOD,
    A_RANK,
)
ACTION_REQUIRED = (A_ID, A_STATUS, A_ACTION, A_PRIORITY, A_OWNER, A_ESTIMATE, A_PERIOD)

# Columns of the input tabs that sheetpilot computes and writes (optional, tool-owned).
COMPUTED_COLUMNS = (O_PROGRESS, O_HEALTH, A_RANK)

# --- status types and their labels ----------------------------------------------------
STATUS_TYPE_LABELS: dict[str, tuple[str, ...]] = {
    "todo": ("todo", "to do", "à faire", "a faire"),
    "doing": ("doing", "in progress", "en cours"),
    "done": ("done", "terminé", "termine", "fait"),
    "blocked": ("blocked", "bloqué", "bloque"),
    "cancelled": ("cancelled", "canceled", "abandonné", "abandonne", "annulé"),
}
DEFAULT_STATUSES: dict[Locale, tuple[tuple[str, str], ...]] = {
    "fr": (
        ("À faire", "todo"),
        ("En cours", "doing"),
        ("Terminé", "done"),
        ("Bloqué", "blocked"),
        ("Abandonné", "cancelled"),
    ),
    "en": (
        ("To do", "todo"),
        ("Doing", "doing"),
        ("Done", "done"),
        ("Blocked", "blocked"),
        ("Cancelled", "cancelled"),
    ),
}
DEFAULT_PRIORITIES = ("P1", "P2", "P3")


def status_type_of(label: object) -> str | None:
    """The status type a label names ('Terminé' → 'done'), None when unknown."""
    return _STATUS_TYPES.get(normalize(label))


# normal form → status type (the first type listing it), built once
_STATUS_TYPES: dict[str, str] = {}
for _kind, _labels in STATUS_TYPE_LABELS.items():
    for _label in _labels:
        _STATUS_TYPES.setdefault(normalize(_label), _kind)


def find_tab(titles: Iterable[str], tab: Name) -> str | None:
    """The actual title of `tab` among `titles`, or None."""
    for title in titles:
        if tab.matches(title):
            return title
    return None
