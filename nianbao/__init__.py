"""nianbao (年报): watches county portals for government information disclosure annual reports, loads every
figure into DuckDB and flags the reports whose figures do not reconcile."""

__version__ = "0.2.0"
