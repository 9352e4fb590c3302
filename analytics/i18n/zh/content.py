"""简体中文：内容页面。
键与 analytics/i18n/en/content.py 相同。"""

TEXT: dict[str, str] = {
    # --- content ---------------------------------------------------------------------------------
    "content.page": "内容",
    "content.title": "推动成交的内容",
    "content.intro": "对每个内容及线索接触它时所处的阶段：这些线索推进到下一阶段的频率，与同阶段未接触它的线索相比。"
                     "线索：{scope}；统计截至数据时间点的所有触达（侧栏的期间不适用）。",
    "content.needs_touches": "内容分析需要导出中有 touches.csv（以及用于标题的 content.csv）。",
    "content.no_lift": "此选择中没有内容被接触过。",
    "content.recommend": "每个阶段该发什么",
    "content.recommend_caption": "每个阶段中，在至少 {n} 条线索接触过的内容里提升倍数最高的。整个 95% 区间都高于 1 时"
                                 "为“可靠”。",
    "content.no_recommendation": "此阶段没有内容被足够多的线索接触过。",
    "content.no_recommendation_in": "{stages} 暂无推荐：在这些阶段没有内容被 {n} 条或以上线索接触过。",
    "content.lift_value": "{lift}×（95% 区间 {low}–{high}）",
    "content.enough_volume": "接触线索足够",
    "content.low_volume": "线索少（不显示区间）",
    "content.funnel.top": "漏斗顶部",
    "content.funnel.middle": "漏斗中部",
    "content.funnel.bottom": "漏斗底部",
    "content.col.verdict": "结论",
    "content.reliable": "可靠",
    "content.indicative": "仅供参考",
    "content.lift": "每个内容的提升倍数",
    "content.stage": "线索当时所处的阶段",
    "content.lift_caption": "提升倍数 = 处于{stage}且接触过该内容的线索中到达{next}的比例 ÷ 处于{stage}但未接触的线索"
                            "中的比例。"
                            "误差线：提升倍数的合理范围；虚线 = 无差别；绿色 = 可靠地高于 1；空心 = 接触线索不足 {n} 条"
                            "。",
    "content.lift_axis": "提升倍数（推进的可能性 ×；对数刻度）",
    "content.lift_hover": "%{y}：%{x:.2f}× · %{customdata[0]:,} 条线索接触过 · 推进比例 %{customdata[1]} 对比 "
                          "%{customdata[2]}",
    "content.pick_hint": "选中一个内容，即可查看在此阶段接触过它的线索。",
    "content.behind": "处于{stage}时接触过 **{title}** 的线索，以及它们是否到达{next}：",
    "content.behind_late": "在后期阶段接触过 **{title}** 的线索：",
    "content.unused": "销售在后期阶段不用的内容",
    "content.unused_note": "{n} 个漏斗中部和底部的内容在{stages}阶段很少或没有线索接触：需要市场向销售推广、改写或下"
                           "线。",
    "content.all_used": "漏斗中部和底部的每个内容都在后期阶段被使用。",
    "content.col.content_id": "内容",
    "content.col.title": "标题",
    "content.col.content_type": "类型",
    "content.col.funnel_stage": "面向",
    "content.col.touched_leads": "接触线索数",
    "content.col.touched_rate": "推进比例（接触过）",
    "content.col.untouched_rate": "推进比例（其他）",
    "content.col.lift": "提升倍数",
    "content.col.interval": "95% 区间",
    "content.col.is_low_volume": "线索少",
    "content.col.late_stage_leads": "后期阶段线索数",
}
