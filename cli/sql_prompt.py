"""`nianbao sql`'s side facing a person: the interactive prompt (prompt_toolkit) and how results and errors
are shown. The queries run in the sandbox of warehouse.read.

The prompt: history kept between sessions (↑/↓, Ctrl-R), Emacs line editing, completion of table, view and
column names and SQL keywords (Tab), a query ends with ';' (Enter before that continues it), at most `shown`
rows printed (how many there are said), a bad query answered in one line. Ctrl-D quits.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
from prompt_toolkit import PromptSession
from prompt_toolkit.completion import WordCompleter
from prompt_toolkit.history import FileHistory
from prompt_toolkit.key_binding import KeyBindings
from rich.console import Console
from rich.table import Table

import warehouse.read
from nianbao.config import SqlSettings

KEYWORDS = ("SELECT", "FROM", "WHERE", "GROUP", "ORDER", "BY", "HAVING", "LIMIT", "JOIN", "LEFT", "USING",
            "ON", "AND", "OR", "NOT", "IN", "LIKE", "NULL", "DISTINCT", "count", "sum", "max", "min",
            "DESC", "AS", "WITH", "DESCRIBE", "SHOW", "TABLES")


def warehouse_names(path: Path) -> list[str]:
    """The tables and views of the warehouse and their columns, for completion."""
    _, rows = warehouse.read.query(
        path,
        """SELECT table_name FROM duckdb_tables() WHERE NOT internal
           UNION SELECT view_name FROM duckdb_views() WHERE NOT internal
           UNION SELECT column_name FROM duckdb_columns() WHERE NOT internal ORDER BY 1""",
    )
    return [name for (name,) in rows]


def describe_error(error: Exception) -> str:
    """One line: DuckDB's message without its context drawing (LINE 1: … ^^^), its suggestion kept, and
    what the sandbox (warehouse.read.sandbox) means by a refusal."""
    lines = [line for line in str(error).strip().splitlines() if line.strip()]
    text = " ".join([lines[0], *[line for line in lines[1:2] if line.startswith("Did you mean")]])
    if any(said in text for said in ("disabled by configuration", "disabled through configuration", "has been locked")):
        text += " — refused: nianbao sql is read-only (files and settings are off limits); export with --csv, --xlsx or --parquet"
    elif "maximum execution time" in text:
        text += " — stopped at the statement time limit (sql.time_limit_seconds in the settings)"
    return text


def print_result(console: Console, columns: list[str], rows: list[tuple], more: bool, shown: int) -> None:
    """At most `shown` rows as a table, and how many there are (`more`: the sandbox stopped fetching)."""
    table = Table(*columns)
    for row in rows[:shown]:
        table.add_row(*("" if v is None else str(v) for v in row))
    console.print(table)
    total = f"more than {len(rows)}" if more else str(len(rows))
    hidden = len(rows) - shown
    console.print(f"{total} rows" + (f" ({'some' if more else hidden} more not shown: add LIMIT/WHERE, or export "
                                     "with --csv/--xlsx)" if more or hidden > 0 else ""))


def run_prompt(path: Path, console: Console, history: Path, limits: SqlSettings, shown: int = 50,
               **session_options) -> None:
    """The prompt loop; each query runs in the sandbox of `limits`. `session_options` go to PromptSession
    (the tests pass a pipe input and a dummy output)."""
    history.parent.mkdir(parents=True, exist_ok=True)
    keys = KeyBindings()

    @keys.add("enter")
    def _enter(event) -> None:
        """Enter runs the query once it ends with ';', and starts a new line of it before."""
        buffer = event.current_buffer
        if buffer.text.strip().endswith(";") or not buffer.text.strip():
            buffer.validate_and_handle()
        else:
            buffer.insert_text("\n")

    session = PromptSession(
        history=FileHistory(str(history)),
        completer=WordCompleter([*KEYWORDS, *warehouse_names(path)], ignore_case=True),
        complete_while_typing=False,
        multiline=True,
        key_bindings=keys,
        prompt_continuation="     ...> ",
        **session_options,
    )
    console.print(f"{path}（只读 read-only）. End a query with ';'. Tab completes names, ↑ recalls, Ctrl-D quits.")
    while True:
        try:
            text = session.prompt("nianbao> ")
        except EOFError:
            return
        except KeyboardInterrupt:  # Ctrl-C drops the query being typed
            continue
        if not text.strip():
            continue
        try:
            columns, rows, more = warehouse.read.sandboxed_query(path, text, limits)
        except duckdb.Error as e:  # a typo in a query must not end the session, nor fill the screen
            console.print(f"[red]{describe_error(e)}[/red]", markup=True, highlight=False)
            continue
        print_result(console, columns, rows, more, shown)
