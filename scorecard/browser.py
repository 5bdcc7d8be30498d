"""Headless Chromium (Debian's chromium and chromium-driver) driven by Selenium, to look at the site as an
office does: used by the tests and by docs/screenshots/make_screenshots.py. Nothing is downloaded: the
driver is the system's, and Chromium is started with its network off (no background requests, every host
name unresolvable), so a page that needs the network shows it.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")

FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--host-resolver-rules=MAP * ~NOTFOUND", "--window-size=1400,1000",
)


def available() -> bool:
    return CHROMIUM.exists() and CHROMEDRIVER.exists()


@contextmanager
def chromium() -> Iterator["selenium.webdriver.Chrome"]:  # noqa: F821
    """A headless Chromium with its network log on (see requested_urls)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="nianbao-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.get("about:blank")  # away from the new-tab page, whose requests are the browser's own
    driver.get_log("performance")
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


# the browser's own pages and inline data: neither goes to the network
_NOT_NETWORK = ("chrome://", "chrome-extension://", "about:", "data:")


def requested_urls(driver) -> list[str]:
    """Every URL pages asked for since the last call (Chromium's DevTools network log), but the browser's
    own pages and data: URLs."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            url = message["params"]["request"]["url"]
            if not url.startswith(_NOT_NETWORK):
                urls.append(url)
    return urls
