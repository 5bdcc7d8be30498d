"""The office's registry of expected agencies (config/expected_agencies.csv), as Excel saves it."""

from __future__ import annotations

import pytest

from nianbao.config import ConfigError, load_expected_agencies
from nianbao.models import ExpectedAgency

HEADER = "province,city,county,agency,first_year,last_year,note\n"


def test_a_registry_saved_by_excel_as_utf8_with_bom_or_as_gb18030_is_read(tmp_path):
    text = HEADER + "宁夏回族自治区,石嘴山市,平罗县,平罗县教育局,2019,2022,2023年并入平罗县教育体育局\n"
    for encoding in ("utf-8-sig", "gb18030"):
        path = tmp_path / f"{encoding}.csv"
        path.write_bytes(text.encode(encoding))
        assert load_expected_agencies(path) == [
            ExpectedAgency("宁夏回族自治区", "石嘴山市", "平罗县", "平罗县教育局", 2019, 2022, "office", "2023年并入平罗县教育体育局")]


def test_no_registry_file_is_an_empty_registry(tmp_path):
    assert load_expected_agencies(tmp_path / "none.csv") == []


@pytest.mark.parametrize("row, message", [
    ("宁夏回族自治区,石嘴山市,平罗县,,2019,,", r":2: agency is empty"),
    ("宁夏回族自治区,石嘴山市,平罗县,平罗县教育局,二〇一九,,", r":2: first_year: a report year"),
    ("宁夏回族自治区,石嘴山市,平罗县,平罗县教育局,2022,2019,", r":2: last_year 2019 is before first_year 2022"),
])
def test_a_bad_row_is_named_by_its_line(tmp_path, row, message):
    path = tmp_path / "expected_agencies.csv"
    path.write_text(HEADER + row + "\n", "utf-8")
    with pytest.raises(ConfigError, match=message):
        load_expected_agencies(path)


def test_an_agency_listed_twice_and_a_wrong_header_are_refused(tmp_path):
    path = tmp_path / "expected_agencies.csv"
    row = "宁夏回族自治区,石嘴山市,平罗县,平罗县教育局,2019,,\n"
    path.write_text(HEADER + row + row, "utf-8")
    with pytest.raises(ConfigError, match=r":3: 平罗县 平罗县教育局 is listed twice"):
        load_expected_agencies(path)
    path.write_text("省,市,县,机关\n", "utf-8")
    with pytest.raises(ConfigError, match=r":1: the header lacks province"):
        load_expected_agencies(path)
