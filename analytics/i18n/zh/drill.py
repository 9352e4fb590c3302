"""简体中文：分组明细背后的线索列表与分组转化趋势。
键与 analytics/i18n/en/drill.py 相同。"""

TEXT: dict[str, str] = {
    "drill.pick_hint": "点击任一行，查看其背后的线索。",
    "drill.pick_hint_deals": "点击任一行，查看其背后的商机。",
    "drill.behind.conversion": "来自 {value}、于 {start} – {end} 进入 {from_stage} 的 {cohort} 条线索；"
                               "其中 {converted} 条{window}到达 {to_stage}。",
    "drill.behind.trend": "来自 {value}、在 {period}进入 {from_stage} 的 {cohort} 条线索；"
                          "其中 {converted} 条{window}到达 {to_stage}。",
    "drill.behind.quality": "来自 {value}、于 {start} – {end} 移交的 {n} 条线索：接受 {accepted} 条，"
                            "拒绝 {rejected} 条，待决定 {pending} 条。",
    "drill.behind.sla": "{value} 按「{measure}」评判的 {n} 次移交：达标 {met} 次，超时 {breached} 次，"
                        "未到期 {not_due} 次。",
    "drill.behind.stays": "于 {start} – {end} 进入 {stage} 且已离开的 {n} 条线索，停留最久的在前。",
    "drill.behind.winloss": "于 {start} – {end} 关闭、{factor} 为 {value} 的 {n} 个商机：赢单 {won} 个，"
                            "最新的在前。",
    "drill.behind.attribution": "为 {value} 贡献归因的商机（{start} – {end}），线性归因额最大的在前；"
                                "每个模型一列，合计即上表该行。",
    "drill.trend.pick_hint": "点击图中的点或表中的行，查看其背后的线索。",
    "drill.behind.rejections": "来自 {value}、于 {start} – {end} 移交且被销售以「{reason}」拒绝的 {n} 条线索，"
                               "最新的在前。",
    "drill.behind.lost": "来自 {value}、于 {start} – {end} 关闭并因「{reason}」输单的 {n} 个商机，最新的在前。",
    "drill.trend.title": "分组转化趋势",
    "drill.trend.intro": "是否有某个分组不再转化？每条线是上方分组维度（{by}）的一个取值；每个点是该{grain}"
                         "进入 {from_stage} 的线索。",
    "drill.trend.grain": "按",
    "drill.trend.values": "显示的分组",
    "drill.trend.values_help": "默认显示规模最大的分组；可任意增减。",
    "drill.trend.caption": "同期群：每{grain}进入 {from_stage} 的线索，{start} – {end}；转化率 = 截至 {as_of}"
                           "{window}到达 {to_stage} 的比例。空心点：线索少于 {n} 条，不足以判断。"
                           "最近的周期仍在成熟中。",
    "drill.trend.change": "**{value}**：{period}（最近一个完整的{grain}）{last}，此前各期合计 {before}。",
    "drill.trend.few": "仅 {n} 条线索，不足以判断。",
    "drill.trend.none": "此期间在当前筛选下没有线索进入 {stage}。",
    "drill.fmt.week": "%Y年%m月%d日当周",
    "drill.fmt.month": "%Y年%m月",
    "drill.value.accepted": "已接受",
    "drill.value.rejected": "已拒绝",
    "drill.value.pending": "待决定",
    "drill.value.met": "达标",
    "drill.value.breached": "超时",
    "drill.value.not_due": "未到期",
    "drill.value.won": "赢单",
    "drill.value.lost": "输单",
    "drill.value.open": "进行中",
    "drill.behind.recycling": "来自 {value}、于 {start} – {end} 移交的 {n} 条线索，被拒的在前：拒绝 {rejected} 条，"
                              "回收 {recycled} 条，重新回来 {returned} 条。",
    "col.days_to_recycle": "回收用时（天）",
    "col.returned_at": "重新回来",
    "col.is_requalified": "回来后达到合格",
    "col.sla_status": "SLA",
    "col.recycle_days": "回收用时（天）",
    "col.exited_at": "离开阶段",
    "col.is_converted": "已转化",
    "drill.behind.sourcing": "{category}的商机（{start} – {end}）：赢单 {won} 个（{won_amount}），新建 {created} 个"
                             "（{pipeline_amount}）；同一商机可两者兼有。最新的在前。",
    "drill.behind.reason.won": "于 {start} – {end} 关闭并因「{reason}」赢单的 {n} 个商机，最新的在前。",
    "drill.behind.reason.lost": "于 {start} – {end} 关闭并因「{reason}」输单的 {n} 个商机，最新的在前。",
    "drill.behind.profile": "于 {start} – {end} 关闭、属于 {segment} 的 {n} 个商机：赢单 {won} 个，最新的在前。",
    "drill.behind.stalled": "截至 {as_of}，{owner} 名下停滞在 {stage} 的 {n} 条线索，最近停滞（最易挽回）的在前。",
    "drill.behind.target_leads": "计入 {start} – {end}{team}目标的 {n} 条「{metric}」，最新的在前。",
    "drill.behind.target_deals": "构成 {start} – {end}{team}「{metric}」（{actual}）的 {n} 个商机，最新的在前。",
    "drill.behind.team": "（{team}）",
    "drill.behind.velocity": "{month}关闭的 {n} 个商机：赢单 {won} 个——即该月赢单率、平均赢单金额"
                             "与销售周期背后的商机。",
    "drill.no_reason": "（未填写原因）",
    "col.is_won_in_period": "期内赢单",
    "col.is_created_in_period": "期内新建",
    "col.first_factor": "第一因素",
    "col.first_value": "第一取值",
    "col.second_factor": "第二因素",
    "col.second_value": "第二取值",
    "drill.cell_hint": "点击图中任一格或表中任一行，查看其背后的线索。",
    "drill.pick_hint_targets": "点击任一行，查看计入该目标的线索或商机。",
    "col.profile": "细分",
}
