"""Small DuckDB helpers shared by the warehouse modules."""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import duckdb


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def insert_rows(
    con: duckdb.DuckDBPyConnection,
    table: str,
    columns: Sequence[str],
    rows: Sequence[Sequence],
    on_conflict: str = "",
) -> None:
    """Insert many rows at once (`on_conflict`: an optional ON CONFLICT clause). DuckDB's executemany costs
    about a millisecond a row; passing each column as one list and unnesting them is some thirty times faster."""
    if not rows:
        return
    selects = ", ".join("unnest(?)" for _ in columns)  # DuckDB casts each list to its column's type
    con.execute(
        f"INSERT INTO {table} ({', '.join(columns)}) SELECT {selects} {on_conflict}",
        [list(values) for values in zip(*rows)],
    )


def sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def append_json_lines(path: Path, records: Sequence[dict]) -> None:
    """Append records to a journal that is only ever appended to (one JSON object a line), in one write under
    an exclusive lock and fsync'd, so concurrent writers never interleave and a crash never loses a record
    that was reported written."""
    if not records:
        return
    data = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in records).encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
