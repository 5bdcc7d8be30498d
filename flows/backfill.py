"""Backfill: read one portal's (or every portal's) documents again and reload a range of report years.

Use it after an extractor upgrade, or when a new portal joins the registry with ten years of reports."""

from __future__ import annotations

from pathlib import Path

from prefect import flow
from prefect.states import State

from alerts import RunSummary
from flows.nightly import final_state, run_pipeline
from nianbao.config import DEFAULT_PORTALS, DEFAULT_SETTINGS, load_portals, load_settings


@flow(name="nianbao-backfill")
def backfill(
    first_year: int,
    last_year: int,
    portal_ids: list[str] | None = None,
    portals_file: str = str(DEFAULT_PORTALS),
    settings_file: str = str(DEFAULT_SETTINGS),
) -> RunSummary | State:
    settings = load_settings(Path(settings_file))
    portals = [p for p in load_portals(Path(portals_file)) if not portal_ids or p.portal_id in portal_ids]
    parameters = {"backfill": [first_year, last_year], "portal_ids": portal_ids, "portals_file": portals_file}
    return final_state(run_pipeline(portals, settings, parameters, reextract=True, years=(first_year, last_year)))
