"""DESIGN §4 over Google: ≤ 2 requests per sync, exactly 1 when nothing changed."""

from datetime import date, timedelta

from sheetpilot._backends.google import GoogleBackend
from sheetpilot._config import GoogleConfig
from sheetpilot._example import example_plan
from sheetpilot._scaffold import scaffold_changes
from sheetpilot._sync import run_sync

TODAY = date(2026, 3, 4)


def fresh(fake, key):
    return GoogleBackend(key, GoogleConfig(credentials="none", endpoint=fake.url))


def test_init_then_sync_within_the_request_budget(fake):
    key = fake.create_spreadsheet("Plan marketing")
    init = fresh(fake, key)
    demo = example_plan(TODAY - timedelta(days=21), "fr")
    assert init.write(scaffold_changes(init.read(), "fr", demo, start=TODAY)) > 0
    assert init.requests == 2

    first = run_sync(fresh(fake, key), plan="demo", today=TODAY, locale="fr")
    assert first.report.writes.requests == 2
    assert first.report.writes.cells > 0
    assert not [i for i in first.report.issues if i.code in ("missing-tab", "missing-column")]

    second = run_sync(fresh(fake, key), plan="demo", today=TODAY, locale="fr")
    assert (second.report.writes.requests, second.report.writes.cells) == (1, 0)
    assert second.report.priority_order == first.report.priority_order


def test_a_user_edit_is_synced_with_one_read_and_one_write(fake):
    key = fake.create_spreadsheet("Plan marketing")
    init = fresh(fake, key)
    demo = example_plan(TODAY - timedelta(days=21), "fr")
    init.write(scaffold_changes(init.read(), "fr", demo, start=TODAY))
    run_sync(fresh(fake, key), plan="demo", today=TODAY, locale="fr")
    actions = fresh(fake, key).read().get("Suivi des actions").grid
    status_col = actions[0].index("Statut")
    row = next(r for r, line in enumerate(actions) if line[status_col] == "À faire")
    fake.set_values(key, f"'Suivi des actions'!{chr(65 + status_col)}{row + 1}", [["Terminé"]])
    outcome = run_sync(fresh(fake, key), plan="demo", today=TODAY, locale="fr")
    assert outcome.report.writes.requests == 2
    assert outcome.report.writes.cells > 0


def test_a_dry_run_counts_the_requests_a_split_write_will_take(fake):
    # a change set above the request size goes in several batchUpdates: the dry run says so
    key = fake.create_spreadsheet("Plan marketing")
    init = fresh(fake, key)
    demo = example_plan(TODAY - timedelta(days=21), "fr")
    init.write(scaffold_changes(init.read(), "fr", demo, start=TODAY))

    def small(backend):
        backend.max_request_bytes = 20_000
        return backend

    dry = run_sync(small(fresh(fake, key)), plan="demo", today=TODAY, locale="fr", dry_run=True)
    real = run_sync(small(fresh(fake, key)), plan="demo", today=TODAY, locale="fr")
    assert real.report.writes.requests > 2  # one read, several writes
    assert dry.report.writes.requests == real.report.writes.requests
    assert dry.report.writes.cells == real.report.writes.cells
