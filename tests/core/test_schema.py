"""The table codes: the contract between extractor, warehouse, suites and SQL users.

The project's copy, nianbao/report_tables.yaml, is the contract from now on. It is the shared file word for
word, plus a block of project additions at its end (the legacy sums as data, legacy_sums and legacy_at_most);
the shared folder is read-only here."""

from __future__ import annotations

from pathlib import Path

import pytest

from nianbao import schema
from nianbao.config import PROJECT_DIR

SHARED = PROJECT_DIR.parent / "shared" / "schema" / "report_tables.yaml"


PROJECT_ADDITIONS = "\n# ---- project additions: not in ../shared/schema/report_tables.yaml"


@pytest.mark.skipif(not SHARED.exists(), reason="../shared is not beside this checkout")
def test_the_packaged_contract_is_the_shared_one_plus_the_project_additions_at_its_end():
    packaged = (Path(schema.__file__).parent / "report_tables.yaml").read_text("utf-8")
    assert packaged.index(PROJECT_ADDITIONS) == len(SHARED.read_text("utf-8"))
    assert packaged.startswith(SHARED.read_text("utf-8"))


def test_the_legacy_sums_as_data_say_what_the_rules_prose_says():
    prose = " ".join(schema.raw()["rules"]["legacy"].split())
    for total, parts in schema.raw()["legacy_sums"].items():
        right = f"sum({parts[0]})" if parts == [f"{parts[0][:-2]}.*"] else " + ".join(parts)
        assert f"{total} = {right}" in prose
    for total, parts in schema.legacy_at_most().items():
        assert f"{total} <= " in prose and all(part in prose for part in parts)
    assert set(schema.legacy_sums()["request.answered"]) == {
        c.code for c in schema.legacy_indicators() if c.code.startswith("answer.")}


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
