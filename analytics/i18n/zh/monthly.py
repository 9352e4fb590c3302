"""简体中文：月度复盘。
键与 analytics/i18n/en/monthly.py 相同。"""

TEXT: dict[str, str] = {
    # --- monthly review --------------------------------------------------------------------------
    "monthly.nav": "改进复盘",
    "monthly.page": "月度复盘",
    "monthly.title": "月度改进复盘",
    "monthly.intro": "截至 {as_of} 的最近 12 个月，用于持续改进：趋势、同期群、定义本身以及共同目标。线索：{scope}。"
                     "侧栏的期间不适用于此页。",
    "monthly.trends": "12 个月趋势",
    "monthly.trends_caption": "转化 = 当月移交中 {stage} → {to}；接受率 = 接受 ÷ 已决定的移交；跟进 SLA 合规率按移交"
                              "月份；"
                              "赢率按关闭月份；漏斗总天数中位数 = 各阶段天数中位数之和。阴影 = 95% 区间；空心点表示样"
                              "本不足 {n}；"
                              "阴影月份尚未结束，最近几个月的转化仍在成熟中。",
    "monthly.no_trends": "此选择中还没有趋势。",
    "monthly.drill_metric": "查看某月背后的线索，指标：",
    "monthly.pick_hint": "在表格中选中一个月份，即可查看其背后的线索。",
    "monthly.behind": "{month} **{metric}** 背后的线索：",
    "monthly.cell": "{value} · n {n}",
    "monthly.days_value": "{days} 天",
    "monthly.col.month": "月份",
    "monthly.fmt.month_column": "YYYY年M月",
    "monthly.fmt.axis": "%Y-%m",
    "monthly.days_axis": "天",
    "monthly.fmt.month": "%Y年%m月",
    "monthly.metric.conversion": "转化率（移交 → 合格）",
    "monthly.metric.acceptance": "接受率",
    "monthly.metric.follow_up_compliance": "跟进 SLA 合规率",
    "monthly.metric.win_rate": "赢率",
    "monthly.metric.median_days_through_funnel": "漏斗总天数中位数",
    "monthly.metric.leads": "新线索",
    "monthly.metric.mqls": "MQL",
    "monthly.metric.sals": "SAL",
    "monthly.metric.sqls": "SQL",
    "monthly.metric.opportunities": "商机",
    "monthly.metric.pipeline_amount": "新增管道金额",
    "monthly.metric.won_amount": "赢单收入",

    "monthly.cohorts": "同期群：每月新线索多快到达",
    "monthly.cohort_stage": "到达",
    "monthly.cohorts_caption": "行：线索创建的月份；列：此后的自然月数。每格 = 当月新线索中到那时已到达{stage}的比例。"
                               "空白格对该同期群而言尚在未来，因此年轻的同期群不会显示为“差”。",
    "monthly.no_cohorts": "此选择中还没有线索。",
    "monthly.heat_x": "创建后月数",
    "monthly.heat_y": "创建于",
    "monthly.heat_share": "已到达",
    "monthly.heat_hover": "%{{y}}，+%{{x}} 个月：%{{z:.1%}} 已到达{stage}",
    "monthly.col.cohort_month": "创建于",
    "monthly.col.after": "+{k} 个月",
    "monthly.behind_cohort": "{month} 创建的线索，以及它们何时到达{stage}：",

    "monthly.definitions": "待讨论的定义",
    "monthly.definitions_caption": "两个团队约定的规则，与过去一年数据给出的建议对比。建议值与现行规则相差 10% 或以上"
                                   "时标为“讨论”。",
    "monthly.def.threshold": "销售就绪评分阈值",
    "monthly.def.stall": "{stage}的停滞阈值（天）",
    "monthly.def.follow_up": "跟进 SLA（小时）",
    "monthly.def.decision": "决定 SLA（小时）",
    "monthly.def.recycle": "退回培育 SLA（天）",
    "monthly.def.discuss": "讨论",
    "monthly.def.keep": "保持",
    "monthly.def.default": "采用建议值",
    "monthly.def.not_set": "未设置（第 90 百分位）",
    "monthly.note.f1": "精确率（移交线索中到达 SQL 的比例）与召回率的最佳平衡（F1）",
    "monthly.note.p90": "该阶段天数的第 90 百分位",
    "monthly.note.configured": "在 closed_loop.toml 中配置",
    "monthly.col.definition": "定义",
    "monthly.col.current": "现行",
    "monthly.col.suggested": "数据建议",
    "monthly.col.verdict": "结论",
    "monthly.col.note": "建议依据",

    "monthly.targets": "共同目标的进展",
    "monthly.targets_caption": "达成率 = 每月 实际 ÷ 目标；对尚未结束的月份，进度 = 实际 ÷（目标 × 当月已过比例）。"
                               "达到或超过 100% 为绿色，低于为橙色。全公司目标：侧栏的线索筛选不适用。",
    "monthly.no_targets": "最近 12 个月没有目标：请在导出中加入 targets.csv。",
    "monthly.team_target": "此目标属于某个团队或细分；这里无法列出其线索。",
    "monthly.behind_target": "**{metric}** 背后的线索（或商机），{start} – {end}：",
    "monthly.col.metric": "指标",
    "monthly.col.target": "目标",
    "monthly.col.actual": "实际",
    "monthly.col.elapsed_share": "已过",
    "monthly.col.attainment": "达成率",
    "monthly.col.pacing": "进度",
    "monthly.pack": "复盘材料",
    "monthly.pack_caption": "月度复盘的一份文件：趋势、同期群、定义和目标，可离线阅读。",

    # the review pack (analytics/outputs/pack*.py)
    "pack.cohort_stage": "各月新线索中到达{stage}的比例，按创建后的月数",
    "pack.col.team": "团队",
    # 月度标题：偏离节奏的目标
    "month_attention.title": "本月需要关注的事项",
    "month_attention.badge.pace": "落后进度",
    "month_attention.badge.missed": "未达成",
    "month_attention.pace.red": "**{what}** 在{period}已过 {elapsed} 时为 {actual}："
                                "仅达到目标 {target} 应有进度的 {pct}（截至目前应达 {due}）。",
    "month_attention.pace.amber": "**{what}** 在{period}已过 {elapsed} 时为 {actual}："
                                  "达到目标 {target} 应有进度的 {pct}（截至目前应达 {due}）。",
    "month_attention.missed.red": "**{what}** {period}收于 {actual}，目标 {target}：仅完成 {pct}。",
    "month_attention.missed.amber": "**{what}** {period}收于 {actual}，目标 {target}：完成 {pct}。",
    "month_attention.on_pace": "{period}进度正常：{which}。",
    "month_attention.item": "{rank}. {badge}：{text}",
    "month_attention.verdict.red": "{month}需要关注：{red} 个红色、{amber} 个黄色目标，最紧急的在前。",
    "month_attention.verdict.amber": "{month}有 {amber} 个目标落后于进度，最紧急的在前。",
    "month_attention.verdict.good": "{month}的所有目标进度正常：没有低于按时间折算目标 {amber} 的。",
    "month_attention.caption": "全公司目标（侧栏的线索筛选不影响）。红色：低于按已过时间折算目标的 {red}"
                               "（已结束的月份按全月目标）；黄色：低于 {amber}。"
                               "无论月度波动如何都按进度判断：落后进度本身就是需要讨论的事。",
    "month_attention.drill": "打开背后的线索（或商机）",
    "month_attention.drill_help": "选择一个目标，列出它所统计的线索或商机，每条都可链接到其旅程。",
}
