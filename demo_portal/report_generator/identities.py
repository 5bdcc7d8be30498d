"""The form's identities (勾稽关系) a spec's figures must keep."""

from __future__ import annotations

from decimal import Decimal

from demo_portal.report_generator.spec import ReportSpec, parse_value
from nianbao import schema


def _num(spec: ReportSpec, key: tuple[str, str, str]) -> Decimal:
    return parse_value(spec.cells[key]) or Decimal(0)


def identity_breaks(spec: ReportSpec) -> list[str]:
    """The identities of report_tables.yaml that the spec's own tables break (blank counts as 0), e.g.
    'row_total application[granted,total]: 0 != 1'. The generator's self-check; the pipeline's real
    checks live in expectations/."""
    breaks: list[str] = []

    def check(rule: str, where: str, observed: Decimal, expected: Decimal) -> None:
        if observed != expected:
            breaks.append(f"{rule} {where}: {observed} != {expected}")

    tables = spec.tables()
    if "application" in tables:
        rows = [r.code for r in schema.application_rows(spec.generation)]
        cols = [c.code for c in schema.applicant_columns()]
        a = {(r, c): _num(spec, ("application", r, c)) for r in rows for c in cols}
        for r in rows:
            check("row_total", f"application[{r},total]", a[r, "total"], sum(a[r, c] for c in cols[:-1]))
        results = rows[rows.index("granted") : rows.index("results_total")]
        for c in cols:
            check(
                "stated_identity",
                f"application[*,{c}]",
                a["new_received", c] + a["carried_over", c],
                a["results_total", c] + a["carried_forward", c],
            )
            check("results_total", f"application[results_total,{c}]", a["results_total", c], sum(a[r, c] for r in results))
    if "review_litigation" in tables:
        groups, outcomes = schema.review_litigation()
        for g in groups:
            parts = sum(_num(spec, ("review_litigation", g.code, o.code)) for o in outcomes[:-1])
            check("review_total", f"review_litigation[{g.code},total]", _num(spec, ("review_litigation", g.code, "total")), parts)
    if "legacy" in tables:
        v = {i.code: _num(spec, ("legacy", i.code, "value")) for i in schema.legacy_indicators()}
        for total, parts in schema.legacy_sums().items():
            check("legacy_sum", f"legacy[{total}]", v[total], sum(v[p] for p in parts))
        for total, parts in schema.legacy_at_most().items():
            if v[total] > sum(v[p] for p in parts):
                breaks.append(f"legacy_channels legacy[{total}]: {v[total]} > {sum(v[p] for p in parts)}")
    return breaks
