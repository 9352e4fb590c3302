-- Purpose: the breach list for the weekly meeting: every breached promise of the leads handed off
--   in the period, at $as_of, with how late it is (recycling lateness in hours too).
-- Grain: one row per lead per breached SLA (follow_up, decision, recycle).
-- Key: lead_id, sla.
-- Parameters: $as_of, $follow_up_hours, $decision_hours, $recycle_days, $start, $end, $lead_filter.
with

leads as (
    select *
    from sla_status(
        $as_of, $follow_up_hours, $decision_hours, $recycle_days, $start, $end,
    $lead_filter
    )
),

final as (
    select lead_id, owner_id, team, source, 'follow_up' as sla, handoff_at, follow_up_hours_late as hours_late
    from leads where follow_up_status = 'breached'
    union all
    select lead_id, owner_id, team, source, 'decision', handoff_at, decision_hours_late
    from leads where decision_status = 'breached'
    union all
    select lead_id, owner_id, team, source, 'recycle', handoff_at, (recycle_days_open - $recycle_days) * 24
    from leads where recycle_status = 'breached'
)

select * from final
order by hours_late desc, lead_id, sla;
