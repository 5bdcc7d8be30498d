"""The id of a run: its UTC start to the microsecond, so ids sort as the runs started (20261201T223400.123456Z)."""

from __future__ import annotations

from datetime import datetime, timezone


def new_run_id(prefix: str = "") -> str:
    """`prefix` marks runs that are not the pipeline's own (bench-…)."""
    return f"{prefix}{datetime.now(timezone.utc):%Y%m%dT%H%M%S.%fZ}"
