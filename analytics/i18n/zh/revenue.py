"""简体中文：收入页面：赢单/输单、收入贡献、目标与速度。
键与 analytics/i18n/en/revenue.py 相同。"""

TEXT: dict[str, str] = {
    # win / loss
    "winloss.title": "赢单 / 输单",
    "winloss.intro": "赢单与输单的区别在哪里，以便市场完善理想客户画像，销售改进打法。",
    "winloss.overall": "{start} – {end} 关闭的 **{closed}** 个商机中赢了 **{won}** 个：赢率 **{rate}**（95% 区间"
                       " {low} – {high}）。",
    "winloss.no_deals": "在这些筛选条件下，{start} – {end} 没有赢单或输单。请放宽期间（如 365 天）或清除某个筛选。",
    "winloss.factors": "因素排名",
    "winloss.factor": "因素",
    "winloss.factors_caption": "{start} – {end} 关闭的商机：每个因素每个取值的赢率及 95% Wilson 区间；提升倍数 = 比率"
                               " ÷ 整体比率（×）；"
                               "q = 该取值对比其他所有取值的 Fisher 精确检验，经 Benjamini–Hochberg 校正。蓝色 = 显著"
                               "（q < {q}），"
                               "灰色 = 不显著；斜线 = 商机不足 {n} 个。按 q、再按 p 排序；绘出前 20 个。",
    "winloss.significant": "不太可能是偶然",
    "winloss.significant_text": "**{n} 个中有 {count} 个**因素取值对赢输的区分超出偶然（q < {q}）：{cells}——整体为"
                                " {overall}。",
    "winloss.significant_cell": "{factor} = {value} 赢率 {rate}（{closed} 个中 {won} 个）",
    "winloss.none_significant": "在此选择中，{n} 个因素取值的赢率都没有明显高于或低于其余：下面的差异可能只是偶然。"
                                "更长的期间能提供更多商机。",
    "winloss.verdict_better": "**{value}**（{factor}）赢下 **{rate}** 的商机（{closed} 个中 {won} 个），整体为"
                              " {overall}——不太可能是偶然。",
    "winloss.verdict_worse": "**{value}**（{factor}）只赢下 **{rate}** 的商机（{closed} 个中 {won} 个），整体为"
                             " {overall}——不太可能是偶然。",
    "winloss.verdict_more": "另有 {n} 个因素取值的差异超出偶然：见下表。",
    "winloss.show_all": "显示所有因素取值",
    "winloss.factors_plain": "{start} – {end} 关闭的商机：每个取值的赢率及其合理范围。蓝色 = 不太可能是偶然；"
                             "灰色 = 可能是偶然；斜线 = 少于 {n} 个商机。虚线 = 全部已关闭商机。",
    "winloss.factors_method": "范围：95% Wilson 区间。每个取值用 Fisher 精确检验与其他所有商机比较；p 值针对同时检验"
                              "所有取值做 Benjamini–Hochberg 校正得到 q 值，q < {q} 即视为不太可能是偶然。"
                              "提升倍数 = 该取值赢率 ÷ 整体赢率。",
    "winloss.not_significant": "可能是偶然",
    "winloss.no_factors": "{start} – {end} 关闭的商机太少，无法比较因素。",
    "winloss.reasons": "商机为何输、为何赢",
    "winloss.reasons.lost": "输单原因",
    "winloss.reasons.won": "赢单原因",
    "winloss.pareto_caption": "{start} – {end} 关闭的商机按记录的原因，最常见的在前；折线为累计占比。悬停查看金额。",
    "winloss.cumulative": "累计占比",
    "winloss.deals_axis": "商机",
    "winloss.no_lost": "在这些筛选条件下，{start} – {end} 没有输单。",
    "winloss.no_won": "在这些筛选条件下，{start} – {end} 没有赢单。",
    "winloss.by_source": "按来源的输单原因",
    "winloss.worst": "**最大的输单模式**：{cells}——共 {total} 个输单。",
    "winloss.cell": "{segment} × *{reason}*（{n} 个，占该来源输单的 {share}）",
    "winloss.by_source_caption": "{start} – {end} 关闭的输单，按线索来源和输单原因：每格为该原因占该来源输单的比例及"
                                 "次数。",
    "winloss.icp": "理想客户画像",
    "winloss.icp_caption": "由两个属性（行业、公司规模、区域）组成、{start} – {end} 关闭商机至少 {n} 个的细分，"
                           "按赢率 95% 区间的下限排序。虚线 = 全部商机。",
    "winloss.no_icp": "{start} – {end} 没有由两个属性组成且关闭商机达到 {n} 个的细分，因此还没有可信的画像。"
                      "请放宽期间（如 365 天）或清除某个筛选。",

    # revenue contribution
    "revenue.title": "收入贡献",
    "revenue.intro": "闭环报告：市场对收入的贡献、各归因模型如何分配功劳，以及每个活动的回报。",
    "revenue.sourcing": "来源 vs 影响",
    "revenue.sourcing_caption": "赢单收入 = {start} – {end} 按关闭日期的赢单；管道 = 其间创建的商机。市场来源：线索来"
                                "源是配置的"
                                "市场来源；销售来源：其他来源。市场影响：商机创建前有营销触达——它与两种来源都有重叠，"
                                "所以来源的占比合计 100%，影响单独看。",
    "revenue.category.marketing_sourced": "市场来源",
    "revenue.category.sales_sourced": "销售来源",
    "revenue.category.marketing_influenced": "市场影响",
    "revenue.won_axis": "赢单收入",
    "revenue.pipeline_axis": "新增管道金额",
    "revenue.deals": "个商机",
    "revenue.no_deals": "在这些筛选条件下，{start} – {end} 没有创建或赢得商机。",
    "revenue.models": "归因：六个规则模型与两个数据驱动模型并排",
    "revenue.basis": "口径",
    "revenue.basis.won": "赢单收入",
    "revenue.basis.pipeline": "管道",
    "revenue.basis_help": "赢单：赢单商机的金额（按关闭日期）。管道：所有创建的商机金额（按创建日期）。",
    "revenue.by": "功劳归于",
    "revenue.model": "归因模型",
    "revenue.model.first_touch": "首次触达",
    "revenue.model.last_touch": "末次触达",
    "revenue.model.linear": "线性",
    "revenue.model.u_shaped": "U 型",
    "revenue.model.w_shaped": "W 型",
    "revenue.model.time_decay": "时间衰减",
    "revenue.spread": "模型间差距",
    "revenue.credit_axis": "归因金额",
    "revenue.models_caption.won": "{start} – {end} 关闭的赢单：每个商机的金额分配给其线索在商机创建前的触达——首次/末"
                                  "次触达全部给一个，"
                                  "线性平均分配，U 型 40/20/40，W 型 30/30/30 + 10，时间衰减每 7 天减半。灰色条从最低"
                                  "到最高的模型："
                                  "越宽表示模型分歧越大。(no touch) = 没有触达的商机；(none) = 没有该属性的触达。",
    "revenue.models_caption.pipeline": "{start} – {end} 创建的商机：每个商机的金额分配给其线索在商机创建前的触达——首"
                                       "次/末次触达"
                                       "全部给一个，线性平均分配，U 型 40/20/40，W 型 30/30/30 + 10，时间衰减每 7 天"
                                       "减半。"
                                       "灰色条从最低到最高的模型。(no touch) = 没有触达的商机；(none) = 没有该属性的"
                                       "触达。",
    "revenue.no_basis": "在这些筛选条件下，{start} – {end} 没有可归因的{basis}。",
    "revenue.tie_out_ok": "核对：每个模型都恰好分配了已入账的 {booked}（{basis}），其中 {no_touch} 记入 (no touch)——"
                          "没有收入丢失或重复计算。",
    "revenue.tie_out_bad": "核对失败：{model} 与已入账的 {booked}（{basis}）相差 {difference}。请附上导出报告此问题："
                           "各模型合计必须等于入账金额。",
    "revenue.roi": "活动 ROI",
    "revenue.sort": "排序",
    "revenue.roi_caption": "ROI = 归因到该活动的赢单收入（{model} 模型，迄今全部赢单）÷ 活动成本；虚线 = 盈亏平衡（1×"
                           "）。"
                           "对数刻度：每一格是前一格的倍数。"
                           "琥珀色菱形 = 未成熟：有未关闭管道，尚无收入——并非失败（总是绘出，排在最后）。按所选顺序绘"
                           "出前 20 个；"
                           "没有成本的活动没有 ROI，只在表格中。",
    "revenue.roi_table_caption": "每个活动的整个生命周期：成本、原始活动为该活动的线索（每个 MQL / SQL / 商机 / 赢单"
                                 "的成本）"
                                 "以及归因到其触达的赢单收入；期间只筛选在其中开展过的活动。活动没有成本时 ROI 显示 —"
                                 "（无定义）。点击列标题排序。",
    "revenue.roi_axis": "ROI（归因赢单收入 ÷ 成本）",
    "revenue.roi_axis_log": "ROI（归因赢单收入 ÷ 成本），对数刻度",
    "revenue.roi_returned": "赢单收入 ÷ 成本",
    "revenue.roi_immature_legend": "未成熟：有未关闭管道，尚无收入",
    "revenue.roi_nothing_legend": "无收入，也无未关闭管道",
    "revenue.roi_nothing": "0× · 无赢单，无未关闭管道",
    "revenue.roi_immature": "未成熟 · {pipeline} 未关闭管道",
    "revenue.open_pipeline": "未关闭管道",
    "revenue.break_even": "盈亏平衡",
    "revenue.no_roi": "此选择中没有有成本的活动获得归因赢单收入或未关闭管道。",

    # targets & velocity
    "targets.title": "目标与速度",
    "targets.intro": "两个团队是否在实现共同目标的轨道上，以及是什么驱动销售速度。数据截至 {as_of}；侧栏筛选不适用于"
                     "此页。",
    "targets.progress": "实际与目标",
    "targets.team": "目标所属",
    "targets.company": "全公司",
    "targets.current": "当前期间 {start} – {end}：实际 / 目标；箭头为进度（实际 ÷ 按已过时间比例的目标）领先或落后于"
                       "计划。",
    "targets.no_current": "没有目标期间包含数据截至日期。",
    "targets.metric": "指标",
    "targets.metric.leads": "新线索",
    "targets.metric.mqls": "MQL",
    "targets.metric.sals": "SAL",
    "targets.metric.sqls": "SQL",
    "targets.metric.opportunities": "商机",
    "targets.metric.pipeline_amount": "新增管道金额",
    "targets.metric.won_amount": "赢单收入",
    "targets.actual": "实际",
    "targets.target": "目标",
    "targets.pacing": "进度",
    "targets.pace_delta": "相对进度 {value}",
    "targets.tile_label": "{metric} · 目标 {target}",
    "targets.tile_help": "{start} – {end} 目标的达成率 {attainment}；进度 {pacing}（实际 ÷ 目标 × 已过期间的"
                         " {elapsed}）。",
    "targets.chart_caption": "每期实际（柱）与目标（黑色刻度），最近 12 期；标签 = 达成率；绿色 = 达成，朱红 = 未达成，"
                             "灰色 = 期间尚未结束。阶段指标统计进入该阶段的数量；金额：管道按创建日期，赢单按关闭日期"
                             "。",
    "targets.coverage_title": "管道覆盖率",
    "targets.open_pipeline": "未关闭管道",
    "targets.open_pipeline_help": "数据截至时有 {n} 个未关闭商机，价值 {exact}。",
    "targets.remaining": "尚需赢得的目标",
    "targets.remaining_help": "{start} – {end} 的 won_amount 目标减去迄今已赢得的金额。",
    "targets.coverage": "覆盖率",
    "targets.coverage_help": "未关闭管道 ÷ 尚需赢得的目标；通常以 3 倍或以上为经验标准。",
    "targets.coverage_met": "目标已达成",
    "targets.coverage_met_help": "本期的赢单目标已经达成：无需再覆盖。",
    "targets.coverage_no_target": "没有覆盖数据截至日期的 won_amount 目标（需要 targets.csv）。",
    "targets.coverage_caption": "覆盖率 = 数据截至时的未关闭管道 ÷（当前期间赢单目标 − 迄今已赢得）。",
    "targets.velocity": "销售速度及其四个杠杆",
    "targets.velocity_caption": "每日销售速度 = 月末未关闭商机数 × 赢率 × 平均赢单金额 ÷ 平均销售周期天数，基于当月关"
                                "闭的商机。"
                                "悬停查看各杠杆。",
    "targets.month": "月份",
    "targets.month_axis": "月份",
    "targets.velocity_change": "速度",
    "targets.multiplier_axis": "相对上月的变化（×）",
    "targets.waterfall_caption": "每个杠杆相对上月的变化倍数（对数刻度，因此各步可相加）：绿色推高速度，朱红拉低速度；"
                                 "周期变长计为负面。最后一根柱是速度本身的变化。",
    "targets.lever_text": "从 {previous} 到 {month}，速度从每天 **{before}** 变为 **{after}**（{change}）。"
                          "影响最大的是 **{lever}**（{factor}：{from_value} → {to_value}）。",
    "targets.no_lever": "无法与上月比较速度（其中一个月没有关闭的商机）。",
    "targets.no_velocity": "还没有任何月份有关闭的商机，因此无法计算销售速度。",
    "targets.days": "{days} 天",
    "col.open_opportunities_effect": "未关闭商机：影响",
    "col.win_rate_effect": "赢率：影响",
    "col.avg_won_amount_effect": "平均赢单金额：影响",
    "col.avg_cycle_days_effect": "平均周期：影响",
    "col.open_opportunities_share": "未关闭商机：变化占比",
    "col.win_rate_share": "赢率：变化占比",
    "col.avg_won_amount_share": "平均赢单金额：变化占比",
    "col.avg_cycle_days_share": "平均周期：变化占比",
}
