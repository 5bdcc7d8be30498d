"""The registry of agencies that must publish (expected_agencies), rebuilt on every build: the office's own
list (config/expected_agencies.csv) and, for every agency the crawler has seen publishing in a county but the
list does not name, an entry from the first year it was seen. Agencies are matched by their stable id
(nianbao.agencies: 某镇政府 and 某镇人民政府, or a renamed bureau, are one agency). The office's row wins:
that is where it says an agency was abolished (last_year) or began later or earlier than the portal shows."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb

from nianbao.agencies import agency_id
from nianbao.config import EXPECTED_AGENCY_COLUMNS, RuleSettings
from nianbao.deadlines import agency_level
from nianbao.models import ExpectedAgency
from warehouse.db import insert_rows, transaction

_COLUMNS = ("agency_id", "province", "city", "county", "agency", "level", "first_year", "last_year", "source", "note")


def seen_agencies(con: duckdb.DuckDBPyConnection) -> dict[str, ExpectedAgency]:
    """Each agency found publishing in a county (by agency id, under the name of its latest report),
    expected from the first report year it was seen (reports.agency_id is assigned before this runs)."""
    rows = con.execute(
        """
        SELECT agency_id, province, city, county, arg_max(agency, year), min(year) FROM reports
        WHERE agency_id IS NOT NULL AND agency IS NOT NULL AND year IS NOT NULL GROUP BY ALL ORDER BY ALL
        """
    ).fetchall()
    return {row[0]: ExpectedAgency(*row[1:5], first_year=row[5], source="seen") for row in rows}


def refresh_expected_agencies(
    con: duckdb.DuckDBPyConnection, office: list[ExpectedAgency], rules: RuleSettings
) -> None:
    """Replace expected_agencies with the office's entries plus the seen agencies they do not name; levels
    and ids from the agency names and the config's renames and level overrides."""
    registry = seen_agencies(con)
    for e in office:
        registry[agency_id(e.agency, e.province, e.city, e.county, rules.agencies.renames)] = e
    with transaction(con):
        con.execute("DELETE FROM expected_agencies")
        insert_rows(
            con,
            "expected_agencies",
            _COLUMNS,
            [(aid, e.province, e.city, e.county, e.agency, agency_level(e.agency, rules.deadlines.agency_levels),
              e.first_year, e.last_year, e.source, e.note) for aid, e in sorted(registry.items())],
        )


def export_registry(con: duckdb.DuckDBPyConnection, out: Path) -> int:
    """Write the registry as the office's CSV (UTF-8 with BOM, for Excel), to start or refresh its own list
    from what the crawler has seen; returns the number of agencies."""
    rows = con.execute(
        f"SELECT {', '.join(EXPECTED_AGENCY_COLUMNS)}, source FROM expected_agencies "
        "ORDER BY province, city, county, agency"
    ).fetchall()
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(EXPECTED_AGENCY_COLUMNS)
        for *values, source in rows:
            values = ["" if v is None else v for v in values]
            if source == "seen" and not values[-1]:
                values[-1] = f"以往年度发布过报告（首次为 {values[4]} 年度），请核实"
            writer.writerow(values)
    return len(rows)
