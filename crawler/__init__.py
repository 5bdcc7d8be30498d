"""The crawler stage: portal columns → annual-report documents in the raw store, plus a record of every
request (see crawler.core.crawl_portal)."""

from crawler.core import crawl_portal, state_after
from crawler.filetypes import media_type_of
from crawler.store import RawStore

__all__ = ["crawl_portal", "state_after", "RawStore", "media_type_of"]
