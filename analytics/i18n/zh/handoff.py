"""简体中文：移交页面：线索质量、SLA 记分卡、回收与销售就绪阈值。
键与 analytics/i18n/en/handoff.py 相同。"""

TEXT: dict[str, str] = {
    # lead quality
    "quality.title": "线索质量",
    "quality.intro": "市场的承诺：销售愿意接受的线索。销售接受哪些移交、拒绝哪些以及原因，以便调整评分、培育和定向。",
    "quality.acceptance": "按细分的接受率",
    "quality.by_help": "任意线索字段、SDR、负责人的团队，或移交时的评分段。",
    "quality.acceptance_caption": "{start} – {end} 移交（进入 MQL）的线索；接受率 = 截至 {as_of} 的 接受 ÷（接受 + 拒"
                                  "绝）"
                                  "——接受 = 到达 SAL 或接受的反馈，拒绝 = 拒绝的反馈或被退回培育/判为不合格；待定的线"
                                  "索不计入。"
                                  "误差线：比率的合理范围；灰色斜线 = 已决定的线索不足 {n} 条。虚线 = 全部细分。",
    "quality.no_handoffs": "在这些筛选条件下，{start} – {end} 没有线索被移交（进入 MQL）。请放宽期间或在侧栏清除某个"
                           "筛选。",
    "quality.reasons": "销售为何拒绝线索",
    "quality.worst": "**拒绝来自哪里**：{cells}——在这些筛选条件下共 {total} 次拒绝。",
    "quality.cell": "{segment} × *{reason}*（{n} 次，占该来源拒绝的 {share}）",
    "quality.reasons_caption": "{start} – {end} 移交线索的拒绝，按来源和销售给出的原因：每格为该原因占该来源拒绝的比"
                               "例及次数"
                               "（行：拒绝最多的来源在前）。",
    "quality.no_rejections": "在这些筛选条件下，销售没有拒绝 {start} – {end} 移交的任何线索。",
    "quality.trend": "按月的接受率",
    "quality.trend_caption": "按移交月份的接受率，{start} – {end}（至少最近 12 个月），决定截至 {as_of}；阴影为比"
                             "率的"
                             "合理范围，空心点表示已决定的线索不足 {n} 条，灰色柱 = 移交的线索。"
                             "最近几个月仍有待定线索。",
    "quality.month_axis": "移交月份",

    # SLA scorecard
    "sla.title": "SLA 记分卡",
    "sla.intro": "移交协议的双方承诺，针对 {start} – {end} 移交的线索，数据截至 {as_of}。",
    "sla.marketing": "市场的承诺",
    "sla.sales": "销售的承诺",
    "sla.acceptance": "接受率",
    "sla.acceptance_help": "{decided} 个已决定的移交中接受 {accepted} 个（95% 区间 {low} – {high}）；{pending} 个仍待"
                           "定。",
    "sla.mqls_caption": "每月 MQL（进入 MQL）与约定目标：绿色 = 达成，朱红 = 未达成，灰色 = 月份尚未结束；标签为达成"
                        "率。",
    "sla.measure.follow_up": "跟进 ≤ {value} 小时",
    "sla.measure.decision": "决定 ≤ {value} 小时",
    "sla.measure.recycle": "退回培育 ≤ {value} 天",
    "sla.measure": "承诺",
    "sla.tab.follow_up": "跟进",
    "sla.tab.decision": "决定",
    "sla.tab.recycle": "退回培育",
    "sla.short.follow_up": "跟进",
    "sla.short.decision": "决定",
    "sla.short.recycle": "退回培育",
    "sla.tile_help": "合规率 = 达标 ÷（达标 + 违约）：{judged} 个中 {met} 个（95% 区间 {low} – {high}）；{not_due} 个"
                     "尚未到期。"
                     "响应：中位数 {median} {unit}，第 90 百分位 {p90} {unit}。",
    "sla.tile_empty": "此选择中还没有线索到达该 SLA 的截止时间，或缺少所需的文件。",
    "sla.by": "按",
    "sla.scorecard": "按负责人或团队的销售承诺",
    "sla.team_caption": "每个销售团队各项 SLA 的合规率 = 达标 ÷（达标 + 违约），{start} – {end} 移交的线索，数据截至"
                        " {as_of}。"
                        "悬停查看次数；下方记分卡有区间。",
    "sla.compliance_axis": "合规率（达标 ÷ 已判定）",
    "sla.response_axis.hours": "响应时间（小时）",
    "sla.response_axis.days": "退回培育用时（天）",
    "sla.unit.hours": "小时",
    "sla.unit.days": "天",
    "sla.limit": "SLA {value} {unit}",
    "sla.median": "中位数",
    "sla.p90": "第 90 百分位",
    "sla.caption.follow_up": "跟进：从第一次进入 MQL 到此后第一次销售活动的小时数，{start} – {end} 移交的线索。"
                             "≤ {limit} 小时为达标；更晚，或截止时间已过（截至 {as_of}）仍无活动为违约；未到期的线索"
                             "不计入。"
                             "灰点 = 已判定的线索不足 {n} 条。",
    "sla.caption.decision": "决定：从进入 MQL 到接受或拒绝的小时数，{start} – {end} 移交的线索。≤ {limit} 小时为达标；"
                            "更晚或在 {as_of} 已过截止时间仍未决定为违约。灰点 = 已判定的线索不足 {n} 条。",
    "sla.caption.recycle": "退回培育：被拒绝的线索在拒绝后 {limit} 天内退回培育（recycled），{start} – {end} 移交的线"
                           "索，"
                           "数据截至 {as_of}。灰点 = 已判定的线索不足 {n} 条。",
    "sla.nothing_judged": "{start} – {end} 移交的线索还没有到达该 SLA 的截止时间。",
    "sla.breaches": "每周会议的违约清单",
    "sla.breach_count": "**{total}** 次违约：{parts}。最近一周移交的排在前面，同一周内逾期最少"
                        "（仍值得挽回）的排在前面；选择一行可打开该线索的旅程。",
    "sla.breaches_caption": "每条线索每个被违约的 SLA 一行，{start} – {end} 移交的线索，数据截至 {as_of}。"
                            "超时小时数 = 超过截止时间的时长（仍未处理的：计到数据截至时间）。",
    "sla.no_breaches": "{start} – {end} 移交的线索没有违约任何 SLA。",
    "sla.stalled": "按负责人的停滞线索",
    "sla.stalled_cell": "{n}<br>超出 {days} 天",
    "sla.stalled_hover": "超出阈值天数中位数：%{text}<br>最多超出天数：%{customdata[0]}",
    "sla.stalled_caption": "移交之后、在 {as_of} 时阶段仍未结束且停留超过阶段阈值（配置的天数，否则为该阶段天数的第 9"
                           "0 百分位）"
                           "的线索：数量及超出阈值天数的中位数。线索筛选生效；期间不生效。",

    # recycling & the sales-ready threshold
    "recycling.title": "退回培育与销售就绪",
    "recycling.intro": "销售把不跟进的线索退回；市场继续培育，直到它再次就绪。以及让线索“销售就绪”的评分，根据结果不"
                       "断完善。",
    "recycling.loop": "退回培育闭环",
    "recycling.tile.rejected": "被拒绝的移交",
    "recycling.tile.rejected_help": "本期移交的 {handed_off} 条线索中。",
    "recycling.tile.recycled": "退回培育",
    "recycling.tile.recycled_help": "{of} 条被拒绝的线索中有 {n} 条被退回市场培育（recycled）。",
    "recycling.tile.days": "退回培育用时",
    "recycling.tile.days_help": "被退回培育的线索从被拒绝到进入退回培育阶段的天数中位数。",
    "recycling.tile.returned": "重新成为 MQL",
    "recycling.tile.returned_help": "{of} 条退回培育的线索中有 {rate} 被再次移交。",
    "recycling.tile.quality": "回流 → SQL",
    "recycling.tile.vs_fresh": "较新移交 {change}",
    "recycling.tile.quality_help": "回流线索：{of_returned} 条中有 {returned} 条在回流后到达 SQL；"
                                   "新移交（从未退回培育）：{of_fresh} 条中有 {fresh} 条。",
    "recycling.rate_caption": "退回培育率 = 退回培育的被拒线索 ÷ 被拒线索，{start} – {end} 的移交，数据截至 {as_of}"
                              "（SLA 要求在 {days} 天内完成）。灰色斜线 = 被拒线索不足 {n} 条。",
    "recycling.returned_caption": "截至 {as_of} 到达{stage}的比例：退回培育后重新成为 MQL 的线索（回流之后）与从未退"
                                  "回培育的"
                                  "新移交相比，{start} – {end} 的移交；点旁为 到达 / 线索数，空心 = 不足 {n}。",
    "recycling.fresh": "新移交",
    "recycling.returned": "退回培育后回流",
    "recycling.qualified_axis": "到达 SQL 的比例",
    "recycling.no_rejections": "{start} – {end} 没有被拒绝的移交，因此没有退回培育。",
    "threshold.title": "销售就绪评分阈值",
    "threshold.caption": "对每个评分阈值 t，{start} – {end} 移交且移交时评分 ≥ t 的线索（灰色柱）：其中截至"
                         " {as_of} "
                         "到达 SQL 的比例、阈值保留的 SQL 占全部 SQL 的比例，以及二者的平衡。"
                         "建议值 = 平衡最佳（或移交线索到达 SQL 的比例达到配置目标的最低阈值）。",
    "threshold.precision": "到达 SQL 的比例",
    "threshold.recall": "保留的 SQL 占比",
    "threshold.f1": "二者的平衡",
    "threshold.volume": "移交的线索",
    "threshold.rate_axis": "占移交 / 占 SQL 的比例",
    "threshold.score_axis": "评分阈值（移交时评分 ≥ t）",
    "threshold.current": "现行：{value}",
    "threshold.suggested": "建议：{value}",
    "threshold.try": "试一个阈值",
    "threshold.try_help": "从建议阈值开始。下面的数字按该阈值重演最近一个季度。",
    "threshold.impact": "**如果从 {since} 到 {as_of} 执行阈值 {value}**（最近一个季度，应用线索筛选）：",
    "threshold.not_received": "不会收到的移交",
    "threshold.not_received_help": "销售不会收到的移交：占该季度移交的 {of} 条线索的 {share}；它们会留在市场培育中。",
    "threshold.missed": "会错过的 SQL",
    "threshold.missed_help": "会错过的 SQL：占该季度到达 SQL 的 {of} 个移交的 {share}。",
    "threshold.precision_tile": "≥ {value} 时到达 SQL 的比例",
    "threshold.precision_help": "评分至少为 {value} 的移交线索中到达 SQL 的比例（侧栏所选期间）：{handed_off} 条中"
                                " {qualified} 条。",
}
