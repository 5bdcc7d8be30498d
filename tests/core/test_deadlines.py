"""Deadlines by agency level and report year (nianbao/deadlines.py), and agency identity (nianbao/agencies.py)."""

from __future__ import annotations

from datetime import date

import pytest

from nianbao.agencies import agency_id, identify, name_in_title
from nianbao.config import DeadlineSettings, RuleSettings
from nianbao.deadlines import agency_level, publication_deadline


@pytest.mark.parametrize(
    "name, level",
    [
        ("淮安市洪泽区人民政府", "government"),
        ("洪泽区政府", "government"),
        ("平罗县", "government"),  # a county-wide report under the county's bare name
        ("宁夏回族自治区人民政府", "government"),
        ("上海市人民政府办公厅", "department"),  # the office's own report
        ("平罗县人民政府办公室", "department"),
        ("保康县农业农村局", "department"),
        ("石嘴山市住房和城乡建设局", "department"),  # 城乡 inside a department's name
        ("某某经济开发区管委会", "department"),
        ("平罗县城关镇人民政府", "township"),
        ("隆阳区西邑乡", "township"),
        ("银川市兴庆区凤凰北街街道办事处", "township"),
        ("某旗某苏木", "township"),
        (None, None),
    ],
)
def test_level_from_the_name(name, level):
    assert agency_level(name) == level


def test_level_override_wins():
    assert agency_level("某某经济开发区管委会", {"某某经济开发区管委会": "government"}) == "government"


LAW = DeadlineSettings()


@pytest.mark.parametrize(
    "level, year, due",
    [
        ("department", 2021, date(2022, 1, 31)),
        ("government", 2021, date(2022, 3, 31)),
        ("township", 2021, date(2022, 1, 31)),
        (None, 2021, date(2022, 3, 31)),  # unknown level: never late on a guess
        ("department", 2019, date(2020, 1, 31)),  # the first year under 条例(2019)
        ("department", 2018, date(2019, 3, 31)),  # 条例(2007) 第三十一条: every agency
        ("township", 2016, date(2017, 3, 31)),
    ],
)
def test_deadline_by_level_and_year(level, year, due):
    assert publication_deadline(level, year, LAW).due == due


def test_the_rule_is_named():
    assert publication_deadline("department", 2021, LAW).rule.startswith("部门报告应于次年1月31日前公布")
    assert "第四十九条" in publication_deadline("government", 2021, LAW).rule
    assert "第三十一条" in publication_deadline("government", 2017, LAW).rule


def test_township_date_by_the_most_specific_place():
    local = DeadlineSettings(township="02-10", township_by_place={"怀化市": "02-20", "某县": "02-25", "湖南省": "02-15"})
    assert publication_deadline("township", 2021, local, ("某县", "怀化市", "湖南省")).due == date(2022, 2, 25)
    assert publication_deadline("township", 2021, local, ("别县", "怀化市", "湖南省")).due == date(2022, 2, 20)
    assert publication_deadline("township", 2021, local, ("别县", "别市", "湖南省")).due == date(2022, 2, 15)
    assert publication_deadline("township", 2021, local, ("别县", "别市", "别省")).due == date(2022, 2, 10)
    assert "怀化市" in publication_deadline("township", 2021, local, ("别县", "怀化市", "湖南省")).rule
    # departments keep the law's date wherever they are
    assert publication_deadline("department", 2021, local, ("某县", "怀化市", "湖南省")).due == date(2022, 1, 31)


def test_a_bad_date_in_config_is_refused():
    with pytest.raises(ValueError):
        DeadlineSettings(township="2-30")


@pytest.mark.parametrize(
    "title, name",
    [
        ("淮安市洪泽区人民政府2019年政府信息公开工作年度报告", "淮安市洪泽区人民政府"),
        ("平罗县城关镇人民政府 2020 年政府信息公开年度报告", "平罗县城关镇人民政府"),
        ("2019年上海市人民政府办公厅政府信息公开工作年度报告", "上海市人民政府办公厅"),
        ("某县人民政府关于2020年度政府信息公开工作年度报告", "某县人民政府"),
        ("2020年政府信息公开工作年度报告", None),
        (None, None),
    ],
)
def test_name_in_title(title, name):
    assert name_in_title(title) == name


def test_one_agency_whatever_form_of_its_name():
    ids = {
        agency_id(name, "江苏省", "淮安市", "洪泽区", {})
        for name in ("淮安市洪泽区人民政府", "洪泽区人民政府", "洪泽区政府", "江苏省淮安市洪泽区人民政府", "洪泽县人民政府")
    }
    assert ids == {"江苏省/洪泽区/人民政府"}
    bureau = {agency_id(n, "宁夏回族自治区", "石嘴山市", "平罗县", {}) for n in ("平罗县发改局", "平罗县发展和改革局", "县发展和改革局")}
    assert bureau == {"宁夏回族自治区/平罗县/发展和改革局"}
    town = {agency_id(n, "宁夏回族自治区", "石嘴山市", "平罗县", {}) for n in ("平罗县城关镇人民政府", "城关镇", "城关镇政府")}
    assert town == {"宁夏回族自治区/平罗县/城关镇人民政府"}
    market = {agency_id(n, "福建省", "平潭综合实验区", "平潭综合实验区", {})
              for n in ("平潭综合实验区市场监督管理局", "市场监督管理局", "市场监管局")}
    assert market == {"福建省/平潭综合实验区/市场监督管理局"}  # 市场 is a word, not the 市 of a city
    assert agency_id("县市政管理局", "某省", "某市", "某县", {}) == "某省/某县/市政管理局"
    assert agency_id("市政府办公室", "某省", "某市", "某县", {}) == agency_id("县人民政府办公室", "某省", "某市", "某县", {})
    zone = {agency_id(n, "某省", "某市", "某县", {}) for n in ("某县工业园区管委会", "某县工业园区管理委员会")}
    assert len(zone) == 1
    # different agencies stay apart
    assert agency_id("平罗县人民政府办公室", "宁夏回族自治区", "石嘴山市", "平罗县", {}) != agency_id(
        "平罗县人民政府", "宁夏回族自治区", "石嘴山市", "平罗县", {})
    assert agency_id(None, "某省", "某市", "某县", {}) is None


def test_a_zones_own_管委会_is_its_government():
    """平潭综合实验区 2014 (real corpus) is titled 平潭综合实验区管委会…, its other years 平潭综合实验区…: one agency,
    the zone's own (本级) report; a 管委会 inside a county stays a 管委会 of its own."""
    place = ("福建省", "平潭综合实验区", "平潭综合实验区")
    assert {agency_id(n, *place, {}) for n in ("平潭综合实验区管委会", "平潭综合实验区管理委员会", "平潭综合实验区")} == {
        "福建省/平潭综合实验区/人民政府"}
    assert identify(None, "平潭综合实验区管委会2014年度政府信息公开工作年度报告", None, *place, RuleSettings()) == (
        "福建省/平潭综合实验区/人民政府", "government")
    assert identify(None, "某县工业园区管委会2021年度政府信息公开工作年度报告", None, "某省", "某市", "某县", RuleSettings()) == (
        "某省/某县/工业园区管理委员会", "department")


def test_a_declared_rename_joins_the_two_names():
    renames = {"平罗县农牧局": "平罗县农业农村局"}
    old = agency_id("平罗县农牧局", "宁夏回族自治区", "石嘴山市", "平罗县", renames)
    assert old == agency_id("平罗县农业农村局", "宁夏回族自治区", "石嘴山市", "平罗县", renames)
    assert old != agency_id("平罗县农牧局", "宁夏回族自治区", "石嘴山市", "平罗县", {})


def test_the_title_decides_whose_report_it_is():
    """泰州: the 本级政府 report is put out by the government's office (发布机构 市政府办)."""
    rules = RuleSettings()
    assert identify("泰州市人民政府2017年政府信息公开工作年度报告", None, "市政府办", "江苏省", "泰州市", "泰州市", rules) == (
        "江苏省/泰州市/人民政府", "government")
    assert identify(None, "2020年政府信息公开工作年度报告", "平罗县财政局", "宁夏回族自治区", "石嘴山市", "平罗县", rules) == (
        "宁夏回族自治区/平罗县/财政局", "department")
    assert identify(None, "年度报告", None, "某省", "某市", "某县", rules) == (None, None)


# Real reports' publication facts (title or agency, place, report year, the date the page shows), read from
# stored copies of the public pages named; the verdict is the law's.
REAL_PUBLICATIONS = [
    # http://www.fzja.gov.cn/xjwz/zwgk/zfxxgk/zfxxgknb/201707/t20170721_1341809.htm (来源：区人民政府办公室, 2017-01-12)
    ("福州市晋安区2016年政府信息公开工作年度报告", "区人民政府办公室", ("福建省", "福州市", "晋安区"), 2016, date(2017, 1, 12), 0),
    # https://zwinkt.com/zwgk/art/2018/2/28/art_46355_1634538 (a copy of the 泰州 portal page: 发布机构 市政府办,
    # 发文日期 2018-02-28): on time under 条例(2007); a single 1月31日 deadline called it 28 days late
    ("泰州市人民政府2017年政府信息公开工作年度报告", "市政府办", ("江苏省", "泰州市", "泰州市"), 2017, date(2018, 2, 28), 0),
    # http://www.baokang.gov.cn/xxgk/xxgknb/nbzl/bm_33093/bkxnyncj/202202/t20220218_2719545.shtml: a 部门's 2021 report
    # published 2022-02-18, late
    ("政府信息公开工作年度报告", "保康县农业农村局", ("湖北省", "襄阳市", "保康县"), 2021, date(2022, 2, 18), 18),
    # https://www.np.gov.cn/cms/html/npszf/2013-01-25/1779102018.html
    ("南平市2012年政府信息公开工作年度报告", None, ("福建省", "南平市", "南平市"), 2012, date(2013, 1, 25), 0),
    # tests/fixtures/real/shanghai-office-2019 (发布日期 2020-01-31) and shuyang-fgj-2023 (公开日期 2024-01-17)
    ("2019年上海市人民政府办公厅政府信息公开工作年度报告", None, ("上海市", "上海市", "上海市"), 2019, date(2020, 1, 31), 0),
    ("沭阳县发展和改革局2023年政府信息公开年度报告", "沭阳县发展和改革局", ("江苏省", "宿迁市", "沭阳县"), 2023, date(2024, 1, 17), 0),
]


@pytest.mark.parametrize("title, publisher, place, year, published, days_late", REAL_PUBLICATIONS,
                         ids=[t for t, *_ in REAL_PUBLICATIONS])
def test_real_reports_are_late_only_when_the_law_says_so(title, publisher, place, year, published, days_late):
    province, city, county = place
    _, level = identify(None, title, publisher, province, city, county, RuleSettings())
    due = publication_deadline(level, year, DeadlineSettings(), (county, city, province)).due
    assert max((published - due).days, 0) == days_late
