"""Screenshots of the scorecard site as the demo makes it (docs/screenshots/*.png).

    .venv/bin/python docs/screenshots/make_screenshots.py

Runs the nightly flow once on the bundled demo portal (served on a free port of 127.0.0.1, the alert email to
a local SMTP sink) into a temporary folder, records two decisions as an office would (a row_total finding
confirmed, one 应报未报 year waived), rewrites the site, and has headless Chromium (Debian's chromium and
chromium-driver) take full-page screenshots of the province overview and of 平罗县's page. Needs a CJK font
for the Chinese (Debian: fonts-noto-cjk).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import yaml

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")  # as the CLI does

from demo_portal.mail_sink import MailSink  # noqa: E402
from demo_portal.server import DEMO_BASE_URL, serve  # noqa: E402
from flows.nightly import nightly  # noqa: E402
from nianbao.config import DEFAULT_PORTALS, load_settings  # noqa: E402
from scorecard import browser, write_site  # noqa: E402
from warehouse.read import query  # noqa: E402
from warehouse.triage import DecisionJournal, record_decision  # noqa: E402

HERE = Path(__file__).resolve().parent


def _config(folder: Path, base_url: str, smtp_port: int) -> tuple[Path, Path]:
    registry = yaml.safe_load(DEFAULT_PORTALS.read_text("utf-8"))
    for portal in registry["portals"]:
        portal["column_url"] = portal["column_url"].replace(DEMO_BASE_URL, base_url)
    portals, settings = folder / "config" / "portals.yaml", folder / "config" / "pipeline.yaml"
    portals.parent.mkdir(parents=True)
    portals.write_text(yaml.safe_dump(registry, allow_unicode=True), "utf-8")
    settings.write_text(yaml.safe_dump({
        "data_dir": str(folder / "data"),
        "crawler": {"requests_per_second_per_host": 50},
        "alerts": {"provincial_recipients": ["gongkaiban@example.test"],
                   "smtp": {"host": "127.0.0.1", "port": smtp_port, "sender": "nianbao@example.test"}},
    }, allow_unicode=True), "utf-8")
    return portals, settings


def _full_page(driver, url: str, out: Path) -> None:
    driver.get(url)
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1400, max(height + 40, 600))
    driver.save_screenshot(str(out))
    print(f"wrote {out}")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="nianbao-screenshots-") as tmp:
        folder = Path(tmp)
        server, base_url = serve(0)
        try:
            with MailSink(folder / "outbox", port=0) as sink:
                portals, settings_file = _config(folder, base_url, sink.port)
                nightly(portals_file=str(portals), settings_file=str(settings_file))
        finally:
            server.shutdown()
        settings = load_settings(settings_file)
        published, journal = settings.warehouse_path, DecisionJournal(settings.decisions_journal)
        _, [(flagged,)] = query(published, "SELECT finding_id FROM dq_findings WHERE rule_code = 'row_total' LIMIT 1")
        record_decision(published, journal, flagged, "confirmed", "已电话核实，表中总计列有误", "王科长")
        _, [(missing,)] = query(published, """SELECT finding_id FROM dq_findings WHERE rule_code = 'not_published'
                                              AND county = '平罗县' ORDER BY agency, year LIMIT 1""")
        record_decision(published, journal, missing, "waived", "该年度报告在县政府门户另一栏目发布", "王科长")
        index = write_site(published, settings.scorecard_dir, "demo")
        with browser.chromium() as driver:
            _full_page(driver, index.as_uri(), HERE / "scorecard-overview.png")
            driver.get(index.as_uri())
            href = driver.find_element("link text", "平罗县").get_attribute("href")
            _full_page(driver, href, HERE / "scorecard-county-pingluo.png")


if __name__ == "__main__":
    main()
