"""Every run leaves a row, whatever happens: real nightly flow runs against the demo portal, a silent SMTP
server, a second writer holding the lock, and a run killed with SIGKILL in the middle, at the send step and at
the publish step."""

from __future__ import annotations

import email
import email.policy
import os
import signal
import subprocess
import sys
import time

import duckdb
import pytest
import yaml

from demo_portal.mail_sink import MailSink
from flows.nightly import nightly
from nianbao.config import PROJECT_DIR
from nianbao.runs import RunJournal
from tests.helpers import row_counts
from tests.hostile import KillingMailSink, SilentSmtpServer
from warehouse import WarehouseBusy
from warehouse.publish import writer_lock

pytestmark = pytest.mark.usefixtures("prefect_harness")


def _run(config):
    return nightly(portals_file=str(config.portals_file), settings_file=str(config.settings_file))


def _runs(config):
    with duckdb.connect(str(config.warehouse), read_only=True) as con:
        return con.execute("SELECT run_id, status, stage, error, flow_run_id FROM runs ORDER BY started_at").fetchall()


def _set(config, **settings):
    values = yaml.safe_load(config.settings_file.read_text("utf-8"))
    for dotted, value in settings.items():
        *path, last = dotted.split("__")
        node = values
        for key in path:
            node = node.setdefault(key, {})
        node[last] = value
    config.settings_file.write_text(yaml.safe_dump(values, allow_unicode=True), "utf-8")


def test_a_silent_smtp_server_ends_within_the_deadline_and_the_alerts_are_kept(tmp_path, demo_portal_url, pipeline_config):
    with SilentSmtpServer() as smtp:
        config = pipeline_config(tmp_path, demo_portal_url, smtp.port, county_recipients=True)
        _set(config, alerts__smtp__timeout_seconds=1, alerts__smtp__attempts=1)
        summary = _run(config)  # before the deadline this hung for ever after publishing
        connections = smtp.connections
    [(run_id, status, _, error, _)] = _runs(config)
    assert run_id == summary.run_id and status == "succeeded_with_undelivered_alerts" and "alert_outbox" in error
    assert connections == 1  # one SMTP session, cut at its deadline
    with duckdb.connect(str(config.warehouse), read_only=True) as con:
        kept = con.execute("SELECT status, last_error FROM alert_outbox").fetchall()
    # every email is kept for the next run, with why it was not sent
    assert len(kept) == summary.alerts_undelivered >= 1
    assert all(status != "sent" and "timed out" in last_error for status, last_error in kept)


def test_a_run_that_finds_another_building_fails_at_once_with_a_row_and_an_email(tmp_path, demo_portal_url, pipeline_config):
    with MailSink(tmp_path / "outbox", port=0) as sink:
        config = pipeline_config(tmp_path, demo_portal_url, sink.port)
        config.warehouse.parent.mkdir(parents=True)
        with writer_lock(config.warehouse):  # another run is building
            with pytest.raises(WarehouseBusy, match="another run is building") as busy:
                _run(config)
        assert "writer_lock_wait_seconds" in str(busy.value)
        [failure] = sink.received
        assert "运行失败" in failure.subject and "入库" in failure.subject
        body = email.message_from_bytes(failure.eml.read_bytes(), policy=email.policy.default).get_body(("plain",))
        assert "another run is building" in body.get_content()
        second = _run(config)  # the lock is free again
    (failed_id, status, stage, error, _), (second_id, second_status, _, _, _) = _runs(config)
    assert (status, stage) == ("failed", "load") and "WarehouseBusy: another run is building" in error
    assert second_id == second.run_id and second_status == "succeeded"


def _kill_when(journal: RunJournal, stage: str, process: subprocess.Popen, seconds: float = 300) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = [r for r in journal.records() if r.status == "started"]
        if started and started[0].stage == stage:
            os.kill(process.pid, signal.SIGKILL)
            process.wait(30)
            return started[0].run_id
        if process.poll() is not None:
            raise AssertionError(f"the run ended before reaching {stage}: {process.stderr.read()}")
        time.sleep(0.05)
    process.kill()
    raise AssertionError(f"the run did not reach {stage} within {seconds} s")


@pytest.mark.parametrize("stage", ["validate", "alerts"])
def test_a_run_killed_mid_way_is_closed_as_abandoned_by_the_next_and_prefect_is_told(
    tmp_path, demo_portal_url, pipeline_config, stage
):
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL

    with SilentSmtpServer() as smtp:  # a run that reaches the send step waits there until it is killed
        config = pipeline_config(tmp_path, demo_portal_url, smtp.port)
        _set(config, alerts__smtp__timeout_seconds=300)
        env = dict(os.environ, PREFECT_API_URL=PREFECT_API_URL.value(), PYTHONPATH=str(PROJECT_DIR))
        killed = subprocess.Popen(
            [sys.executable, "-c", "import sys; from flows.nightly import nightly; "
             "nightly(portals_file=sys.argv[1], settings_file=sys.argv[2])",
             str(config.portals_file), str(config.settings_file)],
            env=env, stderr=subprocess.PIPE, text=True,
        )
        journal = RunJournal(config.data_dir / "runs")
        killed_id = _kill_when(journal, stage, killed)
    published_before = config.warehouse.exists() and _runs(config)
    with MailSink(tmp_path / "outbox", port=0) as sink:
        _set(config, alerts__smtp__port=sink.port, alerts__smtp__timeout_seconds=30)
        _run(config)
    rows = {run_id: (status, run_stage, error, flow_run_id) for run_id, status, run_stage, error, flow_run_id in _runs(config)}
    status, run_stage, error, flow_run_id = rows[killed_id]
    assert (status, run_stage) == ("abandoned", stage) and "killed or crashed" in error
    with get_client(sync_client=True) as client:
        assert client.read_flow_run(flow_run_id).state.type.value == "CRASHED"
    if stage == "validate":  # killed inside the build: the published warehouse never saw that run's data
        assert not published_before
        assert not config.warehouse.with_name(config.warehouse.name + ".building").exists()


# The nightly run in a process of its own; with `at_publish`, that process SIGKILLs itself exactly when the
# finished build is about to replace the published warehouse: every alert sent, nothing published.
_NIGHTLY_PROCESS = """
import os, signal, sys
if sys.argv[3] == "at_publish":
    replace = os.replace
    def replace_or_die(source, target, *args, **kwargs):
        if str(source).endswith(".duckdb.building"):
            os.kill(os.getpid(), signal.SIGKILL)
        return replace(source, target, *args, **kwargs)
    os.replace = replace_or_die
from flows.nightly import nightly
nightly(portals_file=sys.argv[1], settings_file=sys.argv[2])
"""


@pytest.mark.parametrize("step", ["send", "publish"])
def test_a_run_killed_at_the_send_or_the_publish_step_has_its_alerts_delivered_by_the_next_exactly_once(
    tmp_path, demo_portal_url, pipeline_config, demo_runs, step
):
    from prefect.settings import PREFECT_API_URL

    with KillingMailSink() as sink:
        config = pipeline_config(tmp_path, demo_portal_url, sink.port, county_recipients=True)
        killed = subprocess.Popen(
            [sys.executable, "-c", _NIGHTLY_PROCESS, str(config.portals_file), str(config.settings_file),
             "at_publish" if step == "publish" else "-"],
            env=dict(os.environ, PREFECT_API_URL=PREFECT_API_URL.value(), PYTHONPATH=str(PROJECT_DIR)),
            stderr=subprocess.PIPE, text=True,
        )
        if step == "send":  # killed while the SMTP server holds the second message, the first one accepted
            sink.kill_at_message(2, killed.pid)
        try:
            killed.wait(300)
        finally:
            killed.kill()
        assert killed.returncode == -signal.SIGKILL, killed.stderr.read()
        sent_by_killed = len(sink.received)
        assert sent_by_killed == 1 if step == "send" else sent_by_killed > 1
        _run(config)
        third = _run(config)  # nothing is left to tell
        message_ids = [m.message_id for m in sink.received]
    assert len(message_ids) == len(set(message_ids))  # none twice
    assert len(message_ids) > sent_by_killed if step == "send" else len(message_ids) == sent_by_killed
    assert third.alerts_sent == 0
    killed_run, *later = _runs(config)
    assert killed_run[1:3] == ("abandoned", "alerts" if step == "send" else "publish")
    assert [status for _, status, *_ in later] == ["succeeded", "succeeded"]
    with duckdb.connect(str(config.warehouse), read_only=True) as con:
        outbox = dict(con.execute("SELECT message_id, status FROM alert_outbox").fetchall())
        # every error finding was announced once as new to the province, and once to its county if it has
        # recipients (平罗县)
        told = con.execute(
            """SELECT f.finding_id, count(*) FILTER (o.kind = 'county'), count(*) FILTER (o.kind = 'province')
               FROM dq_findings f LEFT JOIN alert_mentions m ON m.finding_id = f.finding_id AND m.reason = 'new'
               LEFT JOIN alert_outbox o USING (message_id)
               WHERE f.status = 'open' AND f.severity = 'error' GROUP BY ALL"""
        ).fetchall()
    assert set(outbox) == set(message_ids) and set(outbox.values()) == {"sent"}
    assert all(province == 1 and county <= 1 for _, county, province in told) and any(c for _, c, _ in told)
    # the warehouse holds what an uninterrupted run loads: nothing lost, nothing doubled
    assert row_counts(config.warehouse) == demo_runs.counts_after_first


def test_a_report_replaced_on_its_portal_supersedes_the_old_findings(tmp_path, pipeline_config):
    from tests.helpers import one_report_portal
    from tests.hostile import HostileSite, data

    documents = PROJECT_DIR / "demo_portal" / "documents"
    title = "平罗县城关镇人民政府2020年政府信息公开工作年度报告"
    with HostileSite() as site, MailSink(tmp_path / "outbox", port=0) as sink:
        config = one_report_portal(site, pipeline_config, tmp_path, sink.port, (documents / "004.pdf").read_bytes(),
                                   title, recipients=["pl@example.test"])
        _run(config)  # seed 004: a report whose figures do not reconcile
        with duckdb.connect(str(config.warehouse), read_only=True) as con:
            [(old_id,)] = con.execute("SELECT report_id FROM reports").fetchall()
            [(open_findings,)] = con.execute(
                "SELECT count(*) FROM dq_findings WHERE status = 'open' AND report_id = ?", [old_id]).fetchall()
        site.routes["/xxgk/nb/report.pdf"] = data((documents / "001.pdf").read_bytes(), "application/pdf")
        second = _run(config)  # the portal put a corrected file under the same URL
    with duckdb.connect(str(config.warehouse), read_only=True) as con:
        new_id = con.execute("SELECT report_id FROM reports WHERE superseded_by IS NULL").fetchone()[0]
        assert con.execute("SELECT DISTINCT status, superseded_by FROM dq_findings WHERE report_id = ?",
                           [old_id]).fetchall() == [("superseded", new_id)]
        assert con.execute("SELECT superseded_by FROM reports WHERE report_id = ?", [old_id]).fetchone() == (new_id,)
        # the run summary's flagged reports are the current version's only
        flagged = con.execute("SELECT DISTINCT report_id FROM dq_findings WHERE status = 'open'").fetchall()
        assert (old_id,) not in flagged and second.reports_flagged == len(
            [r for r in flagged if con.execute("SELECT count(*) FROM dq_findings WHERE report_id = ? AND status = "
                                               "'open' AND severity = 'error'", [r[0]]).fetchone()[0]])
        assert con.execute("SELECT count(*) FROM dq_findings WHERE report_id = ? AND status = 'superseded'",
                           [old_id]).fetchone()[0] == open_findings
