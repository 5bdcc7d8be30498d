"""Requests and bytes of a first and a repeated crawl of the demo portal (four county sites, three CMS
families): the repeated crawl must download no document bytes. A third crawl repeats with
crawler.recheck_after_days = 7, as the night after would: only list pages and robots.txt are requested.

Run: python -m bench.crawl_requests   (prints one JSON line per crawl)
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from pathlib import Path

from crawler import RawStore, crawl_portal, state_after
from demo_portal.server import demo_portals, serve
from nianbao.config import CrawlerSettings
from nianbao.models import CrawlState


def main() -> None:
    server, base_url = serve(0)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            store = RawStore(Path(tmp))
            portals = demo_portals(base_url)
            states = {p.portal_id: CrawlState() for p in portals}
            for crawl, recheck_after_days in (("first", 0), ("repeat", 0), ("repeat, recheck_after_days=7", 7)):
                # our own server: no politeness wait
                settings = CrawlerSettings(requests_per_second_per_host=1000, recheck_after_days=recheck_after_days)
                fetches = []
                for portal in portals:
                    result = crawl_portal(portal, settings, store, states[portal.portal_id], crawl)
                    states[portal.portal_id] = state_after(result, states[portal.portal_id])
                    fetches += result.fetches
                print(json.dumps({
                    "crawl": crawl,
                    "requests": sum(f.sent for f in fetches),
                    "bytes": sum(f.bytes for f in fetches),
                    "document_bytes": sum(f.bytes for f in fetches if f.purpose == "document"),
                    "outcomes": dict(Counter(f.outcome for f in fetches)),
                }))
    finally:
        server.shutdown()


if __name__ == "__main__":
    main()
