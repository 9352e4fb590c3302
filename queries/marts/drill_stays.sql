-- Purpose: the stays behind a velocity row (velocity.sql): the leads whose stay in $stage entered in
--   the period is complete by $as_of (completed_stays(), the macro the row counts with), with their
--   days in the stage.
-- Grain: one row per lead with a completed stay in the stage.
-- Key: lead_id.
-- Parameters: $stage, $start, $end (stage entry dates, null = open), $as_of, $lead_filter.
with

stays as (
    select s.lead_id, s.entered_at, s.exited_at, s.days_in_stage
    from completed_stays($as_of, $start, $end, $lead_filter) as s
    where s.stage = $stage
),

final as (
    select s.*, f.* exclude (lead_id)
    from stays as s
    left join lead_facts() as f using (lead_id)
)

select * from final
order by days_in_stage desc, lead_id;
