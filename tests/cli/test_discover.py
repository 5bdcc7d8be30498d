"""`nianbao discover`: registry entries for a province from a list of county home pages, against the portal
sites of tests/crawler/portal_sites.py served on 127.0.0.1; the entries load as a registry."""

from __future__ import annotations

import yaml
from typer.testing import CliRunner

from cli import app
from demo_portal.server import serve
from nianbao.config import load_portals
from tests.crawler import portal_sites as sites


def test_a_province_is_registered_from_a_list_of_home_pages(tmp_path):
    root = tmp_path / "sites"
    sites.build_sites(root)
    server, base_url = serve(0, root, sites.QueryHandler)
    server.log = []
    settings = tmp_path / "config" / "pipeline.yaml"
    settings.parent.mkdir()
    settings.write_text(yaml.safe_dump({"crawler": {"requests_per_second_per_host": 200, "retries": 0}}), "utf-8")
    homes = tmp_path / "homes.txt"
    homes.write_text(
        f"# 甲省的县\n{base_url}/jiaxian/index.html 甲市\n{base_url}/yixian/index.html 乙市\n"
        f"{base_url}/bingxian/index.html\n{base_url}/jixian/index.html\n", "utf-8")
    try:
        result = CliRunner().invoke(app, ["discover", "--from", str(homes), "--province", "甲省", "--city", "丙市",
                                          "--settings", str(settings)])
    finally:
        server.shutdown()
        server.server_close()

    assert result.exit_code == 1  # 己县's site has no column anyone can read: said, not hidden
    assert f"# {base_url}/jixian/index.html: 未找到年报栏目" in result.output
    registry = tmp_path / "portals.yaml"
    registry.write_text(result.output, "utf-8")
    portals = load_portals(registry)
    assert [(p.county, p.city, p.column_url.removeprefix(base_url), p.cms) for p in portals] == [
        ("甲县", "甲市", sites.JIA_COLUMN, "trs"),
        ("乙区", "乙市", sites.YI_COLUMN, "hanweb"),
        ("丙县", "丙市", sites.BING_COLUMN, "jsonapi"),
    ]
    assert [p.portal_id for p in portals] == ["127-0-0-1-jiaxian", "127-0-0-1-yixian", "127-0-0-1-bingxian"]
    assert {p.province for p in portals} == {"甲省"}
