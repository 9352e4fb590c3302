"""English: the reference table. Every key is defined here first, in the file of the product area that
shows it; analytics/i18n/zh has the same files with the same keys."""
from analytics.i18n.en import (
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
