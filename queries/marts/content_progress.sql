-- Purpose: content analytics: for each content item and the stage a lead was in when it touched
--   it (its latest recorded main stage at the touch), how many such leads moved on to the next
--   stage by $as_of, against all leads that were in that stage.
-- Grain: one row per stage per content item touched in that stage.
-- Key: stage, content_id.
-- Parameters: $as_of, $lead_filter.
with

scoped as (
    select lead_id
    from filtered_leads($lead_filter)
),

recorded as (
    select s.lead_id, s.stage, s.stage_order, s.entered_at
    from lead_stages as s
    join scoped using (lead_id)
    join stage_config as k on k.stage = s.stage and k.kind = 'main'
    where s.is_recorded and s.entered_at <= $as_of
),

content_touches as (
    select tc.lead_id, tc.content_id, tc.occurred_at
    from touches as tc
    join scoped using (lead_id)
    where tc.content_id is not null and tc.occurred_at <= $as_of
),

touch_stage as (
    select t.lead_id, t.content_id, r.stage, r.stage_order
    from content_touches as t
    asof join recorded as r on r.lead_id = t.lead_id and t.occurred_at >= r.entered_at
),

next_reached as (
    -- leads in each stage, and whether they reached the next main stage by as_of
    select s.lead_id, s.stage, s.stage_order, n.lead_id is not null as progressed
    from lead_stages as s
    join scoped using (lead_id)
    join stage_config as k on k.stage = s.stage and k.kind = 'main'
    left join lead_stages as n
        on n.lead_id = s.lead_id and n.stage_order = s.stage_order + 1 and n.entered_at <= $as_of
        and n.stage in (select stage from stage_config where kind = 'main')
    where s.entered_at <= $as_of
      and s.stage_order < (select max(stage_order) from stage_config where kind = 'main')
),

stage_totals as (
    select stage, count(*) as stage_leads, count(*) filter (where progressed) as stage_progressed
    from next_reached
    group by stage
),

touched as (
    select distinct ts.stage, ts.stage_order, ts.content_id, ts.lead_id, nr.progressed
    from touch_stage as ts
    join next_reached as nr on nr.lead_id = ts.lead_id and nr.stage = ts.stage
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
order by stage_order, content_id;
