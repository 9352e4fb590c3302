"""简体中文：管道变动与预测（每周例会页、目标与速度页、每周资料包）。"""

TEXT: dict[str, str] = {
    "pipeline.movement.opening": "期初",
    "pipeline.movement.created": "新建",
    "pipeline.movement.advanced": "推进",
    "pipeline.movement.moved_back": "回退",
    "pipeline.movement.pushed_out": "推迟出本季",
    "pipeline.movement.pulled_in": "提前入本季",
    "pipeline.movement.amount_change": "金额变化",
    "pipeline.movement.won": "赢单",
    "pipeline.movement.lost": "输单",
    "pipeline.movement.closing": "期末",
    "pipeline.period.month": "月",
    "pipeline.period.quarter": "季度",
    "pipeline.period.week": "周",
    "pipeline.movement_title": "管道变动",
    "pipeline.movement_caption": "本季度的未结管道（预计在季度末前成交的未结商机）从期初到期末：每根柱子是一类变动增"
                                 "加或减少的金额；"
                                 "推进与回退只改变阶段，不改变金额（纵轴从最低水平附近开始，以便看清变动）。期初 + 变"
                                 "动 = 期末，分毫不差。",
    "pipeline.movement_text": "期初 **{opening}**（{opening_n} 个商机）→ 期末 **{closing}**（{closing_n} 个商机）。"
                              "最大的变动：{moves}。",
    "pipeline.move_part": "{movement} {amount}（{n} 个商机）",
    "pipeline.no_moves": "没有变动",
    "pipeline.deals_n": "{n} 个商机",
    "pipeline.amount_axis": "金额（{currency}）",
    "pipeline.pick_movement": "商机变动",
    "pipeline.deals_behind": "{period} 的「{movement}」商机：负责人、客户、阶段与预计成交日的变化，并可打开每个线索的"
                             "旅程。",
    "pipeline.no_history": "此导出没有商机历史（opportunity_history），因此只显示新建、赢单与输单，"
                           "看不到阶段变化、金额变化或推迟的成交日。从现在起每次导入都会保存当时的未结商机，"
                           "下一次导入起即可看到；或导出 Salesforce OpportunityHistory（或商机历史）。",
    "pipeline.from_snapshots": "此导出没有商机历史：阶段、金额与成交日的变化来自自 {first} 起 {n} 次较早导入时保存的"
                               "未结商机，"
                               "因此按那些导入的日期计，而非变化实际发生的时间。",
    "pipeline.no_deals": "在此期间、按当前筛选没有可变动的未结商机。",
    "pipeline.grain": "变动周期",
    "pipeline.period_pick": "期间",
    "pipeline.waterfall_table": "各期间的瀑布数据",
    "pipeline.forecast_title": "签约额预测",
    "pipeline.headline_better": "过去 {months} 个月，我们的预测与实际签约额的误差在 **{error}** 以内"
                                "（简单加权管道：**{naive}**）；偏差 {bias}，{within} 的月份实际值落在我们的 80% 区间"
                                "内。",
    "pipeline.headline_worse": "过去 {months} 个月，我们的预测与实际签约额的误差在 **{error}** 以内——"
                               "简单加权管道更准（**{naive}**）；偏差 {bias}，{within} 的月份落在 80% 区间内。",
    "pipeline.no_track_record": "尚无历史表现：需要几个月的商机历史，才能回放过去月份的预测。",
    "pipeline.forecast_month": "{period} 预测",
    "pipeline.forecast_quarter": "{period} 预测",
    "pipeline.vs_target": "达成目标的 {pct}",
    "pipeline.forecast_help": "80% 区间 {low} – {high}：已赢 {won} + 未结商机的预期 {open} + 尚未创建商机的预期 "
                              "{new}。",
    "pipeline.forecast_text": "**{period}**：{forecast}（80% 区间 {low} – {high}）；已赢 {won}。简单加权管道 {naive}；"
                              "若每个商机都按销售填写的日期成交则为 {rep}；目标 {target}。",
    "pipeline.month_format": "%Y 年 %-m 月",
    "pipeline.quarter_name": "{year} 年第 {quarter} 季度",
    "pipeline.no_target": "未设定",
    "pipeline.forecast_caption": "已赢金额 + 每个未结商机在期末前赢单的概率 × 金额 + 尚未创建商机的签约额。概率从过去"
                                 "每个周一学习："
                                 "当时处于相同阶段、账龄与规模（以及销售是否预计按时成交）的未结商机中，在同样天数内"
                                 "赢单的金额比例。"
                                 "简单加权管道是 CRM 的阶段概率 × 预计本期成交商机的金额。",
    "pipeline.forecast_how": "2,000 次固定种子的模拟（每个未结商机按其概率赢或不赢，再加上某个过去周一的新商机签约额"
                             "）给出第 10–90 "
                             "百分位区间。小分组向其阶段的比率收缩（10 个虚拟商机）。定义见 "
                             "docs/metrics.md“Forecast”。",
    "pipeline.not_learned": "此日期之前的商机历史太少，无法学习：预测仅为已赢金额。",
    "pipeline.backtest_title": "历史表现",
    "pipeline.backtest_caption": "在过去每个月初，只用当时已知的信息（截至那一刻的商机历史）回放预测，并与实际签约额"
                                 "对比。"
                                 "柱：实际签约；蓝线：我们的预测及 80% 区间；虚线：简单加权管道。",
    "pipeline.actual": "实际签约",
    "pipeline.ours": "我们的预测",
    "pipeline.naive": "简单加权管道",
    "pipeline.forecast_more": "预测方法、其未结商机与逐月历史表现：见“目标与速度”页。",
    "pipeline.deals_title": "预测背后的未结商机",
    "pack.pipeline_axis": "占期初管道的比例",
    "col.movement": "变动",
    "col.stage_from": "原阶段",
    "col.stage_to": "新阶段",
    "col.amount_from": "原金额",
    "col.amount_to": "新金额",
    "col.close_from": "原预计成交",
    "col.close_to": "新预计成交",
    "col.net_amount": "对管道的影响",
    "col.won_so_far": "已赢",
    "col.forecast": "预测",
    "col.low": "低（10%）",
    "col.high": "高（90%）",
    "col.naive": "简单加权",
    "col.rep_expected": "按销售预计日期",
    "col.open_deals": "未结商机",
    "col.expected_from_open": "来自未结商机",
    "col.expected_from_new": "来自新商机",
    "col.error": "误差",
    "col.naive_error": "简单方法误差",
    "col.abs_pct_error": "误差 %",
    "col.naive_abs_pct_error": "简单方法误差 %",
    "col.is_within_interval": "在 80% 区间内",
    "col.is_learned": "已学习",
    "col.period": "期间",
    "col.win_chance": "本期赢单概率",
    "col.expected_amount": "预期金额",
    "col.probability": "CRM 概率 %",
    "enables.opportunity_history": "按阶段、金额与成交日期的管道变动（推进、推迟、提前）以及预测的历史表现。",
}
