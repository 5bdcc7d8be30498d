"""Validate the building warehouse and record the findings in it: what the nightly flow, `nianbao validate`
and the benchmark all do, written once."""

from __future__ import annotations

from pathlib import Path

import duckdb

import warehouse.load
import warehouse.read
from expectations.run import Validation, validate
from nianbao.config import RuleSettings


def validate_and_record(con: duckdb.DuckDBPyConnection, run_id: str, rules: RuleSettings,
                        data_docs_dir: Path) -> Validation:
    """Every current report of the warehouse on `con` (not superseded by a newer version) through the suites;
    the findings recorded under `run_id` (a finding keeps its id across runs, is resolved when gone, reopened
    when back; a superseded report's findings stay superseded)."""
    validation = validate(con, run_id, rules, data_docs_dir, warehouse.read.current_report_ids(con))
    warehouse.load.load_findings(con, run_id, validation.reports_checked, validation.findings)
    return validation


def validation_counts(validation: Validation) -> dict[str, int]:
    """What a run that only validates records as its counts."""
    return {"reports_checked": len(validation.reports_checked), "findings": len(validation.findings)}
