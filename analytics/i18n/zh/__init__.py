"""简体中文: every English message of the dashboard and the review pack, one file per area like
analytics/i18n/en, with the same keys (tests/test_app_review.py checks that no English key is missing and
that every entry keeps the English placeholders; tests/test_i18n.py that each file matches its English one).

Terms used throughout: 线索 (lead), 商机 (opportunity), 赢单/输单 (won/lost), 移交 (hand-off),
负责人 (owner), 同期群 (cohort), 流量 (flow), 停滞 (stalled), 数据截至 (as of), 营销触达 (touch),
提升倍数 (lift), 达成率 (attainment), 进度 (pacing). MQL, SAL, SQL and SLA keep their English acronyms,
as sales and marketing teams in China use them.
"""
from analytics.i18n.zh import (
    app,
    attribution,
    content,
    data,
    drill,
    funnel,
    handoff,
    journey,
    monthly,
    pipeline,
    revenue,
    strategy,
    weekly,
)

AREAS = (app, funnel, data, handoff, revenue, attribution, weekly, monthly, journey, content, drill, strategy, pipeline)
