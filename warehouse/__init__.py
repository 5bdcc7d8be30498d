"""The DuckDB warehouse: versioned schema, idempotent loads, atomic publish, read-only queries.

    with warehouse.building(published) as con:      # a new file, migrated; published atomically on exit
        warehouse.load.start_run(con, run_id, started_at, params)
        ...
    warehouse.read.query(published, "SELECT ...")     # read-only, never blocks nor is blocked by a run
"""

from warehouse import load, read
from warehouse.publish import WarehouseBusy, building
from warehouse.schema import migrate

__all__ = ["WarehouseBusy", "building", "load", "migrate", "read"]
