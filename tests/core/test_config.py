"""The registry and the settings are validated when loaded, with errors that name the file and the line."""

from __future__ import annotations

import pytest

from nianbao.config import ConfigError, load_portals, load_settings


def test_the_bundled_registry_lists_the_four_demo_counties():
    assert [p.county for p in load_portals()] == ["平罗县", "兴庆区", "中宁县", "隆阳区"]


def test_a_bad_portal_url_names_the_file_and_its_line(tmp_path):
    registry = tmp_path / "portals.yaml"
    registry.write_text(
        "portals:\n"
        "  - id: ok\n    province: 宁夏\n    city: 银川市\n    county: 兴庆区\n    column_url: http://127.0.0.1/a.html\n"
        "  - id: bad\n    province: 宁夏\n    city: 银川市\n    county: 金凤区\n    column_url: ftp://example/a.html\n",
        "utf-8",
    )
    with pytest.raises(ConfigError, match=rf"{registry}:11: portals.1.column_url"):
        load_portals(registry)


def test_a_duplicate_portal_id_is_refused(tmp_path):
    entry = "  - id: same\n    province: 宁夏\n    city: 银川市\n    county: 兴庆区\n    column_url: http://127.0.0.1/a\n"
    registry = tmp_path / "portals.yaml"
    registry.write_text("portals:\n" + entry + entry, "utf-8")
    with pytest.raises(ConfigError, match="listed twice"):
        load_portals(registry)


def test_an_unknown_setting_is_refused_with_its_line(tmp_path):
    settings = tmp_path / "config" / "pipeline.yaml"
    settings.parent.mkdir()
    settings.write_text("crawler:\n  retries: 2\n  rate: 5\n", "utf-8")
    with pytest.raises(ConfigError, match=r"pipeline.yaml:3: crawler.rate: Extra inputs"):
        load_settings(settings)


def test_relative_paths_are_relative_to_the_project_and_env_overrides_the_warehouse(tmp_path, monkeypatch):
    settings = tmp_path / "config" / "pipeline.yaml"
    settings.parent.mkdir()
    settings.write_text("data_dir: somewhere\n", "utf-8")
    assert load_settings(settings).warehouse_path == tmp_path / "somewhere" / "warehouse" / "nianbao.duckdb"
    monkeypatch.setenv("NIANBAO_WAREHOUSE", str(tmp_path / "w.duckdb"))
    assert load_settings(settings).warehouse_path == tmp_path / "w.duckdb"
