"""Stage 6: findings and portal health → the alert emails the office acts on."""

from alerts.compose import Alert, FlaggedFinding, RunSummary, compose_alerts, compose_run_failed

__all__ = ["Alert", "FlaggedFinding", "RunSummary", "compose_alerts", "compose_run_failed"]
