"""Great Expectations suites: the reconciliation rules (勾稽关系) of the reports in the warehouse → Findings.

    from expectations import validate_and_record
    validation = validate_and_record(con, run_id, settings.rules, settings.data_docs_dir)  # findings recorded

The suites' names are imported on first use: Great Expectations costs seconds to import, and a run that only
judges publication (expectations.publication) does not need it.
"""

__all__ = ["FAMILIES", "SuiteError", "Validation", "validate", "validate_and_record", "validation_counts"]


def __getattr__(name: str):
    if name == "SuiteError":
        from expectations.gx_suites import SuiteError

        return SuiteError
    if name in ("validate_and_record", "validation_counts"):
        import expectations.record

        return getattr(expectations.record, name)
    if name in __all__:
        import expectations.run

        return getattr(expectations.run, name)
    raise AttributeError(f"module 'expectations' has no attribute {name!r}")
