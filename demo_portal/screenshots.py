"""Screenshots of what the office receives, for docs/screenshots/: the demo's nightly run on 127.0.0.1 (demo
portal, a real SMTP sink), then headless Chromium photographs the county's email, the province's digest and
the run report's pages.

    python -m demo_portal.screenshots     # installs Debian's chromium and fonts-noto-cjk with apt when missing
"""

from __future__ import annotations

import os

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

import shutil  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

from prefect import flow  # noqa: E402

from demo_portal.mail_sink import MailSink  # noqa: E402
from demo_portal.server import demo_portals, serve  # noqa: E402
from flows.nightly import run_pipeline  # noqa: E402
from nianbao.config import PROJECT_DIR, AlertSettings, CrawlerSettings, Settings, SmtpSettings  # noqa: E402

OUT = PROJECT_DIR / "docs" / "screenshots"
# As root, with no network: no sandbox, and none of Chromium's own connections (machine notes, python.md).
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars", "--host-resolver-rules=MAP * ~NOTFOUND"]


def chromium() -> str:
    """Debian's Chromium, with the CJK fonts the pages need, installed with apt when missing."""
    if not shutil.which("chromium") or not Path("/usr/share/fonts/opentype/noto").exists():
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium", "chromium-driver",
                        "fonts-noto-cjk"], check=True, env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    return shutil.which("chromium")


def screenshot(page: Path, png: Path, height: int, profile: Path) -> None:
    subprocess.run([chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--window-size=1200,{height}",
                    f"--screenshot={png}", page.resolve().as_uri()], check=True, capture_output=True, timeout=120)
    print(f"wrote {png}")


@flow(name="nianbao-screenshots")
def demo_run(portals, settings):
    return run_pipeline(portals, settings, {"screenshots": True})


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        server, base_url = serve(0)
        try:
            with MailSink(folder / "outbox", port=0) as sink:
                settings = Settings(
                    data_dir=folder / "data",
                    crawler=CrawlerSettings(requests_per_second_per_host=200),
                    alerts=AlertSettings(provincial_recipients=["gongkaiban@example.test"],
                                         smtp=SmtpSettings(port=sink.port, sender="nianbao@example.test")),
                )
                summary = demo_run(demo_portals(base_url), settings)
        finally:
            server.shutdown()
            server.server_close()
        daily = {tuple(m.recipients): m for m in sink.received if "每周警告汇总" not in m.subject}
        county = next(m for recipients, m in daily.items() if recipients != ("gongkaiban@example.test",))
        report = Path(summary.report)
        shots = [
            (county.html, "email-county.png", 1500),
            (daily[("gongkaiban@example.test",)].html, "email-province.png", 1700),
            (report, "report-province.png", 1700),
            (next(report.parent.glob("county-*.html")), "report-county.png", 1100),
        ]
        for page, name, height in shots:
            screenshot(page, OUT / name, height, folder / "chromium-profile")


if __name__ == "__main__":
    main()
