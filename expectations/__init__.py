"""Great Expectations suites: the reconciliation rules (勾稽关系) of the reports in the warehouse → Findings.

    from expectations import validate_and_record
    validation = validate_and_record(con, run_id, settings.rules, settings.data_docs_dir)  # findings recorded
"""

from expectations.gx_suites import SuiteError
from expectations.record import validate_and_record, validation_counts
from expectations.run import FAMILIES, Validation, validate

__all__ = ["FAMILIES", "SuiteError", "Validation", "validate", "validate_and_record", "validation_counts"]
