"""validate(): every rule family's rows from the warehouse, through its GX suite, back as Findings."""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd

from expectations.across_reports import FAMILIES as ACROSS_REPORTS
from expectations.gx_suites import SuiteCheckpoint, SuiteError, SuiteSpec, build_data_docs, new_context
from expectations.prose import FAMILIES as PROSE
from expectations.rules import Check, Family, Source
from expectations.within_report import FAMILIES as WITHIN_REPORT
from expectations.within_report import sum_terms
from nianbao.config import RuleSettings
from nianbao.models import Finding

FAMILIES: tuple[Family, ...] = WITHIN_REPORT + PROSE + ACROSS_REPORTS
# Reports per pass: a family's rows (up to ~180 per report) and GX's copies of them are held for one pass at
# a time, so memory stays flat as the warehouse grows (bench: python -m bench.run --sizes 100,500,2000).
REPORTS_PER_PASS = 250


@dataclass
class Validation:
    findings: list[Finding]
    reports_checked: list[str]
    data_docs_index: Path  # the Data Docs site of this run, for the alert email to link to


def validate(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    rules: RuleSettings,
    data_docs_dir: Path,
    report_ids: list[str] | None = None,
    families: tuple[Family, ...] = FAMILIES,
) -> Validation:
    """Check the reports of the warehouse on `con` (all of them, or `report_ids`) against every family's
    suite (`families`: all of them unless a caller, e.g. a test, names others); cross-report rules compare
    them with any report in the warehouse. Raises SuiteError when a suite cannot be evaluated.

    Validating all reports each run (~3 s per 100 reports) also re-checks a report against a previous
    year's report loaded after it; with `report_ids`, only the named reports are judged."""
    if report_ids is None:
        report_ids = [r for (r,) in con.execute("SELECT report_id FROM reports ORDER BY report_id").fetchall()]
    data_docs_dir.mkdir(parents=True, exist_ok=True)
    context = new_context(data_docs_dir)
    checkpoints: dict[str, SuiteCheckpoint] = {}
    findings: dict[str, Finding] = {}
    passes = [report_ids[i : i + REPORTS_PER_PASS] for i in range(0, len(report_ids), REPORTS_PER_PASS)] or [[]]
    for judged in passes:
        source = Source(con, rules, judged, sum_terms())
        try:
            for family in families:
                if family.name not in checkpoints:
                    spec = SuiteSpec(family.name, tuple(check.expectation() for check in family.checks))
                    checkpoints[family.name] = SuiteCheckpoint(context, spec)
                for found in _family_findings(family, source, checkpoints[family.name], run_id):
                    findings.setdefault(found.finding_id, found)  # a cell both negative and fractional: once
        finally:
            source.close()
    return Validation(list(findings.values()), list(report_ids), build_data_docs(context, data_docs_dir))


def _family_findings(family: Family, source: Source, checkpoint: SuiteCheckpoint, run_id: str) -> list[Finding]:
    """The family's rows for the reports in `source`'s scope, through its checkpoint: a finding per rejected row."""
    try:
        rows = family.rows(source).reset_index(drop=True)
    except Exception as e:  # a query that no longer fits the warehouse is a broken suite
        raise SuiteError(f"suite {family.name}: its rows could not be computed: {type(e).__name__}: {e}") from e
    return [
        _finding(check, rows.iloc[position], source.rules)
        for check, positions in zip(family.checks, checkpoint.run(rows, run_id))
        for position in positions
    ]


def _decimal(value: object) -> Decimal | None:
    """A frame's number (a float: DuckDB hands DECIMAL over as DOUBLE) as the Decimal the report printed."""
    if not isinstance(value, numbers.Real) or isinstance(value, bool) or math.isnan(value):
        return None
    number = float(value)
    return Decimal(int(number)) if number.is_integer() else Decimal(str(number))


def _shown(value: object) -> str:
    number = _decimal(value)
    if number is not None:
        return str(number)
    return "空" if value is None or pd.isna(value) else str(value)


def _finding(check: Check, row: pd.Series, rules: RuleSettings) -> Finding:
    expected = _decimal(row[check.expected_field]) if check.expected_field else None
    observed = _decimal(row[check.observed_field]) if check.observed_field else None
    fields = {key: _shown(value) for key, value in row.items()}
    imbalance = observed - expected if expected is not None and observed is not None else None
    fields["imbalance"] = _shown(None) if imbalance is None else f"{imbalance:+}"
    severity, message = rules.severities.get(check.rule_code, check.severity), check.message.format(**fields)
    look = _human_look(row, rules)
    if look:
        severity, message = "warning", f"{look}{message}"
    return Finding(
        report_id=row["report_id"],
        rule_code=check.rule_code,
        severity=severity,
        location=row["location"],
        expected=expected,
        observed=observed,
        message=f"[{check.rule_code}] " + message,
    )


def _human_look(row: pd.Series, rules: RuleSettings) -> str | None:
    """A finding resting on a cell OCR read unsure is no charge against the agency until a person has looked:
    what to look at, or None. (Families whose rows rest on cells give least_confidence and unsure_cell.)"""
    confidence = row.get("least_confidence")
    if confidence is None or pd.isna(confidence) or confidence >= rules.ocr_confident_at:
        return None
    return f"需要人工核对：扫描件文字识别对 {row['unsure_cell']} 把握不足（置信度 {confidence:.2f}），请对照扫描页核实。"
