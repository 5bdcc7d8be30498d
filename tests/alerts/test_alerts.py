"""The alert email: what the office reads every morning."""

from __future__ import annotations

from decimal import Decimal

from alerts import FlaggedFinding, RunSummary, compose_alerts
from nianbao.models import HealthProblem, Portal

SUMMARY = RunSummary("20270201T020000Z", reports_loaded=5, reports_flagged=1, documents_downloaded=5, fetch_failures=1)
PINGLUO = Portal("pingluo", "宁夏回族自治区", "石嘴山市", "平罗县", "http://127.0.0.1/p/index.html", recipients=("pl@example.test",))
XIJI = Portal("xiji", "宁夏回族自治区", "固原市", "西吉县", "http://127.0.0.1/x/index.html")


def finding(**overrides) -> FlaggedFinding:
    values = dict(
        finding_id="f1", rule_code="row_total", location="application[granted, total]", expected=1, observed=0,
        imbalance=Decimal("-1.0000"), message="总计不等于各申请人之和", county="平罗县", agency="平罗县城关镇人民政府",
        title="平罗县城关镇人民政府2020年政府信息公开年度报告", year=2020,
        document_url="http://127.0.0.1/p/004.pdf", detail_url="http://127.0.0.1/p/t1.html",
    )
    return FlaggedFinding(**(values | overrides))


def compose(findings=(), health=(), **kwargs):
    return compose_alerts(SUMMARY, list(findings), list(health), [PINGLUO, XIJI], ["sheng@example.test"],
                          "file:///data/data_docs/index.html", **kwargs)


def test_nothing_new_sends_nothing_unless_configured():
    assert compose() == []
    [alert] = compose(send_when_nothing_new=True)
    assert "本次运行无新问题" in alert.subject


def test_a_finding_names_report_rule_location_expected_observed_and_links():
    provincial, county = compose([finding()])
    assert provincial.recipients == ("sheng@example.test",)
    assert "1 份年报勾稽不符" in provincial.subject
    for body in (provincial.html, provincial.text):
        assert "平罗县城关镇人民政府2020年政府信息公开年度报告" in body
        assert "(一)予以公开 × 总计" in body
        assert "http://127.0.0.1/p/004.pdf" in body
        assert "file:///data/data_docs/index.html" in body
    assert "<td>1</td><td>0</td><td>-1</td>" in provincial.html


def test_a_county_with_its_own_recipients_gets_only_its_own_findings():
    other = finding(finding_id="f2", county="西吉县", agency="西吉县某局", title="西吉县某局2020年年报")
    provincial, county = compose([finding(), other])
    assert county.recipients == ("pl@example.test",)
    assert "西吉县某局" in provincial.html and "西吉县某局" not in county.html


def test_text_from_the_web_is_escaped_in_the_html():
    [provincial, _] = compose([finding(title='<script>alert("x")</script>年报', agency="A&B")])
    assert "<script>" not in provincial.html
    assert "&lt;script&gt;" in provincial.html and "A&amp;B" in provincial.html


def test_a_portal_that_is_down_is_a_health_problem_in_the_email():
    down = HealthProblem("xiji", "http://127.0.0.1/x/index.html", "unreachable", "connection refused")
    [provincial] = compose(health=[down])
    assert "1 个门户异常" in provincial.subject
    assert "门户无法访问" in provincial.html and "connection refused" in provincial.text
