-- Purpose: the hand-off facts of every handed-off lead (a recorded entry of the hand-off stage):
--   when it was handed off, first sales activity after it, sales' decision (accept / reject),
--   recycling, return as mql, reaching sql, and the score at hand-off. Times only: whether a
--   fact counts is decided at query time against $as_of.
-- Grain: one row per handed-off lead, with the lead's columns.
-- Parameters: none; built once at import (stage roles come from stage_config; hours on the SLA clock:
--   macros/sla_clock.sql).
create table handoffs as
with

roles as (
    select
        max(stage) filter (where role = 'handoff') as handoff_stage,
        max(stage) filter (where role = 'accepted') as accepted_stage,
        max(stage) filter (where role = 'qualified') as qualified_stage,
    from stage_config
),

handoff as (
    select s.lead_id, s.entered_at as handoff_at
    from lead_stages as s, roles
    where s.stage = roles.handoff_stage and s.is_recorded
),

first_activity as (
    select h.lead_id, min(a.occurred_at) as first_activity_at
    from handoff as h
    join activities as a on a.lead_id = h.lead_id and a.occurred_at >= h.handoff_at
    group by h.lead_id
),

verdicts as (
    select
        f.lead_id,
        min(f.created_at) filter (where f.verdict = 'accepted') as accepted_feedback_at,
        min(f.created_at) filter (where f.verdict = 'rejected') as rejected_feedback_at,
        arg_min(f.reason, f.created_at) filter (where f.verdict = 'rejected') as rejection_reason,
        avg(f.rating) as avg_rating,
        count(f.rating) as ratings,
    from feedback as f
    group by f.lead_id
),

exits as (
    select
        x.lead_id,
        min(x.entered_at) filter (where c.kind = 'exit') as first_exit_at,
        min(x.entered_at) filter (where c.role = 'recycled') as recycled_at,
        arg_min(x.stage, x.entered_at) filter (where c.kind = 'exit') as first_exit_stage,
    from stage_history as x
    join handoff as h on h.lead_id = x.lead_id and x.entered_at >= h.handoff_at
    join stage_config as c on c.stage = x.stage
    group by x.lead_id
),

came_back as (
    -- a recycled lead returns when it enters the hand-off stage again after its recycling
    select x.lead_id, min(x.entered_at) as returned_at
    from stage_history as x
    join exits as e on e.lead_id = x.lead_id and x.entered_at > e.recycled_at
    join roles on x.stage = roles.handoff_stage
    group by x.lead_id
),

reached as (
    select
        s.lead_id,
        min(s.entered_at) filter (where s.stage = roles.accepted_stage) as accepted_stage_at,
        min(s.entered_at) filter (where s.stage = roles.qualified_stage) as qualified_at,
    from lead_stages as s, roles
    where s.stage in (roles.accepted_stage, roles.qualified_stage)  -- not every lead's every stage
    group by s.lead_id
),

score_at_handoff as (
    select h.lead_id, arg_max(sh.score, sh.scored_at) as score
    from handoff as h
    join score_history as sh on sh.lead_id = h.lead_id and sh.scored_at <= h.handoff_at
    group by h.lead_id
),

final as (
    select
        l.*,  -- the lead's columns, so that the hand-off marts read no lead
        h.handoff_at,
        a.first_activity_at,
        -- on the SLA clock, stored because office hours cost a lot per row; a query still checks
        -- the activity or decision happened by its as_of
        sla_hours(h.handoff_at, a.first_activity_at) as response_hours,
        sla_hours(h.handoff_at, least(r.accepted_stage_at, v.accepted_feedback_at,
                                      v.rejected_feedback_at, e.first_exit_at)) as decision_hours,
        -- accepted: reached the accepted stage (skip rule) or an accepted verdict
        least(r.accepted_stage_at, v.accepted_feedback_at) as accepted_at,
        -- rejected: a rejected verdict, or the lead left through an exit
        least(v.rejected_feedback_at, e.first_exit_at) as rejected_at,
        case when least(v.rejected_feedback_at, e.first_exit_at) is not null
            then coalesce(v.rejection_reason, '(no reason given)') end as rejection_reason,
        e.first_exit_stage,
        e.recycled_at,
        b.returned_at,
        r.qualified_at,
        v.avg_rating,
        coalesce(v.ratings, 0) as ratings,
        coalesce(sc.score, l.score) as handoff_score,
        case
            when coalesce(sc.score, l.score) is null then '(none)'
            when coalesce(sc.score, l.score) < 20 then '00-19'
            when coalesce(sc.score, l.score) < 40 then '20-39'
            when coalesce(sc.score, l.score) < 60 then '40-59'
            when coalesce(sc.score, l.score) < 80 then '60-79'
            else '80-100'
        end as score_band,
    from handoff as h
    join leads as l using (lead_id)
    left join first_activity as a using (lead_id)
    left join verdicts as v using (lead_id)
    left join exits as e using (lead_id)
    left join came_back as b using (lead_id)
    left join reached as r using (lead_id)
    left join score_at_handoff as sc using (lead_id)
)

select * from final
order by handoff_at;
