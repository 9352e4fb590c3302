-- Purpose: the three hand-off SLAs (docs/metrics.md "SLA compliance") for every lead handed off in
--   the period, judged at as_of: follow-up (hand-off -> first activity at or after it), decision
--   (hand-off -> accept or reject) and recycling (rejection -> recycled; leads that were
--   disqualified are not to be recycled and are left out). Hours run on the SLA clock
--   (sla_hours: wall clock, or office hours when configured). One definition, read by the SLA
--   marts (sla_leads, sla, breaches) so the scorecard and the breach list always agree.
-- Grain: one row per handed-off lead, with the lead's columns and the owner's team.
-- Parameters (of the macro): as_of, follow_up_sla and decision_sla (hours), recycle_sla (days), start_date,
--   end_date (hand-off dates, null = open), lead_filter.
-- An SLA's verdict: met when it happened within the limit; breached when it happened later, or has
-- not happened and the limit has passed; otherwise not yet due.
create macro sla_verdict(hours_taken, hours_open, limit_hours) as
    case
        when hours_taken is not null and hours_taken <= limit_hours then 'met'
        when hours_taken is not null or hours_open > limit_hours then 'breached'
        else 'not_due'
    end;

create macro sla_status(as_of, follow_up_sla, decision_sla, recycle_sla, start_date, end_date,
                        lead_filter) as table
with

scoped as (
    select
        d.* exclude (ratings, avg_rating, response_hours, decision_hours),
        case when d.first_activity_at <= as_of then d.response_hours end as response_hours,
        sla_hours(d.handoff_at, as_of::timestamp) as open_hours,
        case when least(d.accepted_at, d.rejected_at) <= as_of then d.decision_hours end as decision_hours,
    from handoff_decisions(as_of, start_date, end_date, lead_filter) as d
),

judged as (
    select
        *,
        sla_verdict(response_hours, open_hours, follow_up_sla) as follow_up_status,
        coalesce(response_hours, open_hours) - follow_up_sla as follow_up_hours_late,
        sla_verdict(decision_hours, open_hours, decision_sla) as decision_status,
        coalesce(decision_hours, open_hours) - decision_sla as decision_hours_late,
        case when is_rejected and (recycled_at is not null or first_exit_stage is null
                                   or first_exit_stage = (select stage from stage_config where role = 'recycled'))
            then (epoch(least(coalesce(recycled_at, as_of::timestamp), as_of::timestamp))
                  - epoch(rejected_at)) / 86400.0
        end as recycle_days_open,
    from scoped
),

recycled as (
    select *, case when recycled_at <= as_of then recycle_days_open end as recycle_days,
    from judged
),

final as (
    select
        * exclude (recycle_days),
        case when recycle_days_open is not null  -- null: not a lead to recycle
            then sla_verdict(recycle_days, recycle_days_open, recycle_sla) end as recycle_status,
        recycle_days,
    from recycled
)

select * from final;
