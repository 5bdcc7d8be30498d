"""One small adapter per CMS family: how to page through a column and find its items.

Each adapter module has
    detect(page: Page) -> bool                       does the column page look like this family?
    list_items(first: Page, fetch_page) -> Iterator[ListItem]
where fetch_page(url, form=None, referer=None) -> Page | None fetches a further list page (None when it
failed; the core has recorded why).
"""

from __future__ import annotations

from types import ModuleType

from crawler.pages import Page
from crawler.platforms import generic, gkmlpt, hanweb, jsonapi, trs

ADAPTERS: dict[str, ModuleType] = {
    "hanweb": hanweb, "trs": trs, "gkmlpt": gkmlpt, "jsonapi": jsonapi, "generic": generic,
}


def adapter_for(cms: str, column: Page) -> ModuleType:
    """The registry's choice, or when it says "auto", the first family whose marks the page carries."""
    if cms != "auto":
        return ADAPTERS[cms]
    for adapter in (hanweb, trs, gkmlpt, jsonapi):
        if adapter.detect(column):
            return adapter
    return generic
