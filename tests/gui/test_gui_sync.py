"""Sync in the app: the status words a learner sees, "Sync now" by keyboard, the details view,
and a window that keeps responding while a sync runs — against a real Ralph LRS.

The window is the real ``MainWindow`` with a real ``SyncController`` (as ``ui/app.py`` builds
them), given services opened on a temporary data directory.
"""

from __future__ import annotations

import json
import random
import sqlite3
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QTableView
from pytestqt.qtbot import QtBot

from microlearn.records.statements import freeze
from microlearn.records.sync_outcome import Outcome, SyncReport
from microlearn.services.startup import AppServices, start_services
from microlearn.services.sync import SyncService
from microlearn.settings.config import Config
from microlearn.settings.paths import resolve_paths
from microlearn.store.opening import Store
from microlearn.ui.main_window import MainWindow
from microlearn.ui.status_text import CREDENTIALS_TEXT, NOT_SET_UP_MESSAGE, SYNCING_TEXT
from microlearn.ui.sync_controller import SyncController, jittered_interval_ms
from microlearn.ui.sync_details_page import OutboxTableModel, verb_word
from microlearn.ui.sync_state import SyncState, Trigger
from tests.support.gui_driver import controls, press, walk_module
from tests.support.learners import (
    BASE,
    HOME,
    MODULES,
    closed_port,
    lrs_overrides,
    play_module,
    stored_statements,
)
from tests.support.lrs.ralph_server import RalphServer
from tests.support.prerequisites import missing

pytestmark = pytest.mark.gui

SYNC_TIMEOUT_MS = 60_000


# -- helpers -------------------------------------------------------------------------------------


def sync_without_waits(store: Store, config: Config) -> SyncService:
    return SyncService(store, config, sleep=lambda _s: None)


class Opened:
    """A data directory's services, opened and closed like the app does."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.services: AppServices | None = None
        self.learner = f"gui-learner-{uuid.uuid4().hex[:10]}"

    def start(
        self,
        endpoint: str,
        server: RalphServer | None,
        make_sync: Callable[[Store, Config], SyncService] | None = None,
        **extra: Any,
    ) -> AppServices:
        if self.services is not None:
            self.services.close()
        overrides: dict[str, Any] = {
            "identity.source": "fixed",
            "identity.name": self.learner,
            "identity.home_page": HOME,
            "content.activity_base": BASE,
        }
        if server is not None:
            overrides.update(lrs_overrides(endpoint, server, self.learner))
        elif endpoint:
            overrides["lrs.endpoint"] = endpoint
        overrides.update(extra)
        self.services = start_services(
            paths=resolve_paths(self.folder), overrides=overrides, make_sync=make_sync
        )
        return self.services

    def outbox(self) -> list[dict[str, Any]]:
        assert self.services is not None
        with self.services.store.read() as db:
            return [dict(r) for r in db.execute("SELECT * FROM outbox ORDER BY id").fetchall()]

    def execute(self, sql: str, *params: Any) -> None:
        assert self.services is not None
        with closing(sqlite3.connect(self.services.paths.database)) as db, db:
            db.execute(sql, params)


@pytest.fixture
def opened(tmp_path: Path) -> Iterator[Opened]:
    holder = Opened(tmp_path / "data")
    yield holder
    if holder.services is not None:
        holder.services.close()


def open_window(qtbot: QtBot, services: AppServices, **controller: Any) -> tuple[MainWindow, SyncController]:
    """The window as ui/app.py builds it; waits until the start-up reads (and any restore) end."""
    window = MainWindow()
    options: dict[str, Any] = {"first_sync_delay_ms": None, "rng": random.Random(5), **controller}
    sync = SyncController(window, **options)
    window.attach_sync(sync)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    window.services_ready(services)
    qtbot.waitUntil(lambda: sync.state is not None and not sync.running, timeout=SYNC_TIMEOUT_MS)
    if window.today.first_button is not None:
        qtbot.waitUntil(window.today.first_button.hasFocus)
    return window, sync


def wait_for_status(qtbot: QtBot, window: MainWindow, text: str) -> None:
    def shown() -> None:
        assert window.sync_status.text() == text

    qtbot.waitUntil(shown, timeout=SYNC_TIMEOUT_MS)


def add_pending_clones(services: AppServices, count: int) -> None:
    """``count`` more pending statements: copies of the recorded ones with fresh ids (as bench/sync.py)."""
    with closing(sqlite3.connect(services.paths.database)) as db, db:
        rows = db.execute("SELECT verb, statement_json, created_at FROM outbox ORDER BY id").fetchall()
        clones = []
        for index in range(count):
            verb, raw, created = rows[index % len(rows)]
            statement = json.loads(raw)
            statement["id"] = str(uuid.uuid4())
            clones.append((statement["id"], verb, freeze(statement), created))
        db.executemany(
            "INSERT INTO outbox (statement_id, verb, statement_json, status, tries, created_at) "
            "VALUES (?, ?, ?, 'pending', 0, ?)",
            clones,
        )


def details_rows(window: MainWindow) -> list[list[str]]:
    assert window.details is not None
    model = window.details.model
    return [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]


# -- no central record ---------------------------------------------------------------------------


@pytest.mark.lrs
def test_offline_results_are_kept_then_sync_now_by_keyboard_sends_them(
    qtbot: QtBot,
    opened: Opened,
    ralph: RalphServer,
) -> None:
    services = opened.start("", None)
    window, sync = open_window(qtbot, services)
    press(qtbot, Qt.Key.Key_Space)  # start the first module on Today
    walk_module(qtbot, window, right=True)
    count = len(opened.outbox())
    kept = f"Not connected to a central record — {count} results kept on this computer"
    wait_for_status(qtbot, window, kept)
    window._go_section(0)
    qtbot.waitUntil(lambda: window.today.sync_label is not None and window.today.sync_label.text() == kept)
    assert window.today.sync_button is not None and not window.today.sync_button.isVisibleTo(window)
    press(qtbot, Qt.Key.Key_F5)
    assert window.statusBar().currentMessage() == NOT_SET_UP_MESSAGE
    assert not sync.running
    window.close()

    # IT connects the central record; the app starts again with it.
    services = opened.start(ralph.endpoint, ralph)
    window, sync = open_window(qtbot, services)
    button = window.today.sync_button
    assert button is not None and button.isVisibleTo(window) and "(F5)" in button.toolTip()
    assert window.sync_status.text() == f"{count} results waiting to sync"
    states: list[SyncState] = []
    sync.state_changed.connect(states.append)
    press(qtbot, Qt.Key.Key_F5)
    wait_for_status(qtbot, window, "Synced just now")
    assert any(s.running and s.text.startswith(SYNCING_TEXT) for s in states)
    assert window.today.sync_label is not None and window.today.sync_label.text() == "Synced just now"
    assert window.settings.sync_status.text() == "Synced just now"
    assert window.settings.last_sync.text() == f"Just now: Synced {count} results"
    held = {s["id"] for s in stored_statements(ralph, opened.learner)}
    assert held == {r["statement_id"] for r in opened.outbox()}
    assert all(r["status"] == "sent" for r in opened.outbox())


@pytest.mark.lrs
def test_the_sync_now_button_works_from_the_keyboard(
    qtbot: QtBot,
    opened: Opened,
    ralph: RalphServer,
) -> None:
    services = opened.start(ralph.endpoint, ralph)
    play_module(services.learning, MODULES[1])
    window, _sync = open_window(qtbot, services)
    button = window.today.sync_button
    assert button is not None
    button.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(button.hasFocus)
    press(qtbot, Qt.Key.Key_Space)
    wait_for_status(qtbot, window, "Synced just now")
    assert len(stored_statements(ralph, opened.learner)) == len(opened.outbox())


# -- what the learner is told -----------------------------------------------------------------------


@pytest.mark.lrs
def test_wrong_credentials_give_the_exact_words_in_the_status_bar_and_on_today(
    qtbot: QtBot,
    opened: Opened,
    ralph: RalphServer,
) -> None:
    services = opened.start(ralph.endpoint, ralph, **{"lrs.password": "not-the-password"})
    play_module(services.learning, MODULES[0])
    window, _sync = open_window(qtbot, services)
    press(qtbot, Qt.Key.Key_F5)
    wait_for_status(qtbot, window, CREDENTIALS_TEXT)
    assert CREDENTIALS_TEXT == "The central record refused the credentials — contact IT"
    assert window.today.sync_label is not None and window.today.sync_label.text() == CREDENTIALS_TEXT
    assert window.settings.sync_status.text() == CREDENTIALS_TEXT
    assert all(r["status"] == "pending" for r in opened.outbox())
    assert stored_statements(ralph, opened.learner) == []


@pytest.mark.lrs
def test_a_refused_statement_is_named_and_listed_with_its_reason(
    qtbot: QtBot,
    opened: Opened,
    ralph: RalphServer,
) -> None:
    services = opened.start(ralph.endpoint, ralph)
    play_module(services.learning, MODULES[0])
    rows = opened.outbox()
    bad = rows[5]
    # A verb without its id: Ralph refuses it (422), the others must still arrive.
    corrupted = {**json.loads(bad["statement_json"]), "verb": {"display": {"en-US": bad["verb"]}}}
    opened.execute(
        "UPDATE outbox SET statement_json = ? WHERE id = ?",
        json.dumps(corrupted, separators=(",", ":")),
        bad["id"],
    )
    window, _sync = open_window(qtbot, services)
    press(qtbot, Qt.Key.Key_F5)
    refused = "1 result was refused by the central record — see details"
    wait_for_status(qtbot, window, refused)
    assert window.today.sync_label is not None and window.today.sync_label.text() == refused

    details_button = window.today.details_button
    assert details_button is not None
    details_button.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(details_button.hasFocus)
    press(qtbot, Qt.Key.Key_Space)
    details = window.details
    assert details is not None and window.stack.currentWidget() is details
    # Opened on the refused records, since there are some.
    qtbot.waitUntil(lambda: details.model.rowCount() == 1)
    ((when, what, state, reason),) = details_rows(window)
    assert state == "Refused"
    assert reason.startswith("HTTP 422") and "verb.id: Field required" in reason
    assert what.startswith(f"{verb_word(bad['verb'])}: ") and when
    assert details.status.text() == "1 result was refused by the central record"
    qtbot.waitUntil(details.table.hasFocus)

    # Everything else was sent; the filter shows every record, newest first.
    details.filter.setFocus()
    press(qtbot, Qt.Key.Key_Home)
    assert details.filter.currentText() == "All records"
    details.filter.activated.emit(0)  # what choosing it from the list does
    qtbot.waitUntil(lambda: details.model.rowCount() == len(rows))
    states = [row[2] for row in details_rows(window)]
    assert states.count("Refused") == 1 and states.count("Sent") == len(rows) - 1
    assert details.position.text() == f"Records 1–{len(rows)} of {len(rows)}"
    assert not details.newer_button.isEnabled() and not details.older_button.isEnabled()
    held = {s["id"] for s in stored_statements(ralph, opened.learner)}
    assert held == {r["statement_id"] for r in rows} - {bad["statement_id"]}

    press(qtbot, Qt.Key.Key_Escape)
    assert window.stack.currentWidget() is window.today


def test_offline_says_so_with_the_count_waiting(qtbot: QtBot, opened: Opened) -> None:
    # .invalid never resolves (RFC 6761): the network cannot find the host, as when offline.
    # Back-off waits recorded, not slept, so the test does not wait through them.
    services = opened.start("https://lrs.invalid/xAPI/", None, make_sync=sync_without_waits)
    play_module(services.learning, MODULES[0])
    window, _sync = open_window(qtbot, services)
    count = len(opened.outbox())
    press(qtbot, Qt.Key.Key_F5)
    wait_for_status(qtbot, window, f"Offline — {count} results waiting")
    assert window.today.sync_label is not None
    assert window.today.sync_label.text() == f"Offline — {count} results waiting"
    assert window.today.sync_hint is not None and "safe on this computer" in window.today.sync_hint.text()


def test_settings_show_the_locked_endpoint_read_only_and_the_last_sync(
    qtbot: QtBot,
    opened: Opened,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    endpoint = f"http://127.0.0.1:{closed_port()}/xAPI/"
    policy = tmp_path / "policy.toml"
    policy.write_text(
        f'[lrs]\nendpoint = "{endpoint}"\n\n[locked]\nkeys = ["lrs.endpoint"]\n', encoding="utf-8"
    )
    monkeypatch.setenv("MICROLEARN_POLICY", str(policy))
    services = opened.start("", None, make_sync=sync_without_waits)  # only the policy names the LRS
    play_module(services.learning, MODULES[0])
    count = len(opened.outbox())
    window, _sync = open_window(qtbot, services)
    window.navigation.setCurrentRow(2)
    settings = window.settings
    assert services.config.is_locked("lrs.endpoint")
    assert settings.endpoint.text() == endpoint
    assert settings.endpoint_note.text() == "Set by your organisation"
    assert settings.last_sync.text() == "No sync yet"
    assert not settings.findChildren(QLineEdit), "the central record is IT's to set, not an editable field"

    press(qtbot, Qt.Key.Key_F5)
    wait_for_status(qtbot, window, f"The central record is not answering — {count} results waiting")
    assert settings.sync_status.text() == f"The central record is not answering — {count} results waiting"
    assert (
        settings.last_sync.text()
        == f"Just now: The central record is not answering — {count} results waiting"
    )


# -- the details table ----------------------------------------------------------------------------------


def test_the_details_model_passes_the_model_tester(qtbot: QtBot, opened: Opened, qtmodeltester: Any) -> None:
    services = opened.start("", None)
    play_module(services.learning, MODULES[0])
    model = OutboxTableModel()
    qtmodeltester.check(model)  # empty
    details = services.sync.outbox_details(limit=10)
    model.set_rows(details)
    qtmodeltester.check(model)
    assert model.rowCount() == 10 and model.columnCount() == 4
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(4)] == [
        "When",
        "What",
        "State",
        "Reason",
    ]
    assert model.index(0, 2).data() == "Waiting"
    assert model.index(0, 3).data() == "Will be sent at the next sync"
    assert model.index(0, 1).data(Qt.ItemDataRole.AccessibleTextRole).startswith("What: ")


def test_the_details_view_pages_instead_of_loading_the_whole_outbox(qtbot: QtBot, opened: Opened) -> None:
    services = opened.start("", None)
    play_module(services.learning, MODULES[0])
    add_pending_clones(services, 230)
    total = len(opened.outbox())
    window, _sync = open_window(qtbot, services)
    link = window.details_link  # "Sync details" in the status bar
    assert link is not None
    link.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(link.hasFocus)
    press(qtbot, Qt.Key.Key_Space)
    details = window.details
    assert details is not None and window.stack.currentWidget() is details
    qtbot.waitUntil(lambda: details.model.rowCount() == 100)
    assert details.position.text() == f"Records 1–100 of {total}"
    assert not details.newer_button.isEnabled() and details.older_button.isEnabled()
    qtbot.waitUntil(details.table.hasFocus)
    press(qtbot, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: details.position.text() == f"Records 101–200 of {total}")
    press(qtbot, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: details.position.text() == f"Records 201–{total} of {total}")
    assert details.model.rowCount() == total - 200 and not details.older_button.isEnabled()
    press(qtbot, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: details.position.text() == f"Records 101–200 of {total}")
    for widget in (
        details.table,
        details.filter,
        details.newer_button,
        details.older_button,
        details.back_button,
    ):
        assert widget.accessibleName()


# -- when it syncs ---------------------------------------------------------------------------------


def test_the_jittered_interval_stays_within_twenty_percent() -> None:
    rng = random.Random(11)
    draws = [jittered_interval_ms(30, rng) for _ in range(2_000)]
    minute = 60_000
    assert all(0.8 * 30 * minute <= d <= 1.2 * 30 * minute for d in draws)
    # Spread over the range, not one fixed offset: that is what keeps laptops from calling together.
    assert min(draws) < 0.82 * 30 * minute and max(draws) > 1.18 * 30 * minute
    assert len(set(draws)) > 1_000


@pytest.mark.lrs
def test_after_a_sync_the_next_one_is_timed_within_twenty_percent_of_the_setting(
    qtbot: QtBot,
    opened: Opened,
    ralph: RalphServer,
) -> None:
    services = opened.start(ralph.endpoint, ralph, **{"lrs.sync_interval_minutes": 10})
    play_module(services.learning, MODULES[0])
    _window, sync = open_window(qtbot, services)
    with qtbot.waitSignal(sync.sync_finished, timeout=SYNC_TIMEOUT_MS):
        press(qtbot, Qt.Key.Key_F5)
    interval = sync.next_sync_in_ms
    assert interval is not None and 0.8 * 600_000 <= interval <= 1.2 * 600_000


@pytest.mark.lrs
def test_a_second_trigger_while_a_sync_runs_is_ignored(
    qtbot: QtBot,
    opened: Opened,
    ralph: RalphServer,
) -> None:
    services = opened.start(ralph.endpoint, ralph)
    play_module(services.learning, MODULES[0])
    window, sync = open_window(qtbot, services)
    reports: list[SyncReport] = []
    sync.sync_finished.connect(reports.append)
    with qtbot.waitSignal(sync.sync_finished, timeout=SYNC_TIMEOUT_MS):
        assert sync.sync_now() is True
        assert sync.running
        assert sync.sync_now() is False
        assert sync.sync_now(Trigger.TIMER) is False
        assert window.statusBar().currentMessage() == "A sync is already running."
    qtbot.wait(300)
    assert len(reports) == 1 and reports[0].outcome is Outcome.ALL_SENT
    assert reports[0].sent == len(opened.outbox())


@pytest.mark.lrs
def test_a_module_finished_during_a_sync_is_sent_right_after_it(
    qtbot: QtBot,
    opened: Opened,
    ralph: RalphServer,
) -> None:
    services = opened.start(ralph.endpoint, ralph)
    play_module(services.learning, MODULES[0])
    _window, sync = open_window(qtbot, services)
    reports: list[SyncReport] = []
    sync.sync_finished.connect(reports.append)
    assert sync.sync_now() is True
    play_module(services.learning, MODULES[1])  # its statements were not in the first run's reach
    assert sync.sync_now(Trigger.MODULE_DONE) is False
    qtbot.waitUntil(lambda: len(reports) == 2 and not sync.running, timeout=SYNC_TIMEOUT_MS)
    assert all(r["status"] == "sent" for r in opened.outbox())
    assert {s["id"] for s in stored_statements(ralph, opened.learner)} == {
        r["statement_id"] for r in opened.outbox()
    }


@pytest.mark.lrs
def test_it_syncs_by_itself_after_start_up(
    qtbot: QtBot,
    opened: Opened,
    ralph: RalphServer,
) -> None:
    services = opened.start(ralph.endpoint, ralph)
    play_module(services.learning, MODULES[0])
    window, _sync = open_window(qtbot, services, first_sync_delay_ms=(50, 100))
    wait_for_status(qtbot, window, "Synced just now")
    assert len(stored_statements(ralph, opened.learner)) == len(opened.outbox())


@pytest.mark.lrs
def test_a_new_laptop_restores_progress_from_the_central_record_then_shows_it(
    qtbot: QtBot,
    opened: Opened,
    tmp_path: Path,
    fresh_ralph: RalphServer,
) -> None:
    services = opened.start(fresh_ralph.endpoint, fresh_ralph)
    play_module(services.learning, MODULES[0])
    assert services.sync.sync_now().outcome is Outcome.ALL_SENT
    services.close()
    opened.services = None

    wiped = Opened(tmp_path / "new-laptop")
    wiped.learner = opened.learner
    try:
        services = wiped.start(fresh_ralph.endpoint, fresh_ralph)
        window, _sync = open_window(qtbot, services)
        statuses = {m.id: m.status.value for t in services.catalog.library() for m in t.modules}
        assert statuses[MODULES[0]] == "done"
        assert wiped.outbox() == []  # restored, never queued to be sent again
        assert window.statusBar().currentMessage().startswith("Restored ")
        window.navigation.setCurrentRow(1)
        shown = [w.text() for w in window.library.findChildren(QLabel) if w.isVisibleTo(window.library)]
        assert "Done" in shown  # the restored module's status, as the learner sees it
    finally:
        if wiped.services is not None:
            wiped.services.close()


@pytest.mark.lrs
def test_the_network_coming_back_starts_a_sync(
    qtbot: QtBot,
    opened: Opened,
    ralph: RalphServer,
) -> None:
    from PySide6.QtNetwork import QNetworkInformation

    services = opened.start(ralph.endpoint, ralph)
    play_module(services.learning, MODULES[0])
    window, sync = open_window(qtbot, services, network_back_delay_ms=(0, 0))
    qtbot.waitUntil(lambda: QNetworkInformation.instance() is not None)
    info = QNetworkInformation.instance()
    if info is None or sync._network is None:
        missing("a Qt network-information backend that loads (glib or NetworkManager over D-Bus)")
    reachability = QNetworkInformation.Reachability
    with qtbot.waitSignal(sync.sync_finished, timeout=SYNC_TIMEOUT_MS):
        info.reachabilityChanged.emit(reachability.Disconnected)
        info.reachabilityChanged.emit(reachability.Online)
    assert window.sync_status.text() == "Synced just now"


# -- a window that keeps responding -------------------------------------------------------------------------


@pytest.mark.lrs
def test_the_window_keeps_responding_while_a_few_hundred_statements_sync(
    qtbot: QtBot,
    opened: Opened,
    fresh_ralph: RalphServer,
) -> None:
    services = opened.start(fresh_ralph.endpoint, fresh_ralph)
    play_module(services.learning, MODULES[0])
    add_pending_clones(services, 400)
    total = len(opened.outbox())
    window, sync = open_window(qtbot, services)
    ticks_while_running = 0

    def tick() -> None:
        nonlocal ticks_while_running
        if sync.running:
            ticks_while_running += 1

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(tick)
    timer.start()
    progress: list[str] = []
    sync.state_changed.connect(lambda state: progress.append(state.text))
    try:
        with qtbot.waitSignal(sync.sync_finished, timeout=SYNC_TIMEOUT_MS) as finished:
            press(qtbot, Qt.Key.Key_F5)
    finally:
        timer.stop()
    report = finished.args[0]
    assert report.outcome is Outcome.ALL_SENT and report.sent == total
    # A frozen event loop would not have run the timer while the sync was going on.
    assert ticks_while_running >= 10, ticks_while_running
    assert f"{SYNCING_TEXT} 100 of {total} sent" in progress
    assert window.sync_status.text() == "Synced just now"


@pytest.mark.lrs
def test_closing_the_window_stops_a_running_sync(
    qtbot: QtBot,
    opened: Opened,
    fresh_ralph: RalphServer,
) -> None:
    services = opened.start(fresh_ralph.endpoint, fresh_ralph)
    play_module(services.learning, MODULES[0])
    add_pending_clones(services, 3_000)
    window, sync = open_window(qtbot, services)
    assert sync.sync_now() is True
    qtbot.waitUntil(lambda: window.sync_status.text().startswith(f"{SYNCING_TEXT} "), timeout=SYNC_TIMEOUT_MS)
    window.close()  # cancels, and waits briefly for the batch in flight
    statuses = [r["status"] for r in opened.outbox()]
    assert 0 < statuses.count("sent") < len(statuses), "stopped part-way, the rest still waiting"
    # The run ended (its outcome is written last) as a cancelled one, not cut off.
    assert services.sync.last_sync().outcome is Outcome.CANCELLED
    # The next start carries on where it stopped.
    assert services.sync.sync_now().outcome is Outcome.ALL_SENT
    assert len(stored_statements(fresh_ralph, opened.learner)) == len(statuses)


@pytest.mark.lrs
def test_the_minutes_since_the_last_sync_stay_true(
    qtbot: QtBot,
    opened: Opened,
    ralph: RalphServer,
) -> None:
    now = [datetime.now(UTC)]
    services = opened.start(
        ralph.endpoint,
        ralph,
        make_sync=lambda store, config: SyncService(store, config, clock=lambda: now[0]),
    )
    play_module(services.learning, MODULES[0])
    window, _sync = open_window(qtbot, services, status_refresh_ms=50)
    press(qtbot, Qt.Key.Key_F5)
    wait_for_status(qtbot, window, "Synced just now")
    now[0] += timedelta(minutes=2, seconds=5)  # no new sync: only time passes
    wait_for_status(qtbot, window, "Synced 2 minutes ago")
    assert window.today.sync_label is not None and window.today.sync_label.text() == "Synced 2 minutes ago"


@pytest.mark.lrs
def test_every_sync_control_has_an_accessible_name(
    qtbot: QtBot,
    opened: Opened,
    ralph: RalphServer,
) -> None:
    services = opened.start(ralph.endpoint, ralph)
    play_module(services.learning, MODULES[0])
    window, _sync = open_window(qtbot, services)
    window.show_sync_details()
    assert window.details is not None
    screens = [window.today, window.settings, window.details, window.statusBar()]
    unnamed = [
        f"{type(w).__name__} {getattr(w, 'text', lambda: '')()!r}"
        for screen in screens
        for w in [*controls(screen), *screen.findChildren(QTableView)]
        if not w.accessibleName()
    ]
    assert not unnamed, unnamed
    assert window.today.sync_button is not None and window.today.details_button is not None


def test_emitting_signals_does_not_use_up_true(qtbot: QtBot) -> None:
    # A long sync reports progress per batch; with PySide6 6.12 on Python 3.11 each emit would
    # take a reference to True and the app would abort after a few hundred (ui/qt_workarounds.py).
    class Pinger(QObject):
        ping = Signal(int)

    pinger = Pinger()
    received: list[int] = []
    pinger.ping.connect(received.append)
    before = sys.getrefcount(True)
    for number in range(2_000):
        pinger.ping.emit(number)
    assert len(received) == 2_000
    assert sys.getrefcount(True) >= before - 10
