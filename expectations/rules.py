"""What a rule family is: the SQL (or Python) that computes its reconciliation rows from the warehouse, and the
GX expectations those rows must meet, each tied to the rule code, default severity and Chinese message of
the findings it yields.

Every family's rows carry at least: report_id, location (e.g. "application[granted, total]"), label (the
printed Chinese name of the location), expected and observed. A row an expectation rejects is one finding.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import duckdb
import pandas as pd
import great_expectations.expectations as gxe
from great_expectations.expectations import Expectation

from nianbao.config import RuleSettings

SCOPE = "dq_scope"  # the registered relation of the report_ids being validated (column report_id)
TERMS = "dq_sum_terms"  # the registered relation of the sum rules' terms (expectations.within_report.sum_terms)


@dataclass(frozen=True)
class Check:
    rule_code: str
    severity: str  # the default; RuleSettings.severities overrides it
    expectation: Callable[[], Expectation]  # a fresh expectation per suite (GX binds them to their suite)
    message: str  # str.format template over the rejected row's fields
    # the row fields that become the finding's expected and observed values (None: the finding has none)
    expected_field: str | None = "expected"
    observed_field: str | None = "observed"


@dataclass(frozen=True)
class Family:
    """One suite: a set of rows and the checks they must pass."""

    name: str
    rows: Callable[["Source"], pd.DataFrame]
    checks: tuple[Check, ...]


class Source:
    """The warehouse as the families read it during one validate(): the connection with the reports in scope
    registered as SCOPE (and the sum rules' terms as TERMS), and the rule settings."""

    def __init__(self, con: duckdb.DuckDBPyConnection, rules: RuleSettings, report_ids: list[str], terms: pd.DataFrame):
        self.con = con
        self.rules = rules
        # registered pandas frames rather than temp tables: validate() also works on a read-only connection
        con.register(SCOPE, pd.DataFrame({"report_id": pd.Series(report_ids, dtype=str)}))
        con.register(TERMS, terms)

    def close(self) -> None:
        self.con.unregister(SCOPE)
        self.con.unregister(TERMS)

    def frame(self, sql: str, params: list | None = None) -> pd.DataFrame:
        return self.con.execute(sql, params or []).df()


def equal(rule_code: str, severity: str, message: str) -> Check:
    """observed must equal expected (a sum identity, a year, a generation…)."""
    return Check(rule_code, severity, lambda: gxe.ExpectColumnPairValuesToBeEqual(column_A="expected", column_B="observed"), message)


def at_most(rule_code: str, severity: str, message: str) -> Check:
    """observed must not exceed expected."""
    return Check(
        rule_code,
        severity,
        lambda: gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="expected", column_B="observed", or_equal=True),
        message,
    )
