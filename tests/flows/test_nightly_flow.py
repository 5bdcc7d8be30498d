"""The nightly run, end to end, as real Prefect flow runs against the demo portal on 127.0.0.1, into a real
DuckDB file, with the alert email received by a real SMTP server."""

from __future__ import annotations

import email
import email.policy

import duckdb
import pytest

from tests.helpers import row_counts
from demo_portal.mail_sink import MailSink, free_port
from flows.nightly import nightly

pytestmark = pytest.mark.usefixtures("prefect_harness")


def _run(config):
    return nightly(portals_file=str(config.portals_file), settings_file=str(config.settings_file))


def _sql(config, query):
    with duckdb.connect(str(config.warehouse), read_only=True) as con:
        return con.execute(query).fetchall()


def test_the_demo_run_loads_the_five_reports_and_flags_seed_004(demo_runs):
    config, first = demo_runs.config, demo_runs.first
    assert first.reports_loaded == 5 and first.reports_extracted == 5
    assert first.reports_flagged == 1
    flagged = _sql(
        config,
        """SELECT DISTINCT r.agency, f.rule_code FROM dq_findings f JOIN reports r USING (report_id)
           WHERE f.severity = 'error' ORDER BY ALL""",
    )
    assert flagged == [("平罗县城关镇人民政府", "row_total"), ("平罗县城关镇人民政府", "stated_identity")]


def test_every_figure_is_traced_to_its_document_page_and_extractor_version(demo_runs):
    config = demo_runs.config
    untraced = _sql(
        config,
        """SELECT count(*) FROM report_cells c JOIN reports r USING (report_id)
           WHERE r.document_sha256 IS NULL OR r.extractor_version IS NULL OR c.page IS NULL""",
    )
    assert untraced == [(0,)]


def daily(emails):
    """The daily emails of a run (the weekly warnings digest aside)."""
    return [m for m in emails if "每周警告汇总" not in m.subject]


def test_the_first_run_sends_one_email_with_seed_004s_findings(demo_runs):
    emails = daily(demo_runs.first_emails)
    assert len(emails) == 1
    message = email.message_from_bytes(emails[0].eml.read_bytes(), policy=email.policy.default)
    assert emails[0].recipients == ["gongkaiban@example.test"]
    assert "1 份年报新发现问题" in message["Subject"]
    html = message.get_body(("html",)).get_content()
    text = message.get_body(("plain",)).get_content()
    for body in (html, text):
        assert "平罗县城关镇人民政府" in body
        assert "行合计" in body and "表内恒等式" in body  # row_total and stated_identity, by their Chinese names
    assert "西邑乡2019年政府信息公开年度报告" not in html  # the clean reports are not in the alert
    # the agencies whose later reports are missing are (应报未报), counted apart from the flagged reports
    assert "份年报应报未报" in message["Subject"]
    assert "应报未报" in text and "截至本次运行未在门户网站发现该报告" in text


def test_a_second_run_with_nothing_new_downloads_nothing_duplicates_nothing_and_sends_no_email(demo_runs):
    config, second, second_emails = demo_runs.config, demo_runs.second, demo_runs.second_emails
    assert second.documents_downloaded == 0 and second.reports_extracted == 0
    assert second_emails == []
    assert row_counts(config.warehouse) == demo_runs.counts_after_first
    downloads = _sql(
        config,
        f"""SELECT count(*) FROM fetches WHERE run_id = '{second.run_id}'
            AND purpose = 'document' AND outcome = 'downloaded'""",
    )
    assert downloads == [(0,)]


def test_a_portal_that_is_down_is_named_in_the_email_and_the_others_still_load(tmp_path, demo_portal_url, pipeline_config):
    closed_port = free_port()  # nothing listens there
    down = {
        "id": "down-county",
        "province": "宁夏回族自治区",
        "city": "固原市",
        "county": "西吉县",
        "column_url": f"http://127.0.0.1:{closed_port}/xxgk/zfxxgknb/index.html",
    }
    with MailSink(tmp_path / "outbox", port=0) as sink:
        config = pipeline_config(tmp_path, demo_portal_url, sink.port, extra_portals=[down])
        summary = _run(config)
    assert summary.reports_loaded == 5
    [message] = daily(sink.received)
    html = message.html.read_text("utf-8")
    assert "<b>西吉县</b>：门户无法访问" in html and "无法连接网站服务器" in html


def test_a_backfill_of_one_portal_and_one_year_loads_only_that_years_reports(tmp_path, demo_portal_url, pipeline_config):
    from flows.backfill import backfill

    with MailSink(tmp_path / "outbox", port=0) as sink:
        config = pipeline_config(tmp_path, demo_portal_url, sink.port)
        summary = backfill(
            2020, 2020, portal_ids=["pingluo"],
            portals_file=str(config.portals_file), settings_file=str(config.settings_file),
        )
    assert summary.reports_loaded == 1
    assert _sql(config, "SELECT agency, year FROM reports") == [("平罗县城关镇人民政府", 2020)]
