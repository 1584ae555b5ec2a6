"""Suivi des actions / Action tracking: IDs, list values, scores, estimates, periods."""

from __future__ import annotations

import pytest

from sheetpilot._models import StatusType
from sheetpilot._parse import parse_plan
from tests.plan_builders import action, actions_grid, plan_grids, settings_grid


def parse(*rows, settings=None, grid=None, locale="fr", **kw):
    grids = plan_grids(locale, actions=rows, settings=settings, **kw)
    if grid is not None:
        grids["Suivi des actions" if locale == "fr" else "Action tracking"] = grid
    plan = parse_plan(grids)
    sheet = plan.tabs["actions"]
    return plan, [(i.code, i.cell) for i in plan.issues if i.sheet == sheet]


def only(*rows, **kw):
    """The single action parsed from one row, and the issues of the actions tab."""
    plan, found = parse(*rows, **kw)
    (parsed,) = plan.actions
    return parsed, found, plan


def test_a_complete_row():
    parsed, found, _ = only(
        action(id="A-001", status="en cours", workstream="seo", title="Audit", description="Tout",
               target_result="r1", priority="p2", impact="4", effort=2, depends_on="A-002; A-003",
               owner="alice", estimate="2 j-h", period="p2")
    )  # fmt: skip
    assert found == []
    assert parsed.id == "A-001" and not parsed.id_assigned
    assert (parsed.status, parsed.status_type) == ("En cours", StatusType.DOING)
    assert (parsed.workstream, parsed.owner) == ("SEO", "Alice")  # the settings' spelling
    assert (parsed.title, parsed.description) == ("Audit", "Tout")
    assert (parsed.target_result, parsed.priority) == ("R1", "P2")
    assert (parsed.impact, parsed.effort, parsed.estimate) == (4.0, 2.0, 2.0)
    assert parsed.depends_on == ("A-002", "A-003")
    assert parsed.period == "P2"
    assert parsed.sheet == "Suivi des actions" and parsed.row == 1
    assert parsed.cells["estimate"] == "L2" and parsed.cells["period"] == "M2"


def test_english_plan():
    parsed, found, _ = only(
        action(id="A-1", status="doing", title="Audit", owner="Bruno", estimate=1, period="P1",
               priority="P1"),
        locale="en",
    )  # fmt: skip
    assert found == []
    assert (parsed.status, parsed.status_type, parsed.sheet) == (
        "Doing",
        StatusType.DOING,
        "Action tracking",
    )


def test_reordered_columns_user_columns_and_header_below_a_title():
    grid = [
        ["Suivi des actions — T1"],
        ["Commentaire", "Période", "Estimation (j-h)", "Responsable", "Priorité", "Action",
         "Statut", "ID", "Rang"],
        ["à voir", "P1", 2, "Alice", "P1", "Audit", "Terminé", "A-001", 1],
    ]  # fmt: skip
    plan, found = parse(grid=grid)
    assert found == []
    (parsed,) = plan.actions
    assert (parsed.id, parsed.row, parsed.status_type) == ("A-001", 2, StatusType.DONE)
    assert (parsed.period, parsed.estimate, parsed.owner) == ("P1", 2.0, "Alice")
    assert parsed.cells["rank"] == "I3" and parsed.cells["id"] == "H3"


def test_blank_rows_and_id_only_rows_are_not_actions():
    grid = actions_grid(
        action(id="A-001", title="Audit"),
        {},
        action(id="A-002"),  # a pre-filled ID with nothing else
        action(title="Relance"),
    )
    grid.insert(2, [None, " ", ""])
    plan, _ = parse(grid=grid)
    assert [(a.id, a.row) for a in plan.actions] == [("A-001", 1), ("A-003", 5)]


@pytest.mark.parametrize(
    ("ids", "expected"),
    [
        ((None, None), ["A-001", "A-002"]),
        (("A-003", None, "A-010", None), ["A-003", "A-011", "A-010", "A-012"]),
        (("a-007", None), ["a-007", "A-008"]),
        (("X-9", "A-0099", None), ["X-9", "A-0099", "A-100"]),
        (("A-999", None), ["A-999", "A-1000"]),
    ],
)
def test_blank_ids_get_the_next_free_a_nnn(ids, expected):
    plan, _ = parse(*[action(id=i, title=f"Action {n}") for n, i in enumerate(ids)])
    assert [a.id for a in plan.actions] == expected
    assert [a.id_assigned for a in plan.actions] == [i is None for i in ids]


def test_duplicate_id_keeps_the_first_and_says_so():
    plan, found = parse(
        action(id="A-001", title="Premier"),
        action(id="A-002", title="Autre"),
        action(id="a-001", title="Doublon"),
    )
    assert found == [("duplicate-id", "A4")]
    issue = plan.issues[0]
    assert issue.severity == "error"
    assert (
        "'a-001'" in issue.message
        and "A2" in issue.message
        and "first one is kept" in issue.message
    )
    assert [a.title for a in plan.actions] == ["Premier", "Autre"]


@pytest.mark.parametrize(
    ("status", "label", "kind"),
    [
        (None, "À faire", StatusType.TODO),  # blank: the first todo status
        ("terminé", "Terminé", StatusType.DONE),
        ("TERMINE", "Terminé", StatusType.DONE),
        ("Bloqué", "Bloqué", StatusType.BLOCKED),
        ("abandonne", "Abandonné", StatusType.CANCELLED),
    ],
)
def test_status(status, label, kind):
    parsed, found, _ = only(action(id="A-1", title="x", status=status))
    assert found == []
    assert (parsed.status, parsed.status_type) == (label, kind)


def test_blank_status_takes_the_first_configured_todo_status():
    settings = settings_grid(
        statuses=[("Fait", "done"), ("Backlog", "todo"), ("Plus tard", "todo")]
    )
    parsed, _, _ = only(action(id="A-1", title="x"), settings=settings)
    assert (parsed.status, parsed.status_type) == ("Backlog", StatusType.TODO)


@pytest.mark.parametrize(
    ("status", "hint"),
    [
        ("en cour", "did you mean 'En cours'?"),
        ("Terminée", "did you mean 'Terminé'?"),
        ("zzz", None),
    ],
)
def test_unknown_status_warns_and_counts_as_todo(status, hint):
    parsed, found, plan = only(action(id="A-1", title="x", status=status))
    assert found == [("unknown-value", "B2")]
    issue = plan.issues[0]
    assert issue.severity == "warning"
    assert f"'{status}'" in issue.message
    assert (hint in issue.message) if hint else "did you mean" not in issue.message
    assert (parsed.status, parsed.status_type) == (status, StatusType.TODO)


@pytest.mark.parametrize(
    ("priority", "expected"), [("p1", "P1"), ("P 1", "P1"), (" p-2 ", "P2"), (None, None)]
)
def test_priority(priority, expected):
    parsed, found, _ = only(action(id="A-1", title="x", priority=priority))
    assert found == []
    assert parsed.priority == expected


def test_unknown_priority_warns_and_is_none():
    parsed, found, plan = only(action(id="A-1", title="x", priority="Urgent"))
    assert found == [("unknown-value", "G2")]
    assert "'Urgent'" in plan.issues[0].message and "'P1'" in plan.issues[0].message
    assert parsed.priority is None


@pytest.mark.parametrize("field", ["impact", "effort"])
@pytest.mark.parametrize(
    ("value", "expected", "code"),
    [
        (None, 3.0, None),
        (4, 4.0, None),
        ("5", 5.0, None),
        ("1,5", 1.5, None),
        (0, 3.0, "out-of-range"),
        (6, 3.0, "out-of-range"),
        (-1, 3.0, "out-of-range"),
        ("haut", 3.0, "bad-number"),
    ],
)
def test_impact_and_effort_default_to_3(field, value, expected, code):
    parsed, found, plan = only(action(id="A-1", title="x", **{field: value}))
    cell = {"impact": "H2", "effort": "I2"}[field]
    assert getattr(parsed, field) == expected
    assert found == ([(code, cell)] if code else [])
    if code == "out-of-range":
        assert plan.issues[0].severity == "warning" and "1–5" in plan.issues[0].message


@pytest.mark.parametrize(
    ("value", "expected", "code"),
    [
        (None, None, None),
        (0, 0.0, None),
        ("2 j-h", 2.0, None),
        ("1,5", 1.5, None),
        (-1, None, "out-of-range"),
        ("-0,5 j", None, "out-of-range"),
        ("deux jours", None, "bad-number"),
    ],
)
def test_estimate(value, expected, code):
    parsed, found, _ = only(action(id="A-1", title="x", estimate=value))
    assert parsed.estimate == expected
    assert found == ([(code, "L2")] if code else [])


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("A-001", ("A-001",)),
        ("A-001, A-002", ("A-001", "A-002")),
        ("A-001;A-002 ; A-003", ("A-001", "A-002", "A-003")),
        ("A-001 A-002\nA-003", ("A-001", "A-002", "A-003")),
        ("a-001, A-001", ("a-001",)),
        (12, ("12",)),
        (None, ()),
        ("-", ()),  # "none", not an ID
        (" — ", ()),
        ("A-001, -", ("A-001",)),
    ],
)
def test_depends_on_split_on_commas_spaces_semicolons(value, expected):
    parsed, found, _ = only(action(id="A-1", title="x", depends_on=value))
    assert parsed.depends_on == expected
    assert found == []


@pytest.mark.parametrize(("field", "cell"), [("owner", "K2"), ("workstream", "C2")])
def test_unknown_owner_or_workstream_warns_and_keeps_the_text(field, cell):
    value = {"owner": "Alise", "workstream": "SEOO"}[field]
    hint = {"owner": "'Alice'", "workstream": "'SEO'"}[field]
    parsed, found, plan = only(action(id="A-1", title="x", **{field: value}))
    assert found == [("unknown-value", cell)]
    assert f"did you mean {hint}?" in plan.issues[0].message
    assert getattr(parsed, field) == value


def test_owner_and_workstream_unchecked_while_their_list_is_empty():
    settings = settings_grid(owners=[], workstreams=[])
    parsed, found, _ = only(
        action(id="A-1", title="x", owner="Zoé", workstream="Vidéo"), settings=settings
    )
    assert found == []
    assert (parsed.owner, parsed.workstream) == ("Zoé", "Vidéo")


@pytest.mark.parametrize(
    ("period", "count", "expected", "warn"),
    [
        ("P2", 3, "P2", False),
        ("p02", 3, "P2", False),
        ("P 3", 3, "P3", False),
        ("P4", 3, None, True),
        ("P0", 3, None, True),
        ("Q1", 3, None, True),
        ("P40", None, "P40", False),  # no period count: any generated name
        (None, 3, None, False),
    ],
)
def test_generated_periods(period, count, expected, warn):
    settings = settings_grid(period_count=count)
    parsed, found, _ = only(action(id="A-1", title="x", period=period), settings=settings)
    assert parsed.period == expected
    assert found == ([("unknown-value", "M2")] if warn else [])


def test_explicit_period_names():
    settings = settings_grid(
        periods=[("Sprint 1", "05/01/2026", "16/01/2026"), ("Sprint 2", "19/01/2026", "30/01/2026")]
    )
    plan, found = parse(
        action(id="A-1", title="x", period="sprint 1"),
        action(id="A-2", title="y", period="Sprint 3"),
        action(id="A-3", title="z", period="P1"),
        settings=settings,
    )
    assert [a.period for a in plan.actions] == ["Sprint 1", None, None]
    assert found == [("unknown-value", "M3"), ("unknown-value", "M4")]
    assert "did you mean 'Sprint 2'?" in plan.issues[0].message


def test_no_periods_at_all_skips_the_period_check():
    settings = [["Statuts"], ["À faire"]]  # no plan start, no period table
    parsed, found, _ = only(action(id="A-1", title="x", period="Semaine 3"), settings=settings)
    assert found == []
    assert parsed.period == "Semaine 3"


def test_target_result_must_be_an_objective_id():
    plan, found = parse(
        action(id="A-1", title="x", target_result="r2"),
        action(id="A-2", title="y", target_result="R9"),
    )
    assert [a.target_result for a in plan.actions] == ["R2", None]
    assert found == [("unknown-value", "F3")]
    assert "'R9'" in plan.issues[0].message and "Objectifs" in plan.issues[0].message


def test_missing_objectives_tab_leaves_target_results_unchecked():
    grids = plan_grids(actions=[action(id="A-1", title="x", target_result="R9")])
    del grids["Objectifs"]
    plan = parse_plan(grids)
    assert [(i.code, i.sheet) for i in plan.issues] == [("missing-tab", "Objectifs")]
    assert plan.actions[0].target_result == "R9"


@pytest.mark.parametrize(
    ("header", "missing", "cell"),
    [
        (
            ["ID", "Statut", "Action", "Priorité", "Responsable", "Estimation (j-h)"],
            ["Période"],
            "G1",
        ),
        (
            ["Action", "Notes"],
            ["ID", "Statut", "Priorité", "Responsable", "Estimation (j-h)", "Période"],
            "C1",
        ),
    ],
)
def test_missing_required_columns(header, missing, cell):
    plan, found = parse(grid=[header, ["x"] + [None] * len(header)])
    assert found == [("missing-column", cell)] * len(missing)
    messages = [i.message for i in plan.issues if i.code == "missing-column"]
    for name, message in zip(missing, messages, strict=True):
        assert f"column '{name}' is missing" in message


def test_missing_column_in_english():
    header = ["ID", "Status", "Action", "Priority", "Owner", "Period"]
    plan, found = parse(grid=[header], locale="en")
    assert found == [("missing-column", "G1")]
    assert "'Estimate (person-days)'" in plan.issues[0].message


@pytest.mark.parametrize(
    ("status", "kind"),
    [("Terminé", StatusType.DONE), ("done", StatusType.DONE), ("en cours", StatusType.DOING),
     ("Abandonné", StatusType.CANCELLED)],
)  # fmt: skip
def test_unlisted_standard_status_keeps_its_meaning_with_a_warning(status, kind):
    """A custom status list without 'Terminé': an action typed 'Terminé' is still done."""
    settings = settings_grid(statuses=[("Backlog", "todo"), ("Fait", "done"), ("Go", "doing")])
    parsed, found, plan = only(action(id="A-1", title="x", status=status), settings=settings)
    assert found == [("unknown-value", "B2")]
    assert f"'{status}'" in plan.issues[0].message
    assert f"treated as {kind.value}" in plan.issues[0].message
    assert (parsed.status, parsed.status_type) == (status, kind)


@pytest.mark.parametrize("field", ["estimate", "impact", "effort"])
@pytest.mark.parametrize("dash", ["-", "—"])
def test_a_dash_in_a_number_cell_is_blank(field, dash):
    parsed, found, _ = only(action(id="A-1", title="x", **{field: dash}))
    assert found == []
    assert getattr(parsed, field) == {"estimate": None, "impact": 3.0, "effort": 3.0}[field]
