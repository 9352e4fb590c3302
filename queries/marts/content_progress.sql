-- Purpose: content analytics: for each content item and the stage a lead was in when it touched
--   it (its latest recorded main stage at the touch), how many such leads moved on to the next
--   stage by $as_of, against all leads that were in that stage.
-- Grain: one row per stage per content item touched in that stage.
-- Key: stage, content_id.
-- Parameters: $as_of, $lead_filter.
with

next_reached as (
    -- leads in each stage, and whether they reached the next main stage by as_of
    select * from stage_progress($as_of, $lead_filter)
),

stage_totals as (
    select stage, count(*) as stage_leads, count(*) filter (where progressed) as stage_progressed
    from next_reached
    group by stage
),

touched as (
    select stage, stage_order, content_id, lead_id, progressed
    from content_touch_stages($as_of, $lead_filter)
),

final as (
    select
        t.stage,
        t.stage_order,
        t.content_id,
        c.title,
        c.content_type,
        c.funnel_stage,
        count(*) as touched_leads,
        count(*) filter (where t.progressed) as touched_progressed,
        any_value(st.stage_leads) - count(*) as untouched_leads,
        any_value(st.stage_progressed) - count(*) filter (where t.progressed) as untouched_progressed,
    from touched as t
    join stage_totals as st using (stage)
    left join content as c using (content_id)
    group by t.stage, t.stage_order, t.content_id, c.title, c.content_type, c.funnel_stage
)

select * from final
order by stage_order, content_id, stage;
