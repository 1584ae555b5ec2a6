"""The example plan `sheetpilot init --example` lays: a B2B SaaS marketing team's quarter.

Pure data, dated from a `start` the caller chooses. Four marketing objectives under two
business objectives, nine target results (one decreasing: the cost per lead), thirty
actions across five workstreams, four owners, six periods of ten days.

It exercises a few warnings on purpose and no error: Sarah Lefèvre is over capacity in
P3 (6 person-days for a capacity of 5), A-008 is still "en cours" in P2 (overdue once
P2 has ended, i.e. from start + 20 days), A-016 is cancelled and nothing depends on it.
A-008 → A-014 → A-020 is a chain of open actions; A-006 depends on the done A-001.

>>> plan = example_plan(date(2026, 1, 5))
>>> len(plan.records("actions")), plan.records("actions")[0]["id"]
(30, 'A-001')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from sheetpilot._cells import CellValue, Grid
from sheetpilot._scaffold import DEFAULT_PERIOD_COUNT, header, settings_grid
from sheetpilot._template import (
    ACTION_COLUMNS,
    DEFAULT_PERIOD_LENGTH,
    DEFAULT_PRIORITIES,
    DEFAULT_STATUSES,
    OBJECTIVE_COLUMNS,
    Locale,
    Name,
)

WORKSTREAMS = ("SEO", "Contenu", "Emailing", "Réseaux sociaux", "Site web")
OWNERS: tuple[tuple[str, float], ...] = (
    ("Camille Martin", 4.0),
    ("Julien Petit", 6.0),
    ("Sarah Lefèvre", 5.0),
    ("Thomas Bernard", 5.0),
)

_SALES = "Augmenter les ventes de 20 %"
_RETENTION = "Augmenter le revenu des clients existants"
_LEADS = "Générer plus de leads en inbound marketing"
_AWARENESS = "Augmenter la notoriété de la marque"
_CONVERSION = "Améliorer le taux de conversion du site"
_LOYALTY = "Fidéliser les clients"

# business, marketing, ID, result, priority, KPI, baseline, target, current,
# due (days after start), levers
_RESULTS: tuple[tuple[str, str, str, str, str, str, float, float, float, int, str], ...] = (
    (_SALES, _LEADS, "R1", "Augmenter de 15 % le nombre de formulaires de contact", "P1",
     "Formulaires de contact / mois", 120, 138, 129, 59, "SEO, Contenu, Site web"),
    (_SALES, _LEADS, "R2", "Doubler les téléchargements de livres blancs", "P2",
     "Téléchargements / mois", 80, 160, 104, 59, "Contenu, Emailing"),
    (_SALES, _LEADS, "R3", "Réduire le coût par lead de 85 € à 60 €", "P2",
     "Coût par lead (€)", 85, 60, 78, 89, "SEO, Site web"),
    (_SALES, _AWARENESS, "R4", "Augmenter le trafic organique de 30 %", "P1",
     "Visites organiques / mois", 12000, 15600, 13100, 89, "SEO, Contenu"),
    (_SALES, _AWARENESS, "R5", "Atteindre 5 000 abonnés sur LinkedIn", "P3",
     "Abonnés LinkedIn", 3200, 5000, 3650, 89, "Réseaux sociaux"),
    (_SALES, _CONVERSION, "R6", "Porter le taux de conversion visite → essai de 1,8 % à 2,5 %",
     "P1", "Conversion visite → essai (%)", 1.8, 2.5, 2.0, 59, "Site web, Contenu"),
    (_SALES, _CONVERSION, "R7", "Porter le taux d'activation des essais gratuits à 40 %", "P2",
     "Essais activés (%)", 28, 40, 31, 59, "Emailing, Site web"),
    (_RETENTION, _LOYALTY, "R8", "Réduire le churn mensuel de 2,5 % à 1,5 %", "P1",
     "Churn mensuel (%)", 2.5, 1.5, 2.2, 89, "Emailing, Contenu"),
    (_RETENTION, _LOYALTY, "R9", "Atteindre un NPS de 45", "P3",
     "NPS", 32, 45, 36, 89, "Emailing"),
)  # fmt: skip

# ID, status type, workstream, action, description, result, priority, impact, effort,
# depends on, owner, estimate (person-days), period
_ACTIONS: tuple[tuple[str, str, str, str, str, str, str, int, int, str, str, float, str], ...] = (
    ("A-001", "done", "SEO", "Audit SEO technique du site",
     "Crawl complet, Core Web Vitals, erreurs d'indexation ; liste de correctifs priorisée",
     "R4", "P1", 4, 2, "", "Julien Petit", 3, "P1"),
    ("A-002", "done", "Contenu", "Calendrier éditorial du trimestre",
     "Thèmes, formats et dates de publication alignés sur les personas",
     "R2", "P2", 3, 1, "", "Sarah Lefèvre", 1.5, "P1"),
    ("A-003", "done", "Site web", "Installer le suivi des conversions",
     "Événements GA4 sur les formulaires, l'essai gratuit et la demande de démo",
     "R6", "P1", 4, 2, "", "Julien Petit", 2, "P1"),
    ("A-004", "done", "Emailing", "Nettoyer la base de contacts",
     "Dédoublonnage, désinscriptions, segmentation par secteur",
     "R2", "P2", 2, 2, "", "Thomas Bernard", 2, "P1"),
    ("A-005", "done", "Réseaux sociaux", "Refondre la page entreprise LinkedIn",
     "Bannière, accroche, vitrine produit",
     "R5", "P3", 2, 1, "", "Camille Martin", 1, "P1"),
    ("A-006", "done", "SEO", "Corriger les erreurs techniques prioritaires",
     "Redirections, balises canoniques, vitesse des pages produit",
     "R4", "P1", 4, 3, "A-001", "Julien Petit", 4, "P2"),
    ("A-007", "done", "Contenu", "Rédiger le livre blanc « Piloter son marketing B2B »",
     "30 pages, interviews de 3 clients",
     "R2", "P1", 5, 4, "A-002", "Sarah Lefèvre", 5, "P2"),
    ("A-008", "doing", "Site web", "Landing page du livre blanc",
     "Page dédiée avec formulaire court et preuve sociale",
     "R2", "P1", 4, 2, "A-007", "Julien Petit", 1.5, "P2"),
    ("A-009", "done", "Emailing", "Séquence d'onboarding des essais gratuits",
     "5 e-mails sur les 14 jours d'essai, déclenchés par l'usage",
     "R7", "P1", 4, 3, "A-004", "Thomas Bernard", 3, "P2"),
    ("A-010", "done", "Réseaux sociaux", "Ligne éditoriale LinkedIn",
     "Piliers de contenu, 3 posts par semaine, charte visuelle",
     "R5", "P3", 2, 1, "A-005", "Camille Martin", 1, "P2"),
    ("A-011", "doing", "SEO", "Recherche de mots-clés longue traîne",
     "200 requêtes à intention d'achat, regroupées par thème",
     "R4", "P1", 4, 2, "A-006", "Julien Petit", 2.5, "P3"),
    ("A-012", "doing", "Contenu", "Série de 4 articles piliers",
     "Articles de 2 000 mots sur les requêtes prioritaires",
     "R4", "P1", 5, 3, "A-011", "Sarah Lefèvre", 6, "P3"),
    ("A-013", "blocked", "Site web", "Test A/B de la page tarifs",
     "En attente de la validation des nouveaux prix par la direction",
     "R6", "P1", 4, 3, "A-003", "Julien Petit", 2, "P3"),
    ("A-014", "todo", "Emailing", "Campagne e-mail de promotion du livre blanc",
     "2 envois à la base segmentée et relance des non-ouvreurs",
     "R2", "P2", 3, 1, "A-008", "Thomas Bernard", 1.5, "P3"),
    ("A-015", "todo", "Réseaux sociaux", "Lancer une campagne LinkedIn Ads",
     "Ciblage des décideurs marketing de PME, budget 1 500 €",
     "R1", "P2", 4, 2, "A-010", "Camille Martin", 2, "P3"),
    ("A-016", "cancelled", "Réseaux sociaux", "Ouvrir un compte TikTok",
     "Abandonné : notre audience B2B y est peu présente",
     "R5", "P3", 1, 3, "", "Thomas Bernard", 2, "P3"),
    ("A-017", "todo", "SEO", "Optimiser les balises title et meta des 20 pages clés",
     "Réécriture orientée clic à partir des requêtes prioritaires",
     "R4", "P2", 3, 1, "A-011", "Julien Petit", 1.5, "P4"),
    ("A-018", "todo", "Contenu", "Études de cas clients",
     "3 études de cas chiffrées avec témoignages vidéo",
     "R6", "P1", 4, 3, "", "Sarah Lefèvre", 4, "P4"),
    ("A-019", "todo", "Site web", "Refondre le formulaire de demande de démo",
     "4 champs au lieu de 9, prise de rendez-vous en ligne",
     "R1", "P1", 5, 2, "A-003", "Julien Petit", 2.5, "P4"),
    ("A-020", "todo", "Emailing", "Séquence de nurturing des leads du livre blanc",
     "5 e-mails sur 3 semaines et scoring des leads",
     "R1", "P1", 4, 3, "A-014", "Thomas Bernard", 3, "P4"),
    ("A-021", "todo", "Réseaux sociaux", "Programme d'ambassadeurs salariés",
     "Kit de partage et formation de 10 collaborateurs",
     "R5", "P3", 3, 2, "A-010", "Camille Martin", 1.5, "P4"),
    ("A-022", "todo", "Site web", "Chat en ligne sur les pages tarifs et démo",
     "Réponses en direct aux heures ouvrées, prise de rendez-vous",
     "R6", "P2", 3, 2, "", "Julien Petit", 1, "P4"),
    ("A-023", "todo", "SEO", "Campagne de netlinking",
     "10 articles invités sur des médias marketing",
     "R4", "P2", 4, 4, "A-012", "Julien Petit", 3, "P5"),
    ("A-024", "todo", "Contenu", "Webinar « Un plan d'actions marketing en 60 jours »",
     "Animation avec un client, replay en ligne",
     "R1", "P2", 4, 3, "A-018", "Sarah Lefèvre", 3.5, "P5"),
    ("A-025", "todo", "Emailing", "Enquête NPS trimestrielle",
     "Envoi, relance et analyse des verbatims",
     "R9", "P3", 3, 1, "A-009", "Thomas Bernard", 1, "P5"),
    ("A-026", "todo", "Site web", "Pages de comparaison avec les concurrents",
     "3 pages « alternative à » optimisées pour le SEO",
     "R3", "P2", 4, 2, "A-017", "Julien Petit", 2, "P5"),
    ("A-027", "todo", "Emailing", "Campagne d'upsell vers l'offre Pro",
     "Comptes actifs proches des limites de leur offre",
     "R8", "P2", 4, 2, "A-025", "Thomas Bernard", 2, "P6"),
    ("A-028", "todo", "Contenu", "Newsletter clients mensuelle",
     "Nouveautés produit, bonnes pratiques, témoignages",
     "R8", "P3", 2, 1, "", "Sarah Lefèvre", 1, "P6"),
    ("A-029", "todo", "Réseaux sociaux", "Diffuser les extraits du webinar",
     "6 extraits vidéo sous-titrés",
     "R5", "P3", 2, 1, "A-024", "Camille Martin", 1, "P6"),
    ("A-030", "todo", "SEO", "Bilan SEO et plan du trimestre suivant",
     "Positions, trafic et leads organiques ; priorités suivantes",
     "R3", "P2", 2, 1, "A-023, A-026", "Camille Martin", 0.5, "P6"),
)  # fmt: skip


@dataclass(frozen=True)
class ExamplePlan:
    """The example's input tabs as grids ("settings", "objectives", "actions"), header row first."""

    start: date
    locale: Locale
    grids: Mapping[str, Grid]

    def records(self, key: str) -> list[dict[str, CellValue]]:
        """The rows of "objectives" or "actions" as dicts keyed by column key ("id", "status"…).

        >>> example_plan(date(2026, 1, 5)).records("objectives")[2]["target"]
        60
        """
        columns: tuple[Name, ...] = OBJECTIVE_COLUMNS if key == "objectives" else ACTION_COLUMNS
        head, *rows = self.grids[key]
        keys = [next(c.key for c in columns if c.matches(label)) for label in head]
        return [dict(zip(keys, row, strict=True)) for row in rows]


def example_plan(start: date, locale: Locale = "fr") -> ExamplePlan:
    """The example plan, its six periods of ten days starting on `start`."""
    labels = {kind: label for label, kind in DEFAULT_STATUSES[locale]}
    settings = settings_grid(
        locale,
        priorities=DEFAULT_PRIORITIES,
        workstreams=WORKSTREAMS,
        owners=OWNERS,
        start=start,
        period_length=DEFAULT_PERIOD_LENGTH,
        period_count=DEFAULT_PERIOD_COUNT,
    )
    objectives: Grid = [header(OBJECTIVE_COLUMNS, locale)]
    for r in _RESULTS:  # due dates are days after start; Avancement and État left to sync
        objectives.append([*r[:9], start + timedelta(days=r[9]), r[10], None, None])
    actions: Grid = [header(ACTION_COLUMNS, locale)]
    for a in _ACTIONS:  # status type → its label; Rang left to sync
        actions.append([a[0], labels[a[1]], *a[2:9], a[9] or None, *a[10:], None])
    return ExamplePlan(
        start=start,
        locale=locale,
        grids={"settings": settings, "objectives": objectives, "actions": actions},
    )
