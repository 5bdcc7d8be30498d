"""The table codes: the contract between extractor, warehouse, suites and SQL users."""

from __future__ import annotations

from pathlib import Path

import pytest

from nianbao import schema
from nianbao.config import PROJECT_DIR

SHARED = PROJECT_DIR.parent / "shared" / "schema" / "report_tables.yaml"


@pytest.mark.skipif(not SHARED.exists(), reason="../shared is not beside this checkout")
def test_the_packaged_contract_is_the_shared_one():
    assert (Path(schema.__file__).parent / "report_tables.yaml").read_bytes() == SHARED.read_bytes()


def test_the_application_table_has_25_rows_in_2021_and_23_in_2019():
    assert len(schema.application_rows("gen2021")) == 25
    assert len(schema.application_rows("gen2019")) == 23
    assert [c.code for c in schema.applicant_columns()][-1] == "total"


def test_review_and_litigation_is_three_groups_of_five_outcomes():
    groups, outcomes = schema.review_litigation()
    assert len(groups) * len(outcomes) == 15


def test_legacy_indicators_carry_their_units():
    units = {c.code: c.unit for c in schema.legacy_indicators()}
    assert units["request.received"] == "件" and units["fees_10k_yuan"] == "万元"
