"""The meta table's SQL: small facts about the store (last sync, restore done, …)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from microlearn.store.plain_sql import open_connection, write_transaction

if TYPE_CHECKING:
    from microlearn.store.opening import Store


def write_meta(store: Store, values: Mapping[str, str]) -> None:
    connection = open_connection(store.paths.database)
    try:
        with write_transaction(connection) as db:
            db.executemany(
                "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                list(values.items()),
            )
    finally:
        connection.close()


def read_meta(store: Store, *keys: str) -> dict[str, str]:
    if not keys:
        return {}
    with store.read() as db:
        marks = ",".join("?" * len(keys))
        rows = db.execute(f"SELECT key, value FROM meta WHERE key IN ({marks})", keys).fetchall()
    return {str(row[0]): str(row[1]) for row in rows}
