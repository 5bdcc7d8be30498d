"""The warehouse schema: versioned SQL migrations, and the code tables filled from the contract.

Migrations are the files warehouse/migrations/NNN_name.sql, applied in order, each in its own transaction
and recorded in schema_migrations; a warehouse made by an older nianbao upgrades in place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

import duckdb

from nianbao import schema
from warehouse.db import insert_rows, sql_literal, transaction

_MIGRATION_NAME = re.compile(r"^(?P<version>\d{3})_(?P<name>[a-z0-9_]+)\.sql$")

# Views that repeat a table's columns: their columns carry that table's comments.
_VIEW_COLUMNS_FROM = {"latest_reports": "reports"}

_CODE_ROW_COLUMNS = ("generation", "table_code", "block", "row_code", "position", "label", "unit")
_CODE_COLUMN_COLUMNS = ("generation", "table_code", "block", "column_code", "position", "label")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def migrations() -> list[Migration]:
    """The migration files shipped with the package, in version order."""
    found = []
    for entry in resources.files("warehouse").joinpath("migrations").iterdir():
        m = _MIGRATION_NAME.match(entry.name)
        if m:
            found.append(Migration(int(m["version"]), m["name"], entry.read_text("utf-8")))
    found.sort(key=lambda mig: mig.version)
    versions = [mig.version for mig in found]
    if len(set(versions)) != len(versions):
        raise RuntimeError(f"two migration files share a version number: {versions}")
    return found


def applied_versions(con: duckdb.DuckDBPyConnection) -> list[int]:
    exists = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'schema_migrations'"
    ).fetchone()[0]
    if not exists:
        return []
    return [v for (v,) in con.execute("SELECT version FROM schema_migrations ORDER BY version").fetchall()]


def migrate(con: duckdb.DuckDBPyConnection, target: int | None = None) -> list[int]:
    """Apply the migrations not yet applied (up to `target`, all by default); return the versions applied.
    Then refresh the code tables from nianbao/report_tables.yaml."""
    con.execute(
        """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version    INTEGER PRIMARY KEY,
            name       VARCHAR NOT NULL,
            applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp
        );
        COMMENT ON TABLE schema_migrations IS '数据库结构版本：已执行的迁移脚本（warehouse/migrations/NNN_name.sql）';
        COMMENT ON COLUMN schema_migrations.version IS '迁移版本号';
        COMMENT ON COLUMN schema_migrations.name IS '迁移名称';
        COMMENT ON COLUMN schema_migrations.applied_at IS '执行时间';
        """
    )
    done = set(applied_versions(con))
    applied = []
    for mig in migrations():
        if mig.version in done or (target is not None and mig.version > target):
            continue
        with transaction(con):
            con.execute(mig.sql)
            con.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", [mig.version, mig.name])
        applied.append(mig.version)
    if "code_rows" in _table_names(con):
        refresh_codes(con)
    _inherit_view_comments(con)
    return applied


def _table_names(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {name for (name,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}


def _code_rows_and_columns() -> tuple[list[tuple], list[tuple]]:
    """(code_rows, code_columns) as rows of the warehouse tables. Positions follow the contract's order
    within a table, the same for every generation, so a row sorts the same in a gen2019 and a gen2021 report."""
    rows: list[tuple] = []
    columns: list[tuple] = []
    application_order = {code: i for i, code in enumerate(schema.raw()["application_rows"], start=1)}
    for gen in ("gen2019", "gen2021"):
        rows += [
            (gen, "application", "application", c.code, application_order[c.code], c.label, None)
            for c in schema.application_rows(gen)
        ]
        columns += [
            (gen, "application", "application", c.code, i, c.label)
            for i, c in enumerate(schema.applicant_columns(), start=1)
        ]
        groups, outcomes = schema.review_litigation()
        rows += [
            (gen, "review_litigation", "review_litigation", c.code, i, c.label, None)
            for i, c in enumerate(groups, start=1)
        ]
        columns += [
            (gen, "review_litigation", "review_litigation", c.code, i, c.label)
            for i, c in enumerate(outcomes, start=1)
        ]
        position = 0
        for block in schema.proactive_blocks(gen):
            for c in block.rows:
                position += 1
                rows.append((gen, "proactive", block.item, f"{block.item}.{c.code}", position, c.label, None))
            columns += [(gen, "proactive", block.item, c.code, i, c.label) for i, c in enumerate(block.measures, 1)]
    rows += [
        ("legacy", "legacy", "legacy", c.code, i, c.label, c.unit)
        for i, c in enumerate(schema.legacy_indicators(), start=1)
    ]
    columns.append(("legacy", "legacy", "legacy", "value", 1, "统计数"))
    return rows, columns


def refresh_codes(con: duckdb.DuckDBPyConnection) -> None:
    rows, columns = _code_rows_and_columns()
    tables = _table_names(con)
    with transaction(con):
        con.execute("DELETE FROM code_rows")
        con.execute("DELETE FROM code_columns")
        insert_rows(con, "code_rows", _CODE_ROW_COLUMNS, rows)
        insert_rows(con, "code_columns", _CODE_COLUMN_COLUMNS, columns)
        if "dq_rules" in tables:  # migration 010
            con.execute("DELETE FROM dq_rules")
            insert_rows(con, "dq_rules", ("rule_code", "name", "explanation"),
                        [(code, *texts) for code, texts in schema.rule_texts().items()])
            con.execute("DELETE FROM code_tables")
            insert_rows(con, "code_tables", ("table_code", "title"), list(schema.TABLE_TITLES.items()))


def _inherit_view_comments(con: duckdb.DuckDBPyConnection) -> None:
    for view, table in _VIEW_COLUMNS_FROM.items():
        inherited = con.execute(
            """
            SELECT v.column_name, t.comment
            FROM duckdb_columns() v
            JOIN duckdb_columns() t ON t.table_name = ? AND t.column_name = v.column_name
            WHERE v.table_name = ? AND v.comment IS NULL AND t.comment IS NOT NULL
            """,
            [table, view],
        ).fetchall()
        for column, comment in inherited:
            con.execute(f"COMMENT ON COLUMN {view}.{column} IS {sql_literal(comment)}")

