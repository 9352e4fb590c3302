"""简体中文：概览、漏斗与速度页面。
键与 analytics/i18n/en/funnel.py 相同。"""

TEXT: dict[str, str] = {
    # overview
    "overview.title": "概览",
    "overview.intro": "本期共享漏斗的现状：进入各阶段的数量、金额与赢率。",
    "overview.funnel_cohort": "本期新线索的漏斗（同期群：用于转化率）",
    "overview.flow_counts": "流量：每周进入各阶段的数量（即指标卡所计）",
    "overview.flow_counts_month": "流量：每月进入各阶段的数量（即指标卡所计）",
    "overview.which_to_quote": "**该引用哪个数字。** 指标卡统计本期进入各阶段的全部线索，不论其创建时间"
                               "（流量：**{flow}** 个{stage}）——引用数量时用它。"
                               "漏斗只跟踪本期新建的线索（同期群：目前有 **{cohort}** 个"
                               "到达{stage}）——引用转化率时用它。",
    "overview.funnel": "本期新线索的漏斗",
    "overview.flow": "流量：每周进入各阶段的数量",
    "overview.flow_month": "流量：每月进入各阶段的数量",
    "kpi.new_leads": "新线索",
    "kpi.mqls": "MQL",
    "kpi.sqls": "SQL",
    "kpi.opportunities": "商机",
    "kpi.won_deals": "赢单数",
    "kpi.won_amount": "赢单收入",
    "kpi.pipeline_amount": "新增管道金额",
    "kpi.win_rate": "赢率",
    "kpi.help.new_leads": "本期进入第一个阶段（{stage}）的线索。",
    "kpi.help.stage": "本期内进入{stage}的线索（跳过的阶段按到达的下一个阶段的进入时间计）。",
    "kpi.help.won_deals": "本期内按关闭日期计的赢单商机。",
    "kpi.help.won_amount": "本期内按关闭日期计的赢单商机金额。精确值：{value}。",
    "kpi.help.pipeline_amount": "本期内创建的商机金额。精确值：{value}。",
    "kpi.help.win_rate": "本期内按关闭日期计，赢单 ÷ 已关闭（赢单 + 输单）商机；{closed} 个中赢 {won} 个。",
    "kpi.needs": "需要 {file}。",

    # funnel page
    "funnel.title": "漏斗与转化",
    "funnel.stages": "阶段漏斗",
    "funnel.caption": "同期群：{start} – {end} 创建的线索，按其在 {as_of} 前到达的每个阶段计数；跳过的阶段视为已通过。"
                      "比率 = 占上一阶段的比例，附其合理范围（95% 区间）；灰色 = 不足 {n} 条线索。",
    "funnel.count_axis": "到达该阶段的线索",
    "funnel.count_short": "线索",
    "funnel.rate_short": "自上一阶段",
    "funnel.rate_axis": "自上一阶段的转化率",
    "funnel.conversion": "按细分的同期群转化",
    "funnel.from": "起始阶段",
    "funnel.to": "目标阶段",
    "funnel.by": "细分维度",
    "funnel.window": "时限（天）",
    "funnel.window_help": "只有线索在进入起始阶段后这么多天内到达目标阶段，才计为转化。0 = 不限。",
    "funnel.conversion_caption": "同期群：{start} – {end} 进入{from_stage}的线索；比率 = 在 {as_of} 前{window}到达"
                                 "{to_stage}的比例。误差线：比率的合理范围；灰色斜线 = 不足 {n} 条线索。虚线 = 全部"
                                 "细分。",
    "funnel.window_clause": "在 {days} 天内",
    "funnel.no_cohort": "在此期间和这些筛选条件下，没有线索进入{stage}。",
    "funnel.flow": "随时间的流量",
    "funnel.grain": "统计粒度",
    "grain.week": "周",
    "grain.month": "月",
    "funnel.flow_caption": "流量：进入各阶段的时间落在该{grain}内的线索，{start} – {end}，数据截至 {as_of}。"
                           "阴影部分的期间只有一部分在范围内。",
    "funnel.cohort_vs_flow": "同期群与流量：该用哪个数字",
    "funnel.cohort_vs_flow_body": (
        "**同期群**（漏斗与转化表）跟踪同一组线索：本期进入第一个阶段的线索。它回答*“三月成为 MQL 的线索中，"
        "有多少成为了 SQL？”*近期的同期群仍有线索在途，其比率会随时间上升；用时限（如 30 天）才能公平比较同期群。\n\n"
        "**流量**（期间数量）统计每周或每月发生的事：进入某阶段的时间落在其中的线索，不论来自哪个同期群。它回答"
        "*“上周我们产生了多少 SQL？”*两个流量相除并不是转化率：两个数字是不同的线索。\n\n"
        "线索跳过的阶段视为已通过，时间为它到达的下一个阶段的进入时间。"),

    # velocity page
    "velocity.title": "速度与停滞线索",
    "velocity.distribution": "阶段停留时间",
    "velocity.box_caption": "阶段天数 = 进入到达的下一个阶段 − 进入本阶段，统计 {start} – {end} 开始、在 {as_of} "
                            "前结束的停留；跳过的阶段没有时长。箱体 = 第 25–75 百分位，线 = 中位数，须线 = 第 10–90 "
                            "百分位，"
                            "◆ = 平均值。",
    "velocity.days_axis": "阶段天数",
    "velocity.trend": "按月的阶段天数中位数",
    "velocity.trend_caption": "按进入阶段的月份统计的阶段天数中位数，{start} – {end}（至少最近 12 个月），数据截至 "
                              "{as_of}；空心点表示停留次数不足 {n}。",
    "velocity.month_axis": "进入阶段的月份",
    "velocity.cycle": "端到端",
    "velocity.lead_to_won": "线索到赢单（中位数）",
    "velocity.sales_cycle": "销售周期（中位数）",
    "velocity.cycle_value": "{days} 天",
    "velocity.cycle_help": "中间一半：{p25} – {p75} 天；平均 {mean} 天；n = {n}。",
    "velocity.cycle_caption": "线索到赢单 = 进入赢单 − 线索创建；销售周期 = 商机关闭 − 创建（赢单商机）；"
                              "{start} – {end} 关闭的赢单。",
    "velocity.no_cycle": "在此期间和这些筛选条件下没有赢单。",
    "velocity.no_stays": "此选择中尚无完成的阶段停留：线索进入之后的阶段后才计入。",
    "velocity.stalled": "停滞线索",
    "velocity.stalled_count": "在所选阶段中，{as_of} 时有 **{count}** 条线索停滞（所有阶段共 {total} 条）。",
    "velocity.stalled_caption": "{as_of} 时的停滞：线索的最新阶段仍未结束，且停留时间超过该阶段的阈值（配置的天数，"
                                "否则为该阶段天数的第 90 百分位）。线索筛选生效；期间不生效。",
    "velocity.stalled_order": "最近停滞（超出阈值天数最少）的排在前面：仍值得挽回的线索。选择一行可打开该线索的旅程。",
    "velocity.stalled_by_owner": "按负责人的停滞线索",
    "velocity.stalled_stages": "阶段",
    "velocity.stalled_stages_help": "默认显示移交之后的阶段（销售跟进的线索）；加入第一个阶段可查看仍在市场培育中的线"
                                    "索。",
    "velocity.stalled_axis": "停滞线索",
    "velocity.no_stalled": "{as_of} 时没有停滞线索：每条未结束的线索都在其阶段阈值之内。",
}
