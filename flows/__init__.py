"""Prefect flows: the nightly run and the backfill, wiring the stages' plain functions."""
