"""No alert is lost: with the SMTP server down for a whole run, the run publishes, says so (runs.status, the
Prefect state, the run-summary artifact) and keeps every email in the warehouse's outbox; the next run, with
the server up, delivers each of them exactly once. Real nightly flow runs on the demo portal, a real SMTP
server (aiosmtpd) on 127.0.0.1."""

from __future__ import annotations

import email
import email.policy

import duckdb
import pytest
import yaml
from prefect import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

from demo_portal.mail_sink import MailSink, free_port
from flows.nightly import nightly

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("prefect_harness")]


def test_smtp_down_for_one_run_then_up_delivers_every_alert_exactly_once(tmp_path, demo_portal_url, pipeline_config):
    port = free_port()  # nothing listens there during the first run
    config = pipeline_config(tmp_path, demo_portal_url, port, county_recipients=True)
    settings = yaml.safe_load(config.settings_file.read_text("utf-8"))
    settings["alerts"]["smtp"] |= {"attempts": 2, "retry_seconds": 0.1, "timeout_seconds": 5}
    config.settings_file.write_text(yaml.safe_dump(settings, allow_unicode=True), "utf-8")
    run = lambda: nightly(portals_file=str(config.portals_file), settings_file=str(config.settings_file),  # noqa: E731
                          return_state=True)

    down = run()
    summary = down.result()
    assert down.is_completed() and down.name == "SucceededWithUndeliveredAlerts"
    assert summary.alerts_sent == 0 and summary.alerts_undelivered >= 2
    with duckdb.connect(str(config.warehouse), read_only=True) as con:
        assert con.execute("SELECT status FROM runs WHERE run_id = ?", [summary.run_id]).fetchone() == (
            "succeeded_with_undelivered_alerts",)
        queued = con.execute("SELECT message_id, attempts, last_error FROM alert_outbox WHERE status = 'pending'").fetchall()
    assert len(queued) == summary.alerts_undelivered
    assert all(attempts == 2 and "Connection refused" in error for _, attempts, error in queued)
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[down.state_details.flow_run_id])))
    [artifact] = [a for a in artifacts if a.key == "nianbao-run-summary"]
    assert f"{summary.alerts_undelivered} 封提醒邮件未送达" in artifact.data

    with MailSink(tmp_path / "outbox", port=port) as sink:
        up = run()
        again = run()
    assert up.name == "Completed" and up.result().alerts_sent == len(queued) and up.result().alerts_undelivered == 0
    assert again.result().alerts_sent == 0  # nothing new, nothing pending: nothing sent twice
    received = [email.message_from_bytes(m.eml.read_bytes(), policy=email.policy.default) for m in sink.received]
    assert sorted(m["Message-ID"] for m in received) == sorted(message_id for message_id, _, _ in queued)
    with duckdb.connect(str(config.warehouse), read_only=True) as con:
        assert con.execute("SELECT DISTINCT status, sent_run FROM alert_outbox").fetchall() == [("sent", up.result().run_id)]
        assert con.execute("SELECT status FROM runs WHERE run_id = ?", [up.result().run_id]).fetchone() == ("succeeded",)
