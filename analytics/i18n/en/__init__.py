"""English: the reference table. Every key is defined here first, in the file of the product area that
shows it; analytics/i18n/zh has the same files with the same keys."""
from analytics.i18n.en import app, content, data, drill, funnel, handoff, journey, monthly, pipeline, revenue, weekly

AREAS = (app, funnel, data, handoff, revenue, weekly, monthly, journey, content, drill, pipeline)
