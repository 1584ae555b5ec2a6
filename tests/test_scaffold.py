"""`init`: the template laid into a workbook (scaffold) and the example plan."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import cast

import openpyxl
import pytest

from sheetpilot._backends.xlsx import XlsxBackend
from sheetpilot._cells import cell
from sheetpilot._example import OWNERS, WORKSTREAMS, example_plan
from sheetpilot._scaffold import scaffold_changes
from sheetpilot._template import STATUS_TYPE_LABELS, status_type_of
from sheetpilot._workbook import Guard, Snapshot, TabData

START = date(2026, 1, 5)


def init(path: Path, locale="fr", **kw) -> int:
    backend = XlsxBackend(path, create=True)
    return backend.write(scaffold_changes(backend.read(), locale, **kw))


def grids(path: Path):
    return XlsxBackend(path).read().grids()


def dropdowns(path: Path, tab: str) -> dict[str, str]:
    ws = openpyxl.load_workbook(path)[tab]
    return {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}


# --- scaffold on a new workbook --------------------------------------------------------
def test_init_creates_the_three_input_tabs_with_headers(tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    assert init(path) > 0
    g = grids(path)
    assert list(g) == ["Réglages", "Objectifs", "Suivi des actions"]
    assert g["Objectifs"][0][:4] == [
        "Objectif business",
        "Objectif marketing",
        "ID",
        "Résultat cible",
    ]
    assert g["Suivi des actions"][0] == [
        "ID", "Statut", "Chantier", "Action", "Description", "Résultat cible", "Priorité",
        "Impact", "Difficulté", "Dépend de", "Responsable", "Estimation (j-h)", "Période", "Rang",
    ]  # fmt: skip


def test_init_lays_the_settings_lists_and_parameters(tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    init(path, start=START)
    s = grids(path)["Réglages"]
    assert [row[:2] for row in s[:6]] == [
        ["Statuts", "Type"],
        ["À faire", "todo"],
        ["En cours", "doing"],
        ["Terminé", "done"],
        ["Bloqué", "blocked"],
        ["Abandonné", "cancelled"],
    ]
    assert [cell(s, r, 3) for r in range(5)] == ["Priorités", "P1", "P2", "P3", None]
    assert [s[0][5], s[0][7], s[0][8]] == ["Chantiers", "Responsables", "Capacité (j-h / période)"]
    assert [row[10:12] for row in s[:4]] == [
        ["Paramètre", "Valeur"],
        ["Début du plan", START],
        ["Durée d'une période (jours)", 10],
        ["Nombre de périodes", 6],
    ]
    assert s[0][13:16] == ["Période", "Début", "Fin"]


def test_init_without_a_start_leaves_the_plan_start_for_the_user(tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    init(path)
    s = grids(path)["Réglages"]
    assert [cell(s, 1, 10), cell(s, 1, 11)] == ["Début du plan", None]


def test_init_formats_headers_dates_and_freezes_header_rows(tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    init(path, start=START)
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2"
        assert ws["A1"].font.b is True
    assert wb["Réglages"]["A2"].font.b is False
    assert wb["Réglages"]["L2"].number_format == "dd/mm/yyyy"


def test_init_adds_dropdowns_fed_by_the_settings(tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    init(path)
    assert dropdowns(path, "Suivi des actions") == {
        "B2:B501": "'Réglages'!$A$2:$A$100",  # Statut ← Statuts
        "C2:C501": "'Réglages'!$F$2:$F$100",  # Chantier ← Chantiers
        "F2:F501": "'Objectifs'!$C$2:$C$100",  # Résultat cible ← objective IDs
        "G2:G501": "'Réglages'!$D$2:$D$100",  # Priorité ← Priorités
        "K2:K501": "'Réglages'!$H$2:$H$100",  # Responsable ← Responsables
    }
    assert dropdowns(path, "Objectifs") == {"E2:E501": "'Réglages'!$D$2:$D$100"}
    assert dropdowns(path, "Réglages") == {"B2:B100": '"todo,doing,done,blocked,cancelled"'}


def test_init_in_english(tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    init(path, locale="en")
    g = grids(path)
    assert list(g) == ["Settings", "Objectives", "Action tracking"]
    assert g["Settings"][1][:2] == ["To do", "todo"]
    assert g["Settings"][2][10:12] == ["Period length (days)", 10]
    assert g["Action tracking"][0][:3] == ["ID", "Status", "Workstream"]


def test_init_twice_writes_nothing_the_second_time(tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    init(path, start=START)
    before = path.read_bytes()
    backend = XlsxBackend(path)
    changes = scaffold_changes(backend.read(), "fr", start=START)
    assert changes.new_tabs == ()
    assert backend.write(changes) == 0
    assert path.read_bytes() == before


def test_every_write_is_guarded_by_its_own_cell_being_blank() -> None:
    changes = scaffold_changes(Snapshot(tabs=()), "fr", example_plan(START))
    assert changes.writes
    assert all(w.guard == Guard(w.row, w.col, None) for w in changes.writes)
    assert [t.title for t in changes.new_tabs] == ["Réglages", "Objectifs", "Suivi des actions"]


# --- scaffold on an existing workbook ----------------------------------------------------
def test_init_keeps_user_data_and_reuses_tabs_under_any_accepted_name(tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "ACTION TRACKING"
    ws.append(["Titre du plan 2026"])
    ws.append(["Action", "ID", "Statut", "Mon commentaire"])
    ws.append(["Audit SEO", "A-001", "Terminé", "fait en avance"])
    wb.create_sheet("Budget")["A1"] = "=SUM(B1:B3)"
    wb.save(path)

    init(path)

    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["ACTION TRACKING", "Budget", "Réglages", "Objectifs"]
    actions = grids(path)["ACTION TRACKING"]
    assert actions[0] == ["Titre du plan 2026"]
    assert actions[1][:4] == ["Action", "ID", "Statut", "Mon commentaire"]
    assert actions[1][4:] == [
        "Chantier", "Description", "Résultat cible", "Priorité", "Impact", "Difficulté",
        "Dépend de", "Responsable", "Estimation (j-h)", "Période", "Rang",
    ]  # fmt: skip
    assert actions[2] == ["Audit SEO", "A-001", "Terminé", "fait en avance"]
    assert wb["Budget"]["A1"].value == "=SUM(B1:B3)"
    # dropdowns go under the header row found, in the columns found
    assert dropdowns(path, "ACTION TRACKING")["C3:C502"] == "'Réglages'!$A$2:$A$100"


def test_init_completes_a_partial_settings_tab_without_touching_its_lists(tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Paramètres"  # an accepted alias of Réglages
    ws.append(["Statuts", "Type", None, "Paramètre", "Valeur"])
    ws.append(["Idée", "todo", None, "Début du plan", START])
    ws.append(["Livré", "done", None, "Notes", "garder"])
    wb.save(path)

    init(path)

    s = grids(path)["Paramètres"]
    assert [row[:2] for row in s[:4]] == [
        ["Statuts", "Type"],
        ["Idée", "todo"],
        ["Livré", "done"],
        [None, None],
    ]
    assert [row[3:5] for row in s[:5]] == [
        ["Paramètre", "Valeur"],
        ["Début du plan", START],
        ["Notes", "garder"],
        ["Durée d'une période (jours)", 10],
        ["Nombre de périodes", 6],
    ]
    # the missing blocks go to the right of what is there, one blank column apart
    assert s[0][6:] == [
        "Priorités", None, "Chantiers", None, "Responsables", "Capacité (j-h / période)",
        None, "Période", "Début", "Fin",
    ]  # fmt: skip
    assert [cell(s, r, 6) for r in range(1, 4)] == ["P1", "P2", "P3"]
    assert dropdowns(path, "Suivi des actions")["G2:G501"] == "'Paramètres'!$G$2:$G$100"


def test_init_never_overwrites_a_cell_that_holds_something(tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Objectifs"
    for r in range(1, 4):
        for c in range(1, 15):
            ws.cell(row=r, column=c, value=f"user {r}:{c}")
    wb.save(path)

    init(path)

    g = grids(path)["Objectifs"]
    assert g[:3] == [[f"user {r}:{c}" for c in range(1, 15)] for r in range(1, 4)]


# --- the example plan ---------------------------------------------------------------------
def test_init_with_the_example_fills_every_input_tab(tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    init(path, example=example_plan(START))
    g = grids(path)
    assert len(g["Suivi des actions"]) == 31
    assert len(g["Objectifs"]) == 10
    assert g["Suivi des actions"][1][:4] == [
        "A-001",
        "Terminé",
        "SEO",
        "Audit SEO technique du site",
    ]
    assert g["Objectifs"][1][9] == START + timedelta(days=59)
    assert [cell(g["Réglages"], r, 7) for r in range(1, 5)] == [o for o, _ in OWNERS]
    assert [cell(g["Réglages"], r, 5) for r in range(1, 6)] == list(WORKSTREAMS)
    assert g["Réglages"][1][10:12] == ["Début du plan", START]
    assert init(path, example=example_plan(START)) == 0


def test_example_goes_only_into_empty_tabs(tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Suivi des actions"
    wb.active.append(["ID", "Statut", "Action"])
    wb.active.append(["A-001", "En cours", "Mon action à moi"])
    wb.save(path)
    init(path, example=example_plan(START))
    g = grids(path)
    assert len(g["Suivi des actions"]) == 2
    assert g["Suivi des actions"][1] == ["A-001", "En cours", "Mon action à moi"]
    assert len(g["Objectifs"]) == 10


@pytest.fixture(scope="module")
def actions():
    return example_plan(START).records("actions")


def deps(action) -> list[str]:
    return [d.strip() for d in (action["depends_on"] or "").split(",") if d.strip()]


def test_example_has_thirty_actions_with_unique_sequential_ids(actions) -> None:
    assert [a["id"] for a in actions] == [f"A-{n:03d}" for n in range(1, 31)]


def test_example_dependencies_exist_and_have_no_cycle(actions) -> None:
    ids = {a["id"] for a in actions}
    graph = {a["id"]: deps(a) for a in actions}
    assert all(d in ids for ds in graph.values() for d in ds)
    done: set[str] = set()
    while len(done) < len(graph):  # peel off actions whose dependencies are all placed
        ready = {a for a, ds in graph.items() if a not in done and set(ds) <= done}
        assert ready, f"cycle among {sorted(set(graph) - done)}"
        done |= ready


def test_example_dependencies_never_point_to_a_later_or_cancelled_action(actions) -> None:
    by_id = {a["id"]: a for a in actions}
    for a in actions:
        for d in deps(a):
            assert int(by_id[d]["period"][1:]) <= int(a["period"][1:]), (a["id"], d)
            assert status_type_of(by_id[d]["status"]) != "cancelled"


def test_example_has_a_chain_of_three_open_actions_and_a_dependency_on_a_done_one(actions):
    by_id = {a["id"]: a for a in actions}
    assert deps(by_id["A-020"]) == ["A-014"] and deps(by_id["A-014"]) == ["A-008"]
    assert all(
        status_type_of(by_id[i]["status"]) in {"todo", "doing"} for i in ("A-008", "A-014", "A-020")
    )
    assert status_type_of(by_id["A-001"]["status"]) == "done" and deps(by_id["A-006"]) == ["A-001"]


def test_example_statuses_priorities_and_estimates(actions) -> None:
    kinds = [status_type_of(a["status"]) for a in actions]
    assert set(kinds) == set(STATUS_TYPE_LABELS)
    assert kinds.count("blocked") == 1 and kinds.count("cancelled") == 1
    assert {a["priority"] for a in actions} == {"P1", "P2", "P3"}
    assert {a["workstream"] for a in actions} == set(WORKSTREAMS)
    assert {a["owner"] for a in actions} == {o for o, _ in OWNERS}
    assert all(1 <= a["impact"] <= 5 and 1 <= a["effort"] <= 5 for a in actions)
    assert any(a["estimate"] % 1 for a in actions)
    assert all(a["period"] in {f"P{n}" for n in range(1, 7)} for a in actions)


def test_example_overloads_exactly_one_owner_in_one_period(actions) -> None:
    capacity = dict(OWNERS)
    load: dict[tuple[str, str], float] = {}
    for a in actions:
        if status_type_of(a["status"]) != "cancelled":
            key = (a["owner"], a["period"])
            load[key] = load.get(key, 0) + a["estimate"]
    # Sarah in P3: A-012 (6) = 6 > 5
    assert [k for k, v in load.items() if v > capacity[k[0]]] == [("Sarah Lefèvre", "P3")]


def test_example_has_one_open_action_overdue_once_p2_has_ended(actions) -> None:
    # P2 ends on start + 19: only A-008 ("En cours") is still open in P1–P2
    early_open = [
        a["id"]
        for a in actions
        if a["period"] in {"P1", "P2"} and status_type_of(a["status"]) not in {"done", "cancelled"}
    ]
    assert early_open == ["A-008"]


def test_example_results() -> None:
    results = example_plan(START).records("objectives")
    assert [r["id"] for r in results] == [f"R{n}" for n in range(1, 10)]
    assert len({r["marketing_objective"] for r in results}) == 4
    # a decreasing target
    assert any(cast(float, r["target"]) < cast(float, r["baseline"]) for r in results)
    assert all(isinstance(r["due_date"], date) for r in results)
    assert all(r["current"] is not None for r in results)
    linked = {a["target_result"] for a in example_plan(START).records("actions")}
    assert linked == {r["id"] for r in results}


def test_example_in_english_uses_english_labels() -> None:
    plan = example_plan(START, "en")
    assert plan.grids["actions"][0][:2] == ["ID", "Status"]
    assert plan.records("actions")[0]["status"] == "Done"
    assert plan.grids["settings"][0][0] == "Statuses"


def test_example_is_a_snapshot_the_scaffold_accepts_unchanged() -> None:
    plan = example_plan(START)
    snapshot = Snapshot(
        tabs=(
            TabData("Réglages", plan.grids["settings"]),
            TabData("Objectifs", plan.grids["objectives"]),
            TabData("Suivi des actions", plan.grids["actions"]),
        )
    )
    changes = scaffold_changes(snapshot, "fr", plan)
    assert changes.writes == () and changes.new_tabs == ()


def test_example_parses_and_computes_with_only_the_intended_warnings(tmp_path: Path) -> None:
    from sheetpilot._compute import compute_plan
    from sheetpilot._parse import parse_plan

    path = tmp_path / "plan.xlsx"
    init(path, example=example_plan(START))
    plan = parse_plan(grids(path))  # through a real workbook: dates come back from openpyxl
    assert (len(plan.actions), len(plan.results), plan.issues) == (30, 9, ())
    result = compute_plan(plan, START + timedelta(days=25))  # today in P3
    assert sorted((i.code, i.cell) for i in result.issues) == [
        ("over-capacity", "I4"),  # Sarah Lefèvre's capacity cell
        ("overdue", "M9"),  # A-008's period cell
    ]
