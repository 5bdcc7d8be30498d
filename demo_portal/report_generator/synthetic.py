"""A realistic synthetic report whose every cell holds a distinct value, so that a cell read into the
wrong place cannot go unnoticed, while the form's identities (勾稽关系) hold."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from demo_portal.report_generator.identities import identity_breaks
from demo_portal.report_generator.spec import Block, ReportSpec, parse_value, table_keys
from nianbao import schema


def synthetic_spec(seed: int, generation: str, year: int, agency: str, *, prose_paragraphs: int = 4) -> ReportSpec:
    """A realistic report whose every cell holds a distinct value (a cell read into the wrong place shows),
    with a few blank or "/" cells, and with the form's identities holding (blank counts as 0)."""
    rng = random.Random(f"{seed}|{generation}|{year}|{agency}")
    for _ in range(2000):  # sums can collide with drawn values: draw again until every table is distinct
        cells = _synthetic_cells(rng, generation)
        if not repeated_values(cells):
            break
    else:
        raise RuntimeError(f"no draw with distinct cell values for {generation}")
    written = date(year + 1, 1, rng.randint(8, 22))
    period = f"本报告所列数据统计期限自{year}年1月1日起至{year}年12月31日止"
    spec = ReportSpec(
        key=f"synthetic-{generation}-{seed}",
        agency=agency,
        title=f"{agency}{year}年政府信息公开工作年度报告",
        year=year,
        generation=generation,
        written_date=written,
        period_sentence=period,
        blocks=[],
        cells=cells,
    )
    spec.blocks = _synthetic_blocks(spec, rng, prose_paragraphs)
    breaks = identity_breaks(spec)
    if breaks:
        raise AssertionError(f"synthetic spec breaks its identities: {breaks}")
    return spec


def repeated_values(cells: dict[tuple[str, str, str], str]) -> list[tuple[str, Decimal]]:
    """(table, value) pairs printed in more than one cell of the same table (blanks aside)."""
    seen: set[tuple[str, Decimal]] = set()
    repeats = []
    for (table_code, _, _), text in cells.items():
        value = parse_value(text)
        if value is not None:
            if (table_code, value) in seen:
                repeats.append((table_code, value))
            seen.add((table_code, value))
    return repeats


def _distinct(rng: random.Random, n: int, low: int, high: int) -> list[int]:
    return rng.sample(range(low, high), n)


def _synthetic_cells(rng: random.Random, generation: str) -> dict[tuple[str, str, str], str]:
    if generation == "legacy":
        return _synthetic_legacy(rng)
    return {**_synthetic_proactive(rng, generation), **_synthetic_application(rng, generation), **_synthetic_review(rng)}


def _blank_some(rng: random.Random, values: dict, keys: list, count: int) -> dict:
    """Print `count` of these cells (zero in truth) as a blank, "/" or "—", as real forms do."""
    texts = {k: str(v) for k, v in values.items()}
    for k in rng.sample(keys, count):
        values[k] = 0
        texts[k] = rng.choice(["", "/", "—"])
    return texts


def _synthetic_application(rng: random.Random, generation: str) -> dict:
    rows = [r.code for r in schema.application_rows(generation)]
    cols = [c.code for c in schema.applicant_columns()][:-1]
    results = rows[rows.index("granted") : rows.index("results_total")]
    free_rows = results + ["carried_over", "carried_forward"]
    draw = iter(_distinct(rng, len(free_rows) * len(cols), 1, 3 * len(free_rows) * len(cols)))
    a = {(r, c): next(draw) for r in free_rows for c in cols}
    leaves = [(r, c) for r in results for c in cols]
    texts = _blank_some(rng, a, leaves, 3)
    for c in cols:
        a["results_total", c] = sum(a[r, c] for r in results)
        # carried_over is drawn below results_total, so the stated identity leaves new_received positive
        a["carried_over", c] = a["carried_over", c] % max(a["results_total", c] // 3, 1) + 1
        a["new_received", c] = a["results_total", c] + a["carried_forward", c] - a["carried_over", c]
        for r in ("results_total", "carried_over", "new_received"):
            texts[r, c] = str(a[r, c])
    out = {}
    for r in rows:
        for c in cols:
            out["application", r, c] = texts[r, c]
        out["application", r, "total"] = str(sum(a[r, c] for c in cols))
    return out


def _synthetic_review(rng: random.Random) -> dict:
    groups, outcomes = schema.review_litigation()
    parts = [o.code for o in outcomes[:-1]]
    draw = iter(_distinct(rng, len(groups) * len(parts), 1, 40))
    v = {(g.code, o): next(draw) for g in groups for o in parts}
    texts = _blank_some(rng, v, list(v), 1)
    out = {("review_litigation", g, o): t for (g, o), t in texts.items()}
    for g in groups:
        out["review_litigation", g.code, "total"] = str(sum(v[g.code, o] for o in parts))
    return out


def _synthetic_proactive(rng: random.Random, generation: str) -> dict:
    keys = table_keys(generation, "proactive")
    draw = iter(_distinct(rng, len(keys), 3, 900))
    out = {}
    for key in keys:
        _, row, measure = key
        n = next(draw)
        if row == "art20_1.rules":
            text = "/"  # a county has no power to make 规章
        elif measure == "change":
            text = f"{rng.choice('+-')}{n % 50 + 1}" if row != "art20_8.fees" else "0"
        elif measure == "amount_10k_yuan":
            text = f"{n / 7:.2f}"
        elif measure == "amount":
            text = f"{n * 1000 + rng.randint(1, 999)}元"
        else:
            text = str(n)
        out[key] = text
    return out


def _synthetic_legacy(rng: random.Random) -> dict:
    codes = [i.code for i in schema.legacy_indicators()]
    draw = iter(_distinct(rng, len(codes), 2, 400))
    v = {c: next(draw) for c in codes}
    v["fees_10k_yuan"], v["org.budget_10k_yuan"] = Decimal(rng.randint(1, 99)) / 100, Decimal(rng.randint(101, 999)) / 10
    texts = _blank_some(rng, v, ["channel.gazette", "response.interview_heads", "refused.commercial_secret"], 2)
    sums = schema.legacy_sums()
    for total, parts in sorted(sums.items(), key=lambda item: any(p in sums for p in item[1])):  # sub-totals first
        v[total] = sum(v[p] for p in parts)
        texts[total] = str(v[total])
    for total, parts in schema.legacy_at_most().items():
        v[total] = sum(v[p] for p in parts) - rng.randint(1, 9)  # one item on several channels counts once
        texts[total] = str(v[total])
    return {("legacy", c, "value"): texts[c] for c in codes}


_WORK_PARAGRAPHS = (
    "{short}严格落实政府信息公开保密审查制度，坚持“先审查、后公开”和“一事一审”原则，全年未发生泄密事件。",
    "{short}按照“谁公开、谁解读”的原则，对涉及群众切身利益的政策文件同步开展解读，通过图文、问答等形式提高政策知晓度。",
    "{short}进一步规范政府信息公开专栏，及时更新机构职能、规划计划、财政预决算、重点领域信息等栏目内容。",
    "{short}将政务公开工作纳入年度目标责任考核，定期通报各站所、各村（社区）信息发布情况，推动工作落实。",
    "{short}加强政务新媒体管理，严格执行信息发布“三审三校”制度，确保发布内容准确、规范、及时。",
    "{short}在便民服务中心设置政府信息公开查阅点，配备查阅设备，方便群众查阅和申请政府信息。",
    "{short}围绕乡村振兴、社会救助、惠农补贴等群众关注领域，按季度公示资金发放和项目实施情况。",
    "{short}组织工作人员参加政务公开业务培训，学习《中华人民共和国政府信息公开条例》，提升依法公开能力。",
)


def _synthetic_blocks(spec: ReportSpec, rng: random.Random, prose_paragraphs: int) -> list[Block]:
    short = spec.agency.removesuffix("人民政府")
    short = short[short.find("县") + 1 :] if "县" in short else short
    work = [t.format(short=short if i == 0 else "") for i, t in enumerate(rng.sample(_WORK_PARAGRAPHS, k=len(_WORK_PARAGRAPHS)))]
    work = (work * (prose_paragraphs // len(work) + 1))[:prose_paragraphs]
    intro = (
        f"根据《中华人民共和国政府信息公开条例》规定，现公布{spec.agency}{spec.year}年政府信息公开工作年度报告。"
        f"{spec.period_sentence}。本报告电子版可在县人民政府门户网站查阅或下载。如有疑问或意见建议，请与{spec.agency}党政办公室联系。"
    )
    blocks = [Block("title", spec.title), Block("paragraph", intro)]
    if spec.generation == "legacy":
        v = lambda code: spec.cells["legacy", code, "value"]  # noqa: E731
        blocks += [
            Block("heading", "一、概述"),
            *[Block("paragraph", p) for p in work],
            Block("heading", "二、主动公开政府信息情况"),
            Block("paragraph", f"{spec.year}年，{short}主动公开政府信息{v('proactive.total')}条，其中主动公开规范性文件{v('proactive.normative_docs')}条。"),
            Block("heading", "三、依申请公开政府信息情况"),
            Block("paragraph", f"{spec.year}年，共收到政府信息公开申请{v('request.received')}件，办结{v('request.closed')}件。"),
            Block("heading", "四、因政府信息公开申请行政复议、提起行政诉讼情况"),
            Block("paragraph", f"全年发生政府信息公开行政复议{v('review.total')}件，行政诉讼{v('litigation.total')}件。"),
            Block("heading", "五、存在的主要问题及改进措施"),
            Block("paragraph", "主要问题是公开内容的深度和广度还有待拓展，信息发布的时效性有待提高。下一步将进一步完善工作机制，加强人员培训。"),
            Block("caption", f"{short}{spec.year}年度政府信息公开情况统计表"),
            Block("table", "legacy"),
        ]
    else:
        a = lambda row: spec.cells["application", row, "total"]  # noqa: E731
        blocks += [
            Block("heading", "一、总体情况"),
            *[Block("paragraph", p) for p in work],
            Block("heading", "二、主动公开政府信息情况"),
            Block("table", "proactive"),
            Block("heading", "三、收到和处理政府信息公开申请情况"),
            Block("paragraph", f"{spec.year}年，共收到政府信息公开申请{a('new_received')}件，上年结转{a('carried_over')}件，办结{a('results_total')}件，结转下年度继续办理{a('carried_forward')}件。"),
            Block("table", "application"),
            Block("heading", "四、政府信息公开行政复议、行政诉讼情况"),
            Block("table", "review_litigation"),
            Block("heading", "五、存在的主要问题及改进情况"),
            Block("paragraph", "一是政策解读的形式还不够丰富；二是基层政务公开标准化规范化水平有待提升。下一步将加强业务培训，完善公开目录，提升公开质量。"),
            Block("heading", "六、其他需要报告的事项"),
            Block("paragraph", "本年度未收取信息处理费。"),
        ]
    blocks.append(Block("signature", f"{spec.agency}\n{spec.written_date.year}年{spec.written_date.month}月{spec.written_date.day}日"))
    return blocks
