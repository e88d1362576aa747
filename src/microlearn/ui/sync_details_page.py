"""Sync details: each record kept for the central record, what it is, and where it stands.

A page at a time (newest first), read in the sync controller's worker, so the view never
loads the whole outbox, however long it is.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from microlearn.records.sync_engine import SEE_DETAILS
from microlearn.ui.page import button, label

if TYPE_CHECKING:
    from microlearn.services.sync import OutboxDetail
    from microlearn.ui.sync_state import OutboxPage, SyncState

PAGE_SIZE = 100
COLUMNS = ("When", "What", "State", "Reason")
FILTERS: tuple[tuple[str, tuple[str, ...] | None], ...] = (
    ("All records", None),
    ("Waiting to be sent", ("waiting",)),
    ("Sent", ("sent",)),
    ("Refused or in conflict", ("refused", "conflict")),
)
REFUSED_FILTER = 3
STATE_LABELS = {"waiting": "Waiting", "sent": "Sent", "conflict": "Conflict", "refused": "Refused"}
# The xAPI verbs in the learner's words.
VERB_WORDS = {
    "initialized": "Started",
    "answered": "Answered",
    "completed": "Completed",
    "passed": "Passed",
    "failed": "Not passed",
    "terminated": "Left",
}
HELP_TEXT = (
    "Each answer, completion and score is a record for your organisation's central record. "
    "Refused records and conflicts are kept on this computer and not sent again; "
    "if any are listed, tell IT."
)

Loader = Callable[[Sequence[str] | None, int, int, Callable[["OutboxPage"], None]], None]
AnyIndex = QModelIndex | QPersistentModelIndex


def local_time(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return moment.astimezone().strftime("%d %b %Y, %H:%M")


def what_text(detail: OutboxDetail) -> str:
    verb = VERB_WORDS.get(detail.verb, detail.verb.replace("-", " ").capitalize())
    return f"{verb}: {detail.title}" if detail.title else verb


def reason_text(detail: OutboxDetail) -> str:
    if detail.state in ("refused", "conflict"):
        return detail.last_error or "No reason was given."
    if detail.state == "sent":
        return f"Reached the central record {local_time(detail.sent_at)}" if detail.sent_at else ""
    if detail.last_error:
        return f"Not sent yet. Last try: {detail.last_error}"
    return "Will be sent at the next sync"


class OutboxTableModel(QAbstractTableModel):
    """One page of records: when, what, state, and the reason."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[OutboxDetail] = []

    def set_rows(self, rows: Sequence[OutboxDetail]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802 (Qt API)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802 (Qt API)
        return 0 if parent.isValid() else len(COLUMNS)

    def _text(self, detail: OutboxDetail, column: int) -> str:
        if column == 0:
            return local_time(detail.created_at)
        if column == 1:
            return what_text(detail)
        if column == 2:
            return STATE_LABELS.get(detail.state, detail.state.capitalize())
        return reason_text(detail)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.parent().isValid():
            return None
        row, column = index.row(), index.column()
        if not (0 <= row < len(self._rows) and 0 <= column < len(COLUMNS)):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(self._rows[row], column)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{COLUMNS[column]}: {self._text(self._rows[row], column)}"
        return None

    def headerData(  # noqa: N802 (Qt API)
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section] if 0 <= section < len(COLUMNS) else None
        return str(section + 1) if 0 <= section < len(self._rows) else None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class SyncDetailsPage(QWidget):
    """The records table with a filter, page buttons, "Sync now" and a way back."""

    back_requested = Signal()
    sync_requested = Signal()

    def __init__(self, loader: Loader, shortcut: str) -> None:
        super().__init__()
        self.setObjectName("PageBody")
        self.setAccessibleName("Sync details")
        self._loader = loader
        self._offset = 0
        self._total = 0
        self._request = 0  # only the newest request's answer is shown

        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.setSpacing(12)
        self.title = label("Sync details", "title")
        layout.addWidget(self.title)
        self.status = label("", "subtitle")
        self.status.setAccessibleDescription("Sync status")  # the name is what it says
        layout.addWidget(self.status)
        help_text = label(HELP_TEXT, "muted")
        layout.addWidget(help_text)

        controls = QHBoxLayout()
        show = QLabel("&Show")
        self.filter = QComboBox()
        self.filter.setAccessibleName("Show records")
        for text, _states in FILTERS:
            self.filter.addItem(text)
        show.setBuddy(self.filter)
        controls.addWidget(show)
        controls.addWidget(self.filter)
        controls.addStretch(1)
        self.sync_button = button("Sync now", "Sync now")
        self.sync_button.setToolTip(f"Send waiting results to the central record ({shortcut})")
        controls.addWidget(self.sync_button)
        layout.addLayout(controls)

        self.model = OutboxTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Sync records")
        self.table.setAccessibleDescription("One row per record: when, what, state, and the reason")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move inside it
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        header.resizeSection(1, 380)
        layout.addWidget(self.table, 1)

        pager = QHBoxLayout()
        self.newer_button = button("Newer", "Newer records")
        self.newer_button.setToolTip("The page of newer records (Ctrl+Page Up)")
        self.position = label("", wrap=False)
        self.position.setAccessibleDescription("Records shown")
        self.older_button = button("Older", "Older records")
        self.older_button.setToolTip("The page of older records (Ctrl+Page Down)")
        self.back_button = button("Back", "Back")
        self.back_button.setToolTip("Back (Esc)")
        pager.addWidget(self.newer_button)
        pager.addWidget(self.position)
        pager.addWidget(self.older_button)
        pager.addStretch(1)
        pager.addWidget(self.back_button)
        layout.addLayout(pager)

        self.filter.activated.connect(lambda _i: self.load(0))
        self.newer_button.clicked.connect(lambda: self.load(max(0, self._offset - PAGE_SIZE)))
        self.older_button.clicked.connect(lambda: self.load(self._offset + PAGE_SIZE))
        self.back_button.clicked.connect(self.back_requested.emit)
        self.sync_button.clicked.connect(self.sync_requested.emit)
        QShortcut(QKeySequence("Escape"), self, self.back_requested.emit)
        QShortcut(QKeySequence("Ctrl+PgUp"), self, self.newer_button.click)
        QShortcut(QKeySequence("Ctrl+PgDown"), self, self.older_button.click)
        self._show_position()

    @property
    def states(self) -> tuple[str, ...] | None:
        return FILTERS[max(0, self.filter.currentIndex())][1]

    def open(self, state: SyncState | None) -> None:
        """Shown afresh: refused records first when there are any, else everything."""
        self.filter.setCurrentIndex(REFUSED_FILTER if state is not None and state.refused else 0)
        self.show_state(state)
        self.load(0)

    def show_state(self, state: SyncState | None) -> None:
        text = state.text if state is not None else ""
        self.status.setText(text.removesuffix(SEE_DETAILS))  # these are the details
        self.sync_button.setVisible(state is None or state.configured)

    def load(self, offset: int) -> None:
        self._request += 1
        request = self._request
        self._loader(self.states, offset, PAGE_SIZE, lambda page: self._show_page(request, page))

    def reload(self) -> None:
        self.load(self._offset)

    def _show_page(self, request: int, page: OutboxPage) -> None:
        if request != self._request:
            return
        if not page.rows and page.offset > 0 and page.total:
            # The page emptied (records changed state): show the last page that has records.
            self.load(max(0, (page.total - 1) // PAGE_SIZE * PAGE_SIZE))
            return
        self._offset, self._total = page.offset, page.total
        self.model.set_rows(page.rows)
        self._show_position()
        if self.model.rowCount() and not self.table.currentIndex().isValid():
            self.table.setCurrentIndex(self.model.index(0, 0))

    def _show_position(self) -> None:
        shown = self.model.rowCount()
        if shown:
            first, last = self._offset + 1, self._offset + shown
            if first == last:
                self.position.setText(f"Record {first:,} of {self._total:,}")
            else:
                self.position.setText(f"Records {first:,}–{last:,} of {self._total:,}")
        else:
            self.position.setText("No records to show")
        self.newer_button.setEnabled(self._offset > 0)
        self.older_button.setEnabled(self._offset + shown < self._total)
