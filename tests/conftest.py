"""Shared fixtures: one Prefect test harness per session, the demo portal and an SMTP sink on 127.0.0.1."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

import flows  # noqa: F401 - sets Prefect's defaults (flows/__init__.py) for the harness and every server started
from demo_portal.server import DEMO_BASE_URL
from nianbao.config import DEFAULT_PORTALS
from tests.helpers import row_counts


@pytest.fixture(scope="session")
def prefect_harness():
    """Prefect's own test server costs ~10 s: start it once per session, and only for tests that run flows."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


def pytest_collection_modifyitems(items):
    """A test that needs the Prefect server is slow, so `pytest -m "not slow"` stays a fast loop."""
    for item in items:
        if "prefect_harness" in item.fixturenames:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def demo_portal_url():
    from demo_portal.server import serve

    server, base_url = serve(0)
    yield base_url
    server.shutdown()


@dataclass
class PipelineConfig:
    portals_file: Path
    settings_file: Path
    data_dir: Path

    @property
    def warehouse(self) -> Path:
        return self.data_dir / "warehouse" / "nianbao.duckdb"


@pytest.fixture(scope="session")
def pipeline_config():
    """A factory: pipeline_config(folder, portal_base_url, smtp_port, extra_portals=(), county_recipients=False)."""
    return write_config


def write_config(folder: Path, portal_base_url: str, smtp_port: int, extra_portals: list[dict] = (),
                 county_recipients: bool = False) -> PipelineConfig:
    """The demo registry pointed at a test server, and settings with a private data folder."""
    registry = yaml.safe_load(DEFAULT_PORTALS.read_text("utf-8"))
    for portal in registry["portals"]:
        portal["column_url"] = portal["column_url"].replace(DEMO_BASE_URL, portal_base_url)
        if not county_recipients:
            portal.pop("recipients", None)
    registry["portals"] += list(extra_portals)
    config_dir = folder / "config"
    config_dir.mkdir(parents=True, exist_ok=True)
    portals_file = config_dir / "portals.yaml"
    portals_file.write_text(yaml.safe_dump(registry, allow_unicode=True), "utf-8")
    settings = {
        "data_dir": str(folder / "data"),
        "crawler": {"requests_per_second_per_host": 200, "retries": 1, "backoff_seconds": 0.05, "timeout_seconds": 5},
        "alerts": {
            "provincial_recipients": ["gongkaiban@example.test"],
            "smtp": {"host": "127.0.0.1", "port": smtp_port, "sender": "nianbao@example.test"},
        },
    }
    settings_file = config_dir / "pipeline.yaml"
    settings_file.write_text(yaml.safe_dump(settings, allow_unicode=True), "utf-8")
    return PipelineConfig(portals_file, settings_file, folder / "data")


@dataclass
class DemoRuns:
    """The nightly flow run twice in a row on the demo portal, with the emails each run sent."""

    config: PipelineConfig
    first: object  # RunSummary
    first_emails: list
    counts_after_first: dict[str, int]
    second: object
    second_emails: list


@pytest.fixture(scope="session")
def demo_runs(prefect_harness, tmp_path_factory, demo_portal_url) -> DemoRuns:
    from demo_portal.mail_sink import MailSink
    from flows.nightly import nightly

    folder = tmp_path_factory.mktemp("nightly")
    with MailSink(folder / "outbox", port=0) as sink:
        config = write_config(folder, demo_portal_url, sink.port)
        run = lambda: nightly(portals_file=str(config.portals_file), settings_file=str(config.settings_file))  # noqa: E731
        first = run()
        first_emails = list(sink.received)
        counts = row_counts(config.warehouse)
        second = run()
        second_emails = sink.received[len(first_emails):]
    return DemoRuns(config, first, first_emails, counts, second, second_emails)
