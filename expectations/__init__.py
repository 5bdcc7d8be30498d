"""Great Expectations suites: the reconciliation rules (勾稽关系) of the reports in the warehouse → Findings.

    from expectations import validate
    validation = validate(con, run_id, settings.rules, settings.data_docs_dir)
"""

from expectations.gx_suites import SuiteError
from expectations.run import FAMILIES, Validation, validate

__all__ = ["FAMILIES", "SuiteError", "Validation", "validate"]
