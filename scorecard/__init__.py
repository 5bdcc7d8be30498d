"""The county scorecard: a static, self-contained HTML site written from the published warehouse after each
run (province overview, one page per county). Any web server or a shared folder can host it.

    scorecard.write_site(published_warehouse, out_dir)
"""

from scorecard.site import write_site

__all__ = ["write_site"]
