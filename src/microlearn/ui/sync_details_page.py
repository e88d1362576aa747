"""Sync details: each record kept for the central record, what it is, and where it stands.

A page at a time (newest first), read in the sync controller's worker, so the view never
loads the whole outbox, however long it is.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
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

from microlearn.ui.page import button, label
from microlearn.ui.status_text import reason_text, see_details, state_label, state_of
from microlearn.ui.translation import args, local_date_time

if TYPE_CHECKING:
    from microlearn.services.sync import OutboxDetail
    from microlearn.ui.sync_state import OutboxPage, SyncState

PAGE_SIZE = 100
FILTER_STATES: tuple[tuple[str, ...] | None, ...] = (
    None,
    ("waiting", "unconfirmed"),
    ("sent",),
    ("refused", "conflict"),
)
REFUSED_FILTER = 3


def columns() -> tuple[str, ...]:
    return (
        QCoreApplication.translate("SyncDetailsPage", "When"),
        QCoreApplication.translate("SyncDetailsPage", "What"),
        QCoreApplication.translate("SyncDetailsPage", "State"),
        QCoreApplication.translate("SyncDetailsPage", "Reason"),
    )


def filter_words() -> tuple[str, ...]:
    """The filter's choices, in the order of FILTER_STATES."""
    return (
        QCoreApplication.translate("SyncDetailsPage", "All records"),
        QCoreApplication.translate("SyncDetailsPage", "Waiting to be sent"),
        QCoreApplication.translate("SyncDetailsPage", "Sent"),
        QCoreApplication.translate("SyncDetailsPage", "Refused or in conflict"),
    )


def verb_word(verb: str) -> str | None:
    """An xAPI verb in the learner's words."""
    words = {
        "initialized": QCoreApplication.translate("SyncDetailsPage", "Started"),
        "answered": QCoreApplication.translate("SyncDetailsPage", "Answered"),
        "completed": QCoreApplication.translate("SyncDetailsPage", "Completed"),
        "passed": QCoreApplication.translate("SyncDetailsPage", "Passed"),
        "failed": QCoreApplication.translate("SyncDetailsPage", "Not passed"),
        "terminated": QCoreApplication.translate("SyncDetailsPage", "Left"),
    }
    return words.get(verb)


Loader = Callable[[Sequence[str] | None, int, int, Callable[["OutboxPage"], None]], None]
AnyIndex = QModelIndex | QPersistentModelIndex


def local_time(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return local_date_time(moment)


def what_text(detail: OutboxDetail) -> str:
    verb = verb_word(detail.verb) or detail.verb.replace("-", " ").capitalize()
    return (
        args(QCoreApplication.translate("SyncDetailsPage", "%1: %2"), verb, detail.title)
        if detail.title
        else verb
    )


class OutboxTableModel(QAbstractTableModel):
    """One page of records: when, what, state, and the reason."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[OutboxDetail] = []
        self._columns = columns()

    def set_rows(self, rows: Sequence[OutboxDetail]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802 (Qt API)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802 (Qt API)
        return 0 if parent.isValid() else len(self._columns)

    def _text(self, detail: OutboxDetail, column: int) -> str:
        if column == 0:
            return local_time(detail.created_at)
        if column == 1:
            return what_text(detail)
        if column == 2:
            return state_label(state_of(detail))
        return reason_text(detail)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.parent().isValid():
            return None
        row, column = index.row(), index.column()
        if not (0 <= row < len(self._rows) and 0 <= column < len(self._columns)):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(self._rows[row], column)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return args(self.tr("%1: %2"), self._columns[column], self._text(self._rows[row], column))
        return None

    def headerData(  # noqa: N802 (Qt API)
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._columns[section] if 0 <= section < len(self._columns) else None
        return QLocale().toString(section + 1) if 0 <= section < len(self._rows) else None

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
        self.setAccessibleName(self.tr("Sync details"))
        self._loader = loader
        self._offset = 0
        self._total = 0
        self._request = 0  # only the newest request's answer is shown

        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.setSpacing(12)
        self.title = label(self.tr("Sync details"), "title")
        layout.addWidget(self.title)
        self.status = label("", "subtitle")
        self.status.setAccessibleDescription(self.tr("Sync status"))  # the name is what it says
        layout.addWidget(self.status)
        help_text = label(
            self.tr(
                "Each answer, completion and score is a record for your organisation's central record. "
                "Refused records and conflicts are kept on this computer and not sent again; "
                "if any are listed, tell IT."
            ),
            "muted",
        )
        layout.addWidget(help_text)

        controls = QHBoxLayout()
        show = QLabel(self.tr("&Show"))
        self.filter = QComboBox()
        self.filter.setAccessibleName(self.tr("Show records"))
        for text in filter_words():
            self.filter.addItem(text)
        show.setBuddy(self.filter)
        controls.addWidget(show)
        controls.addWidget(self.filter)
        controls.addStretch(1)
        self.sync_button = button(self.tr("Sync now"))
        self.sync_button.setToolTip(
            args(self.tr("Send waiting results to the central record (%1)"), shortcut)
        )
        controls.addWidget(self.sync_button)
        layout.addLayout(controls)

        self.model = OutboxTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Sync records"))
        self.table.setAccessibleDescription(self.tr("One row per record: when, what, state, and the reason"))
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
        self.newer_button = button(self.tr("Newer"), self.tr("Newer records"))
        self.newer_button.setToolTip(self.tr("The page of newer records (Ctrl+Page Up)"))
        self.position = label("", wrap=False)
        self.position.setAccessibleDescription(self.tr("Records shown"))
        self.older_button = button(self.tr("Older"), self.tr("Older records"))
        self.older_button.setToolTip(self.tr("The page of older records (Ctrl+Page Down)"))
        self.back_button = button(self.tr("Back"))
        self.back_button.setToolTip(self.tr("Back (Esc)"))
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
        return FILTER_STATES[max(0, self.filter.currentIndex())]

    def open(self, state: SyncState | None) -> None:
        """Shown afresh: refused records first when there are any, else everything."""
        self.filter.setCurrentIndex(REFUSED_FILTER if state is not None and state.refused else 0)
        self.show_state(state)
        self.load(0)

    def show_state(self, state: SyncState | None) -> None:
        text = state.text if state is not None else ""
        self.status.setText(text.removesuffix(see_details()))  # these are the details
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
            n = QLocale().toString
            if first == last:
                self.position.setText(args(self.tr("Record %1 of %2"), n(first), n(self._total)))
            else:
                self.position.setText(args(self.tr("Records %1–%2 of %3"), n(first), n(last), n(self._total)))
        else:
            self.position.setText(self.tr("No records to show"))
        self.newer_button.setEnabled(self._offset > 0)
        self.older_button.setEnabled(self._offset + shown < self._total)
