"""The office's emails over real nightly runs of a portal on 127.0.0.1 and a real SMTP server: a finding
confirmed with `nianbao findings confirm` puts the agency's 整改通知 into the next county email and not the
one after; a report the portal replaces under its URL is announced once as corrected, with the old version's
findings resolved by the correction and those still present."""

from __future__ import annotations

import email
import email.policy

import duckdb
import pytest
from typer.testing import CliRunner

from cli import app
from demo_portal.mail_sink import MailSink
from flows.nightly import nightly
from nianbao.config import PROJECT_DIR
from tests.helpers import one_report_portal
from tests.hostile import HostileSite, data

pytestmark = pytest.mark.usefixtures("prefect_harness")

DOCUMENTS = PROJECT_DIR / "demo_portal" / "documents"
TITLE = "平罗县城关镇人民政府2020年政府信息公开工作年度报告"
NOTICE = "关于平罗县城关镇人民政府政府信息公开工作年度报告存在问题的整改通知（草稿）"


def _county_texts(sink, since: int) -> list[str]:
    """The plain text of each daily county email the sink got after the first `since` messages."""
    texts = []
    for saved in sink.received[since:]:
        if saved.recipients == ["pl@example.test"] and "每周警告汇总" not in saved.subject:
            message = email.message_from_bytes(saved.eml.read_bytes(), policy=email.policy.default)
            texts.append(message.get_body(("plain",)).get_content())
    return texts


def test_a_confirmed_finding_is_noticed_once_and_a_replaced_report_announced_once(tmp_path, pipeline_config):
    with HostileSite() as site, MailSink(tmp_path / "outbox", port=0) as sink:
        config = one_report_portal(site, pipeline_config, tmp_path, sink.port, (DOCUMENTS / "004.pdf").read_bytes(),
                                   TITLE, recipients=["pl@example.test"])

        def run() -> list[str]:
            before = len(sink.received)
            nightly(portals_file=str(config.portals_file), settings_file=str(config.settings_file))
            return _county_texts(sink, before)

        [first] = run()  # 004: figures that do not reconcile
        assert "新发现的问题" in first and "整改通知" not in first
        with duckdb.connect(str(config.warehouse), read_only=True) as con:
            [(old_id,)] = con.execute("SELECT report_id FROM reports").fetchall()
            errors = con.execute("SELECT finding_id, rule_code FROM dq_findings WHERE report_id = ? AND "
                                 "severity = 'error' ORDER BY finding_id", [old_id]).fetchall()
        confirmed_id = errors[0][0]
        result = CliRunner().invoke(app, ["findings", "confirm", confirmed_id[:10], "--reason", "已电话核实",
                                          "--by", "王科长", "--settings", str(config.settings_file)])
        assert result.exit_code == 0, result.output

        [second] = run()
        assert "整改通知（草稿，1 份）" in second and NOTICE in second and "新发现的问题" not in second
        assert run() == []  # nothing new, the notice sent: no email at all
        with duckdb.connect(str(config.warehouse), read_only=True) as con:
            # told by the county's email and the province's digest of that run
            assert con.execute("SELECT DISTINCT o.kind, a.kind, split_part(a.covers[1], ' ', 1) FROM alert_announcements a "
                               "JOIN alert_outbox o USING (message_id) ORDER BY ALL").fetchall() == [
                ("county", "correction_notice", confirmed_id), ("province", "correction_notice", confirmed_id)]
        assert (config.data_dir / "decisions" / "announcements.jsonl").read_text("utf-8").count(confirmed_id) == 2

        # the portal puts a corrected file under the same URL
        site.routes["/xxgk/nb/report.pdf"] = data((DOCUMENTS / "001.pdf").read_bytes(), "application/pdf")
        [third] = run()
        with duckdb.connect(str(config.warehouse), read_only=True) as con:
            new_id = con.execute("SELECT report_id FROM reports WHERE superseded_by IS NULL").fetchone()[0]
            still = con.execute(
                """SELECT count(*) FROM dq_findings o WHERE o.report_id = ? AND o.severity = 'error' AND EXISTS (
                       SELECT 1 FROM dq_findings n WHERE n.report_id = ? AND n.rule_code = o.rule_code
                       AND n.location = o.location)""", [old_id, new_id]).fetchone()[0]
            # the confirmed finding was on the old document: superseded with the others
            assert con.execute("SELECT status FROM dq_findings WHERE finding_id = ?", [confirmed_id]).fetchone() == (
                "superseded",)
        assert "报告已更正/替换（1 份）" in third and "原版本：" in third and "新版本：" in third
        gone = len(errors) - still
        if gone:
            assert f"原版本的以下问题在新版本中已消除（{gone} 项）" in third
        if still:
            assert f"原版本的以下问题在新版本中仍然存在（{still} 项" in third
        assert NOTICE not in third  # its only finding is superseded: no notice is due
        assert all("报告已更正" not in text for text in run())  # announced once
