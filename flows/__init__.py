"""Prefect flows: the nightly run and the backfill, wiring the stages' plain functions."""

from __future__ import annotations

import os
from collections.abc import MutableMapping

# Prefect's analytics thread trips over the ephemeral server's SQLite ("database is locked"), and there is no
# internet to send them to anyway. Every process that runs a flow, a Prefect server or a test harness gets it.
PREFECT_DEFAULTS = {"PREFECT_SERVER_ANALYTICS_ENABLED": "false"}


def with_prefect_defaults(env: MutableMapping[str, str]) -> MutableMapping[str, str]:
    for name, value in PREFECT_DEFAULTS.items():
        env.setdefault(name, value)
    return env


with_prefect_defaults(os.environ)  # on import of the package: before flows.nightly imports Prefect
