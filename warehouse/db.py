"""Small DuckDB helpers shared by the warehouse modules."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

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
